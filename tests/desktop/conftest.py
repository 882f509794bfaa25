"""Desktop tests: the real `aurora` process on a real X server with a real tray host."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.xdesktop import XDesktop, missing_tools, x_desktop

REPO = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.desktop)


@pytest.fixture
def output_dir(request: pytest.FixtureRequest) -> Path:
    """Where a desktop test leaves its screenshots (kept after the run for people to look at)."""
    root = Path(os.environ.get("AURORA_TEST_OUTPUT", REPO / "test-output"))
    folder = root / "desktop" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def tools() -> None:
    missing = missing_tools()
    assert not missing, f"desktop tests need {', '.join(missing)}: run .ci/run or install them"


@pytest.fixture
def desktop(tools: None) -> Iterator[XDesktop]:
    with x_desktop(with_tray=True) as running:
        yield running


@pytest.fixture
def bare_desktop(tools: None) -> Iterator[XDesktop]:
    with x_desktop(with_tray=False) as running:
        yield running


def aurora_command() -> list[str]:
    script = Path(sys.executable).with_name("aurora")
    assert script.exists(), f"the aurora console script is not installed next to {sys.executable}"
    return [str(script)]


class AppProcess:
    def __init__(self, desktop: XDesktop, log: Path) -> None:
        self.log = log
        self._log_handle = log.open("wb")
        self.proc = subprocess.Popen(
            aurora_command(), env=desktop.env, stdout=self._log_handle, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("aurora did not exit within 20 s of SIGTERM") from None
        finally:
            self._log_handle.close()
        return code


@pytest.fixture
def start_app(output_dir: Path) -> Iterator[object]:
    started: list[AppProcess] = []

    def start(desktop: XDesktop) -> AppProcess:
        app = AppProcess(desktop, output_dir / f"aurora-{len(started)}.log")
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()
