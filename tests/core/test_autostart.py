"""Start at login: the XDG autostart entry, written and removed under a tmp XDG_CONFIG_HOME."""

from __future__ import annotations

import configparser
import subprocess
from pathlib import Path

import pytest

from aurora_desktop.core.autostart import (
    WINDOWS_LAUNCHER,
    Autostart,
    app_command,
    autostart_dir,
    desktop_entry,
    windows_launcher,
)
from aurora_desktop.core.errors import ConfigError


def parse_entry(text: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser["Desktop Entry"]


def test_desktop_entry_runs_the_app_command() -> None:
    entry = parse_entry(desktop_entry(["/usr/bin/aurora", "app"]))
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Aurora"
    assert entry["Exec"] == "/usr/bin/aurora app"
    assert entry["Terminal"] == "false"


def test_desktop_entry_quotes_awkward_paths() -> None:
    text = desktop_entry(["/home/me/my apps/py$thon", "-m", "aurora_desktop", "app"])
    raw = parse_entry(text)["Exec"]
    # the file holds a string value (backslash escaped once more) ...
    assert raw == '"/home/me/my apps/py\\\\$thon" -m aurora_desktop app'
    # ... which, unescaped, follows the Exec quoting rules
    exec_value = raw.replace("\\\\", "\\")
    assert exec_value == '"/home/me/my apps/py\\$thon" -m aurora_desktop app'
    percent = parse_entry(desktop_entry(["/opt/100%/aurora"]))
    assert percent["Exec"] == "/opt/100%%/aurora"


def test_app_command_starts_the_tray_app() -> None:
    command = app_command()
    assert command[-1] == "app"
    assert command[0].endswith("aurora") or command[1:3] == ["-m", "aurora_desktop"]


def test_the_windows_install_starts_its_windowless_launcher(tmp_path: Path) -> None:
    # the installer's layout: <folder>\Aurora.exe beside <folder>\python (the embeddable Python)
    folder = tmp_path / "Programs" / "Aurora"
    (folder / "python").mkdir(parents=True)
    (folder / WINDOWS_LAUNCHER).write_bytes(b"MZ")
    prefix = str(folder / "python")
    assert windows_launcher(prefix, "win32") == folder / "Aurora.exe"
    assert windows_launcher(prefix, "linux") is None
    assert windows_launcher(str(tmp_path / "venv"), "win32") is None  # any other Python
    (folder / WINDOWS_LAUNCHER).unlink()
    assert windows_launcher(prefix, "win32") is None


def test_app_command_prefers_the_windows_launcher(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "my apps" / "Aurora"
    monkeypatch.setattr(
        "aurora_desktop.core.autostart.windows_launcher", lambda: folder / "Aurora.exe"
    )
    command = app_command()
    assert command == [str(folder / "Aurora.exe"), "app"]
    # the Run value; installer/windows/aurora.nsi (RunCommand) writes the same string
    assert subprocess.list2cmdline(command) == f'"{folder / "Aurora.exe"}" app'
    assert subprocess.list2cmdline([r"C:\Aurora\Aurora.exe", "app"]) == r"C:\Aurora\Aurora.exe app"


def test_autostart_dir_respects_xdg_config_home(tmp_path: Path) -> None:
    assert autostart_dir({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "autostart"
    assert autostart_dir({}) == Path.home() / ".config" / "autostart"
    assert autostart_dir({"XDG_CONFIG_HOME": "relative"}) == Path.home() / ".config" / "autostart"


def test_enable_and_disable_write_and_remove_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    autostart = Autostart(["/usr/bin/aurora", "app"], platform="linux")
    target = tmp_path / "config" / "autostart" / "aurora.desktop"
    assert not autostart.enabled()
    autostart.set_enabled(True)
    assert autostart.enabled() and target.is_file()
    assert parse_entry(target.read_text(encoding="utf-8"))["Exec"] == "/usr/bin/aurora app"
    autostart.set_enabled(False)
    assert not autostart.enabled() and not target.exists()
    autostart.set_enabled(False)  # already off: fine


def test_a_failure_is_a_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where a folder should be")
    autostart = Autostart(
        ["aurora", "app"], env={"XDG_CONFIG_HOME": str(blocker)}, platform="linux"
    )
    with pytest.raises(ConfigError, match="Start at login could not be turned on"):
        autostart.set_enabled(True)
