"""RAG retrieval quality: the rank of each question's gold document, hit@1/3/5 per language."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.text import phrase

CUTOFFS = (1, 3, 5)
ALL = "all"
Search = Callable[[str, int], Sequence[str]]  # (question, k) -> document names, best first


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionRank:
    """Where one question's gold document came: `rank` 1 is first, None when not in the list."""

    question: str
    lang: str
    gold: str
    rank: int | None
    found: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageScore:
    """hit@k for one language (or `all`): the share of its questions with gold in the top k."""

    lang: str
    questions: int
    hits: Mapping[int, int]  # cutoff -> questions with gold at rank <= cutoff
    mrr: float

    def hit_at(self, cutoff: int) -> float:
        return self.hits[cutoff] / self.questions if self.questions else 0.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"lang": self.lang, "questions": self.questions}
        for cutoff in sorted(self.hits):
            out[f"hit@{cutoff}"] = round(self.hit_at(cutoff), 4)
            out[f"in_top{cutoff}"] = self.hits[cutoff]
        out["mrr"] = round(self.mrr, 4)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class RagScore:
    """Scores per language plus `all`, and every question's rank (for looking at misses)."""

    languages: Mapping[str, LanguageScore]
    ranks: tuple[QuestionRank, ...]

    def misses(self, cutoff: int = 3) -> list[QuestionRank]:
        return [r for r in self.ranks if r.rank is None or r.rank > cutoff]

    def to_dict(self) -> dict[str, Any]:
        return {
            "languages": {lang: s.to_dict() for lang, s in self.languages.items()},
            "ranks": [
                {"question": r.question, "lang": r.lang, "gold": r.gold, "rank": r.rank}
                for r in self.ranks
            ],
        }


def score_rag(
    rows: Iterable[Mapping[str, Any]], search: Search, *, depth: int = max(CUTOFFS)
) -> RagScore:
    """Ask `search` each row's `question` for `depth` documents and rank its gold `doc`.

    A row needs `question` and `doc` (the gold document's file name); `lang` defaults to
    "und". Repeated names in a search result count once, at their first place.
    """
    if depth < max(CUTOFFS):
        raise ValueError(f"depth must be at least {max(CUTOFFS)}")
    ranks = [_rank(row, n, search, depth) for n, row in enumerate(rows, start=1)]
    langs = sorted({r.lang for r in ranks})
    scores = {lang: _language(lang, [r for r in ranks if r.lang == lang]) for lang in langs}
    scores[ALL] = _language(ALL, ranks)
    return RagScore(languages=scores, ranks=tuple(ranks))


def _rank(row: Mapping[str, Any], line: int, search: Search, depth: int) -> QuestionRank:
    question, gold = row.get("question"), row.get("doc")
    if not isinstance(question, str) or not question.strip() or not isinstance(gold, str):
        raise ConfigError(
            phrase("Question {line} needs a 'question' text and a gold 'doc' file name.", line=line)
        )
    lang = row.get("lang")
    found = tuple(dict.fromkeys(search(question, depth)))[:depth]
    rank = found.index(gold) + 1 if gold in found else None
    return QuestionRank(
        question=question,
        lang=lang if isinstance(lang, str) and lang else "und",
        gold=gold,
        rank=rank,
        found=found,
    )


def _language(lang: str, ranks: Sequence[QuestionRank]) -> LanguageScore:
    hits = {c: sum(1 for r in ranks if r.rank is not None and r.rank <= c) for c in CUTOFFS}
    mrr = sum(1.0 / r.rank for r in ranks if r.rank is not None) / len(ranks) if ranks else 0.0
    return LanguageScore(lang=lang, questions=len(ranks), hits=hits, mrr=mrr)
