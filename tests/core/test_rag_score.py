"""Scoring retrieval on labelled questions: ranks, hit@1/3/5 per language, MRR, bad rows."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.evaluation.rag_score import ALL, score_rag

ROWS = [
    {"question": "q1", "doc": "a.txt", "lang": "en"},
    {"question": "q2", "doc": "b.txt", "lang": "en"},
    {"question": "q3", "doc": "c.txt", "lang": "ko"},
    {"question": "q4", "doc": "d.txt", "lang": "ko"},
    {"question": "q5", "doc": "e.txt"},
]
RESULTS = {
    "q1": ["a.txt", "x.txt"],  # first
    "q2": ["x.txt", "x.txt", "y.txt", "b.txt"],  # a repeat counts once: third
    "q3": ["x.txt", "y.txt", "z.txt", "w.txt", "c.txt"],  # fifth
    "q4": ["x.txt"],  # missing
    "q5": ["v.txt", "e.txt"],  # second, no language given
}


def search(question: str, k: int) -> Sequence[str]:
    assert k == 5
    return RESULTS[question]


def test_ranks_and_hits_per_language_and_overall() -> None:
    score = score_rag(ROWS, search)
    assert [r.rank for r in score.ranks] == [1, 3, 5, None, 2]
    en, ko, und, everyone = (score.languages[x] for x in ("en", "ko", "und", ALL))
    assert dict(en.hits) == {1: 1, 3: 2, 5: 2} and en.hit_at(3) == 1.0
    assert dict(ko.hits) == {1: 0, 3: 0, 5: 1} and ko.hit_at(5) == 0.5
    assert und.questions == 1 and und.mrr == 0.5
    assert everyone.questions == 5 and everyone.hit_at(3) == pytest.approx(3 / 5)
    assert everyone.mrr == pytest.approx((1 + 1 / 3 + 1 / 5 + 0 + 1 / 2) / 5)
    assert [m.question for m in score.misses(3)] == ["q3", "q4"]
    assert score.ranks[1].found == ("x.txt", "y.txt", "b.txt")
    as_dict = score.to_dict()
    assert as_dict["languages"]["en"]["in_top3"] == 2 and as_dict["ranks"][3]["rank"] is None


@pytest.mark.parametrize(
    "row", [{"doc": "a.txt"}, {"question": " ", "doc": "a.txt"}, {"question": "q", "doc": 3}]
)
def test_a_row_without_question_or_gold_is_named_by_its_line(row: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match=r"^Question 2 needs"):
        score_rag([ROWS[0], row], search)


def test_depth_must_reach_the_deepest_cutoff() -> None:
    with pytest.raises(ValueError):
        score_rag(ROWS, search, depth=3)
    assert score_rag([], search).languages[ALL].hit_at(1) == 0.0
