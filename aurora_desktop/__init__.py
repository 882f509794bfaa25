"""Aurora: a local-first LLM assistant that lives in the system tray."""

__version__ = "0.1.0"
