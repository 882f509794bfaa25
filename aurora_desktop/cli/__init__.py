"""The `aurora` command line: every capability of the core, without a screen."""
