"""A refusal's reason is stored with the decision as a message value, so the Privacy tab
shows it in the user's language long after the request (not only while it runs)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from aurora_desktop.core.contract import Request
from aurora_desktop.core.decisions import DecisionLedger
from aurora_desktop.core.errors import ConsentDenied
from aurora_desktop.core.policy.consent import ConsentAnswer
from aurora_desktop.core.text import Message
from aurora_desktop.ui.i18n import LanguageManager
from aurora_desktop.ui.settings.ledger_text import outcome_text
from tests.support.pipelines import build

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CLOUD_ONLY = {
    "router_version": "1.0",
    "defaults": {"target": "cloud", "fallback": "none"},
    "rules": [],
}


@pytest.fixture
def korean(qapp: QApplication) -> Iterator[None]:
    manager = LanguageManager(qapp)
    assert manager.apply("ko") == "ko"
    try:
        yield
    finally:
        manager.apply("en")


def test_a_refusal_reads_back_as_its_message_and_shows_in_korean(
    tmp_path: Path, korean: None
) -> None:
    pipeline, _local, _cloud = build(tmp_path, policy=CLOUD_ONLY, consent=ConsentAnswer.DENY)
    with pytest.raises(ConsentDenied):
        pipeline.run(Request.from_prompt("hello there"))
    pipeline.close()
    (row,) = DecisionLedger(tmp_path / "decisions.db").entries()  # a fresh reader, from disk
    assert row["outcome"].startswith("refused: Consent for cloud.send:acme was not given")
    assert isinstance(row["reason"], Message)
    assert row["outcome"] == f"refused: {row['reason']}"
    shown = outcome_text(row["outcome"], row["reason"])
    assert HANGUL.search(shown) and "was not given" not in shown and "cloud.send:acme" in shown


def test_an_older_ledger_gets_the_column_and_shows_its_english(tmp_path: Path) -> None:
    path = tmp_path / "decisions.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE decisions (id TEXT PRIMARY KEY, ts REAL NOT NULL, task TEXT NOT NULL,"
            " risk TEXT NOT NULL, target TEXT NOT NULL, model TEXT, rule INTEGER,"
            " why TEXT NOT NULL, masked TEXT NOT NULL, bytes_sent INTEGER NOT NULL,"
            " consent TEXT, outcome TEXT NOT NULL, fallbacks TEXT NOT NULL,"
            " prompt_sha256 TEXT NOT NULL, tokens_in INTEGER, tokens_out INTEGER,"
            " latency_ms REAL)"
        )
        db.execute(
            "INSERT INTO decisions VALUES ('a', 1.0, 'chat', 'low', 'cloud', NULL, NULL, 'w',"
            " '{}', 0, NULL, 'failed: The old reason.', '[]', 'x', NULL, NULL, NULL)"
        )
    db.close()
    (row,) = DecisionLedger(path).entries()
    assert row["reason"] == "The old reason." and not isinstance(row["reason"], Message)
