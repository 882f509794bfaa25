"""pii_score: what counts as found, as over-masking, and as a masked word."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.evaluation.pii_score import Detection, score_pii


def row(text: str, *entities: tuple[str, str], **extra: Any) -> dict[str, Any]:
    spans = [
        {
            "type": kind,
            "value": value,
            "start": text.index(value),
            "end": text.index(value) + len(value),
        }
        for kind, value in entities
    ]
    others = [
        {
            "type": kind,
            "value": value,
            "start": text.index(value),
            "end": text.index(value) + len(value),
        }
        for kind, value in extra.pop("others", ())
    ]
    return {"id": text[:10], "text": text, "entities": spans, "other_entities": others, **extra}


def detector(*found: tuple[str, str]) -> Callable[[str], Sequence[Detection]]:
    def detect(text: str) -> Sequence[Detection]:
        return [
            (kind, text.index(value), text.index(value) + len(value))
            for kind, value in found
            if value in text
        ]

    return detect


def test_an_entity_is_found_when_its_letters_and_digits_are_masked_as_its_kind() -> None:
    rows = [
        row("call (212) 555-1234 now", ("PHONE", "(212) 555-1234")),
        row("card 4111 1111 1111 1111", ("CREDIT_CARD", "4111 1111 1111 1111")),
        row("mail a@b.co", ("EMAIL", "a@b.co")),
    ]
    score = score_pii(
        rows,
        detector(
            ("PHONE", "212) 555-1234"),  # the bracket may stay
            ("PHONE", "4111 1111 1111 1111"),  # the wrong kind
            ("EMAIL", "a@b"),  # '.co' leaks
        ),
    )
    assert score.found == {"PHONE": 1}
    assert score.total == {"PHONE": 1, "CREDIT_CARD": 1, "EMAIL": 1}
    assert score.recall("PHONE") == 1.0 and score.recall("CREDIT_CARD") == 0.0
    assert score.overall_recall == pytest.approx(1 / 3)
    assert [(m.type, m.masked_as) for m in score.misses] == [
        ("CREDIT_CARD", ("PHONE",)),
        ("EMAIL", ("EMAIL",)),
    ]


def test_two_spans_of_the_right_kind_may_cover_one_entity() -> None:
    rows = [row("key -----BEGIN X----- body", ("SECRET", "-----BEGIN X----- body"))]
    score = score_pii(rows, detector(("SECRET", "-----BEGIN X-----"), ("SECRET", "body")))
    assert score.found == {"SECRET": 1}


def test_over_masking_counts_spans_outside_every_label() -> None:
    rows = [
        row("Order 20260722 for Kim", others=[("PERSON", "Kim")], hard_negative=True),
        row("plain words only here"),
        row("version 3.11.4 of the tool", hard_negative=True),
    ]
    score = score_pii(rows, detector(("PHONE", "20260722"), ("PHONE", "Kim"), ("IP", "only here")))
    assert [(o.kind, o.value, o.hard_negative) for o in score.over_masks] == [
        ("PHONE", "20260722", True),
        ("IP", "only here", False),
    ]
    assert score.over_masks_by_kind() == {"PHONE": 1, "IP": 1}
    assert (score.hard_negative_lines, score.hard_negative_lines_over_masked) == (2, 1)
    # lines without any span: 'plain words only here' (2 of 4 words) and the version line (0 of 5)
    assert (score.empty_lines, score.empty_words, score.empty_words_masked) == (2, 9, 2)
    assert score.empty_words_masked_share == pytest.approx(2 / 9)
    assert score.as_json()["over_masked_spans"] == 2


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"entities": []}, "needs a text"),
        (
            {"text": "abc", "entities": [{"type": "EMAIL", "start": 2, "end": 9}]},
            "outside its text",
        ),
        ({"text": "abc", "entities": [{"type": "NAME", "start": 0, "end": 1}]}, "type 'NAME'"),
    ],
)
def test_a_malformed_row_is_one_sentence(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        score_pii([bad], detector())
