"""The whole masker on the public PII development set (bench/eval-data): the issue's goals,
and every line masked, restored and streamed back unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.core.evaluation.pii_score import score_pii
from aurora_desktop.core.policy import pii_phones
from aurora_desktop.core.policy.pii import PiiMasker
from aurora_desktop.core.policy.restore import StreamRestorer

DEV_SET = Path(__file__).resolve().parents[2] / "bench" / "eval-data" / "pii_dev.jsonl"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DEV_SET.read_text("utf-8").splitlines() if line]


@pytest.fixture(params=["ko_KR.UTF-8", "en_US.UTF-8", "de_DE.UTF-8"])
def locale_region(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("LC_ALL", request.param)
    pii_phones.user_region.cache_clear()
    yield request.param
    pii_phones.user_region.cache_clear()


def test_recall_and_over_masking_meet_the_goals(
    rows: list[dict[str, Any]], locale_region: str
) -> None:
    score = score_pii(rows, PiiMasker().find)
    print(locale_region, json.dumps(score.as_json()))
    assert score.total == {
        "CREDIT_CARD": 89, "EMAIL": 75, "PHONE": 80, "SECRET": 53, "IP_ADDRESS": 19, "KR_RRN": 13,
    }  # fmt: skip
    assert score.overall_recall >= 0.97, score.misses
    assert all(score.recall(kind) >= 0.95 for kind in score.total), score.misses
    assert score.empty_lines == 104
    assert score.empty_words_masked_share <= 0.01, score.over_masks
    assert score.hard_negative_lines_over_masked <= 2, score.over_masks


def test_every_line_comes_back_whole(rows: list[dict[str, Any]]) -> None:
    masker = PiiMasker()
    for line in rows:
        text = line["text"]
        result = masker.mask(text)
        assert masker.restore(result.text, result.mapping) == text
        if result.entities:
            assert all(
                text[e.start : e.end] not in result.text
                for e in result.entities
                if len(text[e.start : e.end]) > 3
            )
        restorer = StreamRestorer(result.mapping)
        pieces = [result.text[i : i + 3] for i in range(0, len(result.text), 3)]
        assert "".join(restorer.feed(piece) for piece in pieces) + restorer.flush() == text
