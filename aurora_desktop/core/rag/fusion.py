"""Joining the vector and the lexical ranking of chunks into one.

Two ways, both pure. `weighted_sum` (the one retrieval uses) adds the cosine similarity and
the lexical score, each the retriever's own absolute measure of fit, weighted by
`LEXICAL_WEIGHT`; Bruch, Gai and Ingber (ACM TOIS 2023) found such a convex combination
better than rank fusion. `reciprocal_rank_fusion` (Cormack, Clarke and Büttcher, SIGIR 2009)
needs no scores, but counts a chunk ranked by both retrievers above one ranked first by one.
Measured on the RAG development set (30 English and 30 Korean extractive questions) plus 33
paraphrased English questions sharing almost no words with their document (the integration
test's), rank fusion (k 10 or 60) lost the right document from the top 3 for 2 to 7 of the
paraphrased ones, each time to weak matches on common words; the weighted sum kept every
gold document in the top 3 for any weight from 0.3 to 0.7 with MiniLM and from 0.1 to 0.7
with the multilingual encoder, and first for all 93 questions from 0.3 to 0.45 with the latter.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

RRF_K = 60.0
LEXICAL_WEIGHT = 0.4  # inside every plateau above (bench/rag_bench.py --quality measures it)
T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Fused(Generic[T]):
    """One item of the fused ranking and the retrievers that ranked it, in input order."""

    item: T
    score: float
    found_by: tuple[str, ...]


def weighted_sum(
    scores: Mapping[str, Mapping[T, float]], weights: Mapping[str, float]
) -> list[Fused[T]]:
    """Items of every named score table by the weighted sum of their scores, best first.

    An item missing from a table scores 0 there; `found_by` names the tables it is in.
    Ties keep the order in which items were first met, table by table.
    """
    if set(weights) != set(scores):
        raise ValueError("one weight per score table is needed")
    total: dict[T, float] = {}
    for name, table in scores.items():
        for item, score in table.items():
            total[item] = total.get(item, 0.0) + weights[name] * score
    order = sorted(total, key=lambda item: -total[item])  # stable: first met wins ties
    return [
        Fused(item, total[item], tuple(n for n in scores if item in scores[n])) for item in order
    ]


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[T]], *, k: float = RRF_K
) -> list[Fused[T]]:
    """Items of every named ranking (best first), ordered by their summed 1 / (k + rank).

    Ties keep the order in which items were first met, going through the rankings in turn
    rank by rank, so the result is deterministic. A repeated item counts at its first rank.
    """
    if k < 0:
        raise ValueError("k must not be negative")
    scores: dict[T, float] = {}
    seen: dict[str, set[T]] = {name: set() for name in rankings}
    depth = max((len(r) for r in rankings.values()), default=0)
    for rank in range(depth):
        for name, ranking in rankings.items():
            if rank >= len(ranking) or ranking[rank] in seen[name]:
                continue
            item = ranking[rank]
            seen[name].add(item)
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
    order = sorted(scores, key=lambda item: -scores[item])  # stable: first met wins ties
    return [
        Fused(item, scores[item], tuple(n for n in rankings if item in seen[n])) for item in order
    ]
