"""Allows `python -m aurora_desktop`, the same as the `aurora` command."""

from aurora_desktop.cli.main import main

raise SystemExit(main())
