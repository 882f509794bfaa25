"""A real X desktop for tests: Xvfb, the trayer system-tray host, xdotool and screenshots."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
SCREEN = (1280, 800)
TOOLS = ("Xvfb", "trayer", "xdotool", "xwininfo", "import")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, step: float = 0.2) -> T:
    """Poll `probe` until it returns something truthy; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


@dataclass
class XDesktop:
    display: str

    @property
    def env(self) -> dict[str, str]:
        dropped = ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env["DISPLAY"] = self.display
        return env

    def run(self, *args: str, check: bool = True) -> str:
        proc = subprocess.run(
            args, capture_output=True, text=True, env=self.env, timeout=30, check=False
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed: {proc.stderr.strip()}")
        return proc.stdout

    def tree(self) -> str:
        return self.run("xwininfo", "-root", "-tree")

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        info = self.run("xwininfo", "-id", window)
        grab = {
            k: int(re.search(rf"{k}:\s+(-?\d+)", info)[1])
            for k in (  # type: ignore[index]
                "Absolute upper-left X",
                "Absolute upper-left Y",
                "Width",
                "Height",
            )
        }
        return (
            grab["Absolute upper-left X"],
            grab["Absolute upper-left Y"],
            grab["Width"],
            grab["Height"],
        )

    def visible_windows(self, name: str) -> list[str]:
        out = self.run("xdotool", "search", "--onlyvisible", "--name", name, check=False)
        return out.split()

    def click(self, x: int, y: int, button: int = 1) -> None:
        self.run("xdotool", "mousemove", str(x), str(y), "click", str(button))

    def type_text(self, text: str) -> None:
        self.run("xdotool", "type", "--delay", "15", text)

    def key(self, name: str) -> None:
        self.run("xdotool", "key", name)

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.run("import", "-display", self.display, "-window", "root", str(path))
        return path


def tray_icon_window(tree: str, title: str) -> str | None:
    """The id of the window named `title` embedded under trayer's panel, if any."""
    lines = tree.splitlines()
    for i, line in enumerate(lines):
        if '("panel" "trayer")' not in line:
            continue
        depth = len(line) - len(line.lstrip())
        for inner in lines[i + 1 :]:
            if inner.strip() and len(inner) - len(inner.lstrip()) <= depth:
                break
            if f'"{title}":' in inner:
                return inner.split()[0]
    return None


@contextmanager
def x_desktop(*, with_tray: bool) -> Iterator[XDesktop]:
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            f"{SCREEN[0]}x{SCREEN[1]}x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    helpers: list[subprocess.Popen[bytes]] = []
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not report a display number"
        desktop = XDesktop(display=f":{number}")
        wait_for("the X server", lambda: "Root window" in desktop.tree(), 15)
        if with_tray:
            tray_cmd = [
                "trayer",
                "--edge",
                "bottom",
                "--align",
                "right",
                "--widthtype",
                "request",
                "--height",
                "32",
                "--SetDockType",
                "true",
                "--transparent",
                "false",
                "--tint",
                "0x333333",
                "--expand",
                "true",
            ]
            helpers.append(
                subprocess.Popen(
                    tray_cmd,
                    env=desktop.env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            wait_for("trayer's panel", lambda: '("panel" "trayer")' in desktop.tree(), 15)
        yield desktop
    finally:
        for proc in [*helpers, xvfb]:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
