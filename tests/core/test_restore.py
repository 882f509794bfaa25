"""Restoring placeholders in replies, also when a placeholder is split across tokens."""

from __future__ import annotations

from aurora_desktop.core.policy.restore import StreamRestorer, restore_placeholders

MAPPING = {"<EMAIL_1>": "kim@example.com", "<PHONE_1>": "010-1234-5678"}


def test_restore_known_and_leave_unknown() -> None:
    text = "Write to <EMAIL_1> or <EMAIL_1>, call <PHONE_1>; <CARD_9> is unknown."
    assert restore_placeholders(text, MAPPING) == (
        "Write to kim@example.com or kim@example.com, call 010-1234-5678; <CARD_9> is unknown."
    )


def test_stream_restores_placeholders_split_across_pieces() -> None:
    pieces = ["Mail ", "<EM", "AIL", "_1", "> now", " and 2 < 3 ", "<PHONE_1>", "!", " <"]
    restorer = StreamRestorer(MAPPING)
    shown = "".join(restorer.feed(p) for p in pieces) + restorer.flush()
    assert shown == "Mail kim@example.com now and 2 < 3 010-1234-5678! <"


def test_stream_does_not_hold_back_plain_text_forever() -> None:
    restorer = StreamRestorer(MAPPING)
    out = restorer.feed("a < b and then a long sentence without a closing bracket")
    assert out.endswith("bracket")
