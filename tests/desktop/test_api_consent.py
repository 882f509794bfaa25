"""The running tray app serves the local API; a client's request that would leave the
machine raises the consent dialog naming the app; Allow once; the answer reaches the client
with its e-mail address restored, while the stand-in cloud saw only a placeholder."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.core.api_keys import ApiKeyStore
from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.settings import settings_path
from tests.desktop.conftest import AppProcess
from tests.desktop.test_desktop_jobs import CONSENT_TITLE, ledger_rows, start_with_icon
from tests.desktop.test_desktop_jobs import stand_in_cloud as stand_in_cloud
from tests.support.llama_server import free_port
from tests.support.openai_stub import OpenAIStub
from tests.support.xdesktop import XDesktop, wait_for

pytestmark = pytest.mark.model
APP_NAME = "Notes app"


def test_an_api_client_is_named_in_the_consent_dialog_and_gets_its_answer(
    desktop: XDesktop,
    model_home: AuroraHome,
    stand_in_cloud: OpenAIStub,
    start_app: Callable[[XDesktop], AppProcess],
    output_dir: Path,
) -> None:
    import openai

    port = free_port()
    _key, token = ApiKeyStore.in_home(
        model_home, AuditLedger(model_home.root / "ledger.jsonl")
    ).create(APP_NAME, ["chat", "models"])
    path = settings_path(model_home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"api_enabled": True, "api_port": port}), encoding="utf-8")
    app, _icon = start_with_icon(desktop, start_app)
    client = openai.OpenAI(
        base_url=f"http://127.0.0.1:{port}/v1", api_key=token, max_retries=0, timeout=180
    )
    wait_for("the local API", lambda: _listening(client), timeout=60)

    answers: list[Any] = []

    def ask() -> None:  # the app's request waits while the user decides
        answers.append(
            client.chat.completions.create(
                model="aurora/auto",
                messages=[{"role": "user", "content": "Write a note to anna@example.com"}],
                extra_headers={"x-aurora-task": "chat"},  # the default policy sends chat out
            )
        )

    worker = threading.Thread(target=ask, name="api-client", daemon=True)
    worker.start()
    dialog = wait_for("the consent dialog", lambda: desktop.visible_windows(CONSENT_TITLE), 90)[0]
    dx, dy, dw, _ = desktop.geometry(dialog)
    time.sleep(0.5)
    desktop.screenshot(output_dir / "1-consent-names-the-app.png")
    assert stand_in_cloud.chat_count == 0, "nothing may leave before the user says yes"
    desktop.click(dx + dw // 2, dy + 20)  # the header, to give the window the keyboard
    desktop.key("alt+o")  # Allow once
    worker.join(120)
    assert answers, app.output()
    reply = answers[0].choices[0].message.content
    assert reply == "Lunch on Friday sounds good."
    sent = stand_in_cloud.chat_requests[0].text
    assert "<EMAIL_1>" in sent and "anna@example.com" not in sent
    rows = [r for r in ledger_rows(model_home) if r["target"] == "cloud"]
    assert rows[-1]["app"] == APP_NAME and rows[-1]["consent"] == "once"
    time.sleep(0.5)
    desktop.screenshot(output_dir / "2-answered.png")
    assert app.proc.poll() is None, app.output()


def _listening(client: Any) -> bool:
    import openai

    try:
        client.models.list()
    except openai.APIConnectionError:
        return False
    return True
