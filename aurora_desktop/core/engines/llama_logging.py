"""Keeps llama.cpp's own log lines off the user's console; they go to Python logging instead."""

from __future__ import annotations

import ctypes
import logging
import threading
from typing import Any

_log = logging.getLogger("aurora.llama_cpp")
_installed = threading.Lock()
_callback: Any = None  # ctypes needs the callback object kept alive for the process


def quiet_llama_logs() -> None:
    """Route llama.cpp's log through `logging` at DEBUG (idempotent, thread-safe)."""
    global _callback
    with _installed:
        if _callback is not None:
            return
        import llama_cpp

        @llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
        def forward(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
            _log.debug("%s", text.decode("utf-8", errors="replace").rstrip())

        llama_cpp.llama_log_set(forward, ctypes.c_void_p(0))
        _callback = forward
