"""Start at login (opt-in): an XDG autostart entry on Linux, a registry Run value on Windows."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.text import phrase

DESKTOP_FILE = "aurora.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "Aurora"
WINDOWS_LAUNCHER = "Aurora.exe"  # the Windows installer's launcher without a console window
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def windows_launcher(prefix: str = sys.base_prefix, platform: str = sys.platform) -> Path | None:
    """Aurora.exe of a Windows install, when this is the Python that install bundles.

    The installer puts the embeddable Python in <install folder>\\python and Aurora.exe (the
    tray app, no console) beside that folder; a plain Python or a venv has neither.
    """
    python_dir = Path(prefix)
    if platform != "win32" or python_dir.name.lower() != "python":
        return None
    launcher = python_dir.parent / WINDOWS_LAUNCHER
    return launcher if launcher.is_file() else None


def app_command() -> list[str]:
    """The command that starts the tray app: the Windows install's Aurora.exe, else the
    installed `aurora app`, else this Python."""
    launcher = windows_launcher()
    if launcher is not None:
        return [str(launcher), "app"]
    installed = shutil.which("aurora")
    if installed:
        return [installed, "app"]
    return [sys.executable, "-m", "aurora_desktop", "app"]


def _exec_arg(arg: str) -> str:
    """One argument of a desktop entry's Exec key, quoted as the specification asks."""
    arg = arg.replace("%", "%%")
    if not arg or any(c in _EXEC_RESERVED for c in arg):
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        return f'"{escaped}"'
    return arg


def desktop_entry(command: Sequence[str]) -> str:
    """The text of ~/.config/autostart/aurora.desktop that runs `command` at login."""
    exec_line = " ".join(_exec_arg(arg) for arg in command)
    # A value in a desktop entry is one line; escape backslashes once more for the file format.
    exec_line = exec_line.replace("\\", "\\\\").replace("\n", "\\n")
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Aurora\n"
        "Comment=Local-first LLM assistant in the system tray\n"
        f"Exec={exec_line}\n"
        "Icon=aurora\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def autostart_dir(env: Mapping[str, str] | None = None) -> Path:
    """$XDG_CONFIG_HOME/autostart, or ~/.config/autostart when it is not set."""
    env = os.environ if env is None else env
    raw = env.get("XDG_CONFIG_HOME", "").strip()
    base = Path(raw) if raw and Path(raw).is_absolute() else Path.home() / ".config"
    return base / "autostart"


class Autostart:
    """Turns start at login on or off for this user; `enabled()` reads the real state."""

    def __init__(
        self,
        command: Sequence[str] | None = None,
        *,
        env: Mapping[str, str] | None = None,
        platform: str = sys.platform,
    ) -> None:
        self._command = list(command) if command is not None else app_command()
        self._env = env
        self._windows = platform == "win32"

    @property
    def desktop_file(self) -> Path:
        return autostart_dir(self._env) / DESKTOP_FILE

    def enabled(self) -> bool:
        if self._windows:
            return _run_value() is not None
        return self.desktop_file.is_file()

    def set_enabled(self, on: bool) -> None:
        try:
            if self._windows:
                _set_run_value(subprocess.list2cmdline(self._command) if on else None)
            elif on:
                atomic_write_text(self.desktop_file, desktop_entry(self._command))
            else:
                self.desktop_file.unlink(missing_ok=True)
        except OSError as exc:
            where = phrase("the registry") if self._windows else str(self.desktop_file)
            reason = exc.strerror or type(exc).__name__
            verb = phrase("turned on") if on else phrase("turned off")
            raise ConfigError(
                phrase(
                    "Start at login could not be {verb} ({reason} in {where}); check "
                    "the permissions there and try again.",
                    verb=verb,
                    reason=reason,
                    where=where,
                )
            ) from exc


def _run_value() -> str | None:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        return None
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            value, _ = winreg.QueryValueEx(key, RUN_VALUE)
    except FileNotFoundError:
        return None
    return str(value)


def _set_run_value(command: str | None) -> None:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        raise OSError(95, phrase("the Windows registry exists only on Windows"))
    import winreg

    access = winreg.KEY_SET_VALUE | winreg.KEY_QUERY_VALUE
    with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, access) as key:
        if command is None:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, RUN_VALUE)
        else:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, command)
