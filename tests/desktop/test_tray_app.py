"""A person's first minute with Aurora: find the tray icon, click it, ask, read the answer."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pytest

from aurora_desktop.core.cognition.intent import CLASSIFY_ID_PREFIX
from aurora_desktop.core.embedding import DEFAULT_EMBEDDING_MODEL, MULTILINGUAL_EMBEDDING_MODEL
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.telemetry import Telemetry
from tests.desktop.conftest import AppProcess, aurora_command
from tests.support.xdesktop import XDesktop, tray_icon_window, wait_for

pytestmark = pytest.mark.model
CHAT_TITLE = "Aurora chat"


def replies_logged(home: AuroraHome) -> list[dict[str, object]]:
    """Finished answers; picking the task (a model call of its own) does not count."""
    path = home.root / "metrics.db"
    if not path.exists():
        return []
    history = Telemetry(path).history()
    return [asdict(s) for s in history if not s.request_id.startswith(CLASSIFY_ID_PREFIX)]


def test_tray_icon_opens_a_chat_that_answers(
    desktop: XDesktop,
    model_home: AuroraHome,
    start_app: Callable[[XDesktop], AppProcess],
    output_dir: Path,
) -> None:
    app = start_app(desktop)
    icon = wait_for(
        "the Aurora icon to be embedded in the tray",
        lambda: app.proc.poll() is None and tray_icon_window(desktop.tree(), "Aurora"),
        timeout=60,
    )
    x, y, w, h = desktop.geometry(icon)
    desktop.screenshot(output_dir / "1-tray-icon.png")

    desktop.click(x + w // 2, y + h // 2)
    chat = wait_for("the chat popup", lambda: desktop.visible_windows(CHAT_TITLE), timeout=20)[0]
    cx, cy, cw, ch = desktop.geometry(chat)
    assert cy + ch <= y, "the popup opens above the tray at the bottom of the screen"

    desktop.click(cx + cw // 2, cy + ch - 70)  # the prompt box, above the buttons
    desktop.type_text("Give one short tip for staying focused.")
    desktop.screenshot(output_dir / "2-prompt-typed.png")
    desktop.key("Return")

    entries = wait_for("a reply from the model", lambda: replies_logged(model_home), timeout=120)
    assert entries[-1]["tokens_out"] > 0
    assert entries[-1]["target"] == "local"
    time.sleep(1.0)  # the answer is recorded a moment before the popup draws its route line
    shot = desktop.screenshot(output_dir / "3-reply.png")
    assert shot.stat().st_size > 10_000
    # the data folder held only the chat model: the encoders follow in the background
    wait_for(
        "both encoders installed by the app",
        lambda: {DEFAULT_EMBEDDING_MODEL, MULTILINGUAL_EMBEDDING_MODEL} <= installed(model_home),
        timeout=300,
    )
    assert app.proc.poll() is None, app.output()


def installed(home: AuroraHome) -> set[str]:
    """The model names the data folder's manifest lists (a half-written file reads as none)."""
    try:
        manifest = json.loads((home.models / "model_manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return set(manifest.get("models", {}))


def test_second_launch_brings_the_first_forward(
    desktop: XDesktop,
    model_home: AuroraHome,
    start_app: Callable[[XDesktop], AppProcess],
    output_dir: Path,
) -> None:
    app = start_app(desktop)
    wait_for("the tray icon", lambda: tray_icon_window(desktop.tree(), "Aurora"), timeout=60)
    assert desktop.visible_windows(CHAT_TITLE) == []
    second = subprocess.run(
        aurora_command(), env=desktop.env, capture_output=True, text=True, timeout=30
    )
    assert second.returncode == 0, second.stderr
    assert "already running" in second.stderr
    wait_for("the first instance's chat", lambda: desktop.visible_windows(CHAT_TITLE), timeout=20)
    desktop.screenshot(output_dir / "brought-forward.png")
    assert app.proc.poll() is None
    assert app.stop() == 0


def test_tray_menu_quits_the_app(
    desktop: XDesktop,
    model_home: AuroraHome,
    start_app: Callable[[XDesktop], AppProcess],
    output_dir: Path,
) -> None:
    app = start_app(desktop)
    icon = wait_for("the tray icon", lambda: tray_icon_window(desktop.tree(), "Aurora"), 60)
    x, y, w, h = desktop.geometry(icon)
    before = set(desktop.run("xdotool", "search", "--onlyvisible", "--class", "aurora",
                             check=False).split())  # fmt: skip
    desktop.click(x + w // 2, y + h // 2, button=3)

    def new_menu() -> list[str]:
        now = desktop.run("xdotool", "search", "--onlyvisible", "--class", "aurora", check=False)
        return [wid for wid in now.split() if wid not in before]

    menu = wait_for("the tray menu", new_menu, timeout=10)[0]
    desktop.screenshot(output_dir / "tray-menu.png")
    mx, my, mw, mh = desktop.geometry(menu)
    desktop.click(mx + mw // 2, my + mh - 12)  # "Quit" is the last entry
    assert app.proc.wait(20) == 0, app.output()


def test_aurora_quit_closes_the_running_app(
    desktop: XDesktop,
    model_home: AuroraHome,
    start_app: Callable[[XDesktop], AppProcess],
) -> None:
    """What the Windows uninstaller and an upgrade run before they replace the program."""
    app = start_app(desktop)
    wait_for("the tray icon", lambda: tray_icon_window(desktop.tree(), "Aurora"), timeout=60)
    quit_run = subprocess.run(
        [*aurora_command(), "quit"], env=desktop.env, capture_output=True, text=True, timeout=90
    )
    assert quit_run.returncode == 0, quit_run.stderr
    assert quit_run.stdout.strip() == "Aurora has quit."
    assert app.proc.wait(10) == 0, app.output()
    again = subprocess.run(
        [*aurora_command(), "quit"], env=desktop.env, capture_output=True, text=True, timeout=30
    )
    assert (again.returncode, again.stdout.strip()) == (0, "Aurora is not running.")


def test_without_a_tray_the_chat_window_opens_and_says_why(
    bare_desktop: XDesktop,
    model_home: AuroraHome,
    start_app: Callable[[XDesktop], AppProcess],
    output_dir: Path,
) -> None:
    app = start_app(bare_desktop)
    wait_for("the chat window", lambda: bare_desktop.visible_windows(CHAT_TITLE), timeout=30)
    wait_for("the explanation", lambda: "no system tray" in app.output(), timeout=10)
    bare_desktop.screenshot(output_dir / "no-tray.png")
