"""The product card's jobs on a real desktop: settings in Korean, a consent asked and answered,
the dashboard watching a generation. Screenshots are kept in test-output/desktop/<test>/."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.providers.registry import ProviderConfig, ProviderRegistry
from tests.desktop.conftest import AppProcess
from tests.desktop.test_tray_app import CHAT_TITLE, replies_logged
from tests.support.openai_stub import OpenAIStub, StubReply, serve_openai_stub
from tests.support.xdesktop import XDesktop, tray_icon_window, wait_for

pytestmark = pytest.mark.model
CONSENT_TITLE = "consent"
SETTINGS_TITLE = "Aurora — settings"
DASHBOARD_TITLE = "Aurora — dashboard"
MENU = {"open": 1, "dashboard": 2, "settings": 3}  # Down presses from the top of the tray menu


def start_with_icon(
    desktop: XDesktop, start_app: Callable[[XDesktop], AppProcess]
) -> tuple[AppProcess, tuple[int, int, int, int]]:
    app = start_app(desktop)
    icon = wait_for(
        "the Aurora icon in the tray",
        lambda: app.proc.poll() is None and tray_icon_window(desktop.tree(), "Aurora"),
        timeout=60,
    )
    return app, desktop.geometry(icon)


def choose_from_tray_menu(
    desktop: XDesktop, icon: tuple[int, int, int, int], entry: str, shot: Path | None = None
) -> None:
    """Right-click the icon, walk down the menu with the keyboard, press Return."""
    x, y, w, h = icon
    before = set(desktop.run("xdotool", "search", "--onlyvisible", "--class", "aurora",
                             check=False).split())  # fmt: skip

    def new_menu() -> list[str]:
        now = desktop.run("xdotool", "search", "--onlyvisible", "--class", "aurora", check=False)
        return [wid for wid in now.split() if wid not in before]

    desktop.click(x + w // 2, y + h // 2, button=3)
    wait_for("the tray menu", new_menu, timeout=10)
    for _ in range(MENU[entry]):
        desktop.key("Down")
    if shot is not None:
        desktop.screenshot(shot)
    desktop.key("Return")


def open_chat(
    desktop: XDesktop, icon: tuple[int, int, int, int], title: str = CHAT_TITLE
) -> tuple[int, int, int, int]:
    x, y, w, h = icon
    desktop.click(x + w // 2, y + h // 2)
    chat = wait_for("the chat popup", lambda: desktop.visible_windows(title), timeout=20)[0]
    return desktop.geometry(chat)


def ask(desktop: XDesktop, chat: tuple[int, int, int, int], text: str, *keys: str) -> None:
    """Click into the prompt box, set the selectors with their shortcuts, type, send."""
    cx, cy, cw, ch = chat
    desktop.click(cx + cw // 2, cy + ch - 70)
    for key in keys:
        desktop.key(key)
    desktop.click(cx + cw // 2, cy + ch - 70)
    desktop.type_text(text)
    desktop.key("Return")


def ledger_rows(home: AuroraHome) -> list[dict[str, object]]:
    path = home.root / "decisions.db"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM decisions ORDER BY rowid")]


@pytest.fixture
def stand_in_cloud(model_home: AuroraHome) -> Iterator[OpenAIStub]:
    with serve_openai_stub(default=StubReply.sse("Lunch", " on Friday", " sounds good.")) as stub:
        ProviderRegistry(model_home.root / "providers.json").add(
            ProviderConfig(name="standin", base_url=stub.base_url, model="stand-in"), "sk-test-1"
        )
        yield stub


def test_settings_switch_to_korean(
    desktop: XDesktop,
    model_home: AuroraHome,
    start_app: Callable[[XDesktop], AppProcess],
    output_dir: Path,
) -> None:
    app, icon = start_with_icon(desktop, start_app)
    choose_from_tray_menu(desktop, icon, "settings", shot=output_dir / "1-tray-menu.png")
    window = wait_for("Settings", lambda: desktop.visible_windows(SETTINGS_TITLE), 20)[0]
    sx, sy, _, _ = desktop.geometry(window)
    desktop.screenshot(output_dir / "2-settings-routing.png")
    desktop.click(sx + 90, sy + 40)  # the page list, first entry
    desktop.key("End")  # General is the last page
    desktop.key("alt+l")  # "&Language:"
    desktop.key("End")  # 한국어 is the last language
    settings = model_home.root / "settings.json"
    wait_for(
        "the language to be saved",
        lambda: settings.exists() and json.loads(settings.read_text())["language"] == "ko",
        timeout=10,
    )
    wait_for("the Korean title", lambda: desktop.visible_windows("Aurora — 설정"), timeout=10)
    time.sleep(0.5)
    desktop.screenshot(output_dir / "3-settings-korean.png")
    desktop.key("Escape")
    choose_from_tray_menu(desktop, icon, "open", shot=output_dir / "4-tray-menu-korean.png")
    desktop.key("Escape")
    assert app.proc.poll() is None, app.output()


def test_consent_deny_then_allow_once(
    desktop: XDesktop,
    model_home: AuroraHome,
    stand_in_cloud: OpenAIStub,
    start_app: Callable[[XDesktop], AppProcess],
    output_dir: Path,
) -> None:
    app, icon = start_with_icon(desktop, start_app)
    chat = open_chat(desktop, icon)
    prompt = "Write a note to anna@example.com about lunch"
    ask(desktop, chat, prompt, "alt+a", "c")  # task: Chat, which the default policy sends out

    dialog = wait_for("the consent dialog", lambda: desktop.visible_windows(CONSENT_TITLE), 60)[0]
    dx, dy, dw, _ = desktop.geometry(dialog)
    time.sleep(0.5)
    desktop.screenshot(output_dir / "1-consent-asked.png")
    desktop.click(dx + dw // 2, dy + 20)  # the header, to give the window the keyboard
    desktop.key("alt+d")
    first = wait_for("the local answer", lambda: replies_logged(model_home), timeout=120)
    assert first[-1]["target"] == "local"
    assert stand_in_cloud.chat_count == 0, "nothing may leave after Deny"
    time.sleep(1.0)
    desktop.screenshot(output_dir / "2-denied-answered-locally.png")

    ask(desktop, chat, prompt)
    dialog = wait_for(
        "the consent dialog again", lambda: desktop.visible_windows(CONSENT_TITLE), 60
    )[0]
    dx, dy, dw, _ = desktop.geometry(dialog)
    time.sleep(0.5)
    desktop.screenshot(output_dir / "3-consent-asked-again.png")
    desktop.click(dx + dw // 2, dy + 20)
    desktop.key("alt+o")
    assert stand_in_cloud.wait_for_requests(1, timeout=30)
    sent = stand_in_cloud.chat_requests[0].text
    assert "<EMAIL_1>" in sent and "anna@example.com" not in sent
    wait_for("the cloud answer", lambda: len(replies_logged(model_home)) >= 2, timeout=60)
    time.sleep(1.0)
    desktop.screenshot(output_dir / "4-allowed-once-cloud-answer.png")
    consents = [r["consent"] for r in ledger_rows(model_home) if r["target"] == "cloud"]
    assert consents[-1] == "once"
    assert (
        not (model_home.root / "consents.json").exists()
        or json.loads((model_home.root / "consents.json").read_text()) == []
    )
    assert app.proc.poll() is None, app.output()


def test_dashboard_during_a_generation(
    desktop: XDesktop,
    model_home: AuroraHome,
    start_app: Callable[[XDesktop], AppProcess],
    output_dir: Path,
) -> None:
    app, icon = start_with_icon(desktop, start_app)
    chat = open_chat(desktop, icon)
    # task Chat at high risk: rule 1 keeps it on this device, one long model call
    ask(desktop, chat, "Write a long story about a lighthouse keeper in a storm.",
        "alt+a", "c", "alt+r", "h")  # fmt: skip
    choose_from_tray_menu(desktop, icon, "dashboard")
    wait_for("the dashboard", lambda: desktop.visible_windows(DASHBOARD_TITLE), timeout=20)
    time.sleep(1.0)  # two or more dashboard updates
    shot_at = time.time()
    desktop.screenshot(output_dir / "1-dashboard-during-generation.png")
    entries = wait_for("the answer", lambda: replies_logged(model_home), timeout=120)
    assert entries[-1]["ts"] > shot_at, "the first screenshot was meant to show a generation"
    time.sleep(1.5)
    desktop.screenshot(output_dir / "2-dashboard-after.png")
    assert app.proc.poll() is None, app.output()


def test_consent_in_korean(
    desktop: XDesktop,
    model_home: AuroraHome,
    stand_in_cloud: OpenAIStub,
    start_app: Callable[[XDesktop], AppProcess],
    output_dir: Path,
) -> None:
    """The core's reason for asking reads in Korean too, not only the dialog around it."""
    (model_home.root / "settings.json").write_text(json.dumps({"language": "ko"}))
    app, icon = start_with_icon(desktop, start_app)
    chat = open_chat(desktop, icon, "Aurora 채팅")
    # "작업(&A)" is still Alt+A; Down moves from 자동 (Auto) to 대화 (Chat)
    ask(desktop, chat, "Write a note to anna@example.com about lunch", "alt+a", "Down")
    dialog = wait_for(
        "the Korean consent dialog", lambda: desktop.visible_windows("Aurora — 동의"), 60
    )[0]
    dx, dy, dw, _ = desktop.geometry(dialog)
    time.sleep(0.5)
    desktop.screenshot(output_dir / "1-consent-asked-in-korean.png")
    desktop.click(dx + dw // 2, dy + 20)
    desktop.key("alt+d")  # 거부(&D)
    answered = wait_for("the local answer", lambda: replies_logged(model_home), timeout=120)
    assert answered[-1]["target"] == "local"
    assert stand_in_cloud.chat_count == 0, "nothing may leave after Deny"
    time.sleep(1.0)
    desktop.screenshot(output_dir / "2-denied-answered-locally-in-korean.png")
    assert app.proc.poll() is None, app.output()
