"""Retrieval: the chunks for a question, by meaning (vectors), by words (FTS5) or both fused."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.rag.docstore import DocumentStore
from aurora_desktop.core.rag.fusion import LEXICAL_WEIGHT, weighted_sum
from aurora_desktop.core.rag.keeper import IndexKeeper

VECTOR = "vector"
LEXICAL = "lexical"
FUSED = "fused"
RETRIEVERS = (FUSED, VECTOR, LEXICAL)
CANDIDATES = 50  # chunks each retriever offers to the fusion: more than k, so both weigh in


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """One retrieved chunk: `text` is characters `start:end` of the file at `path`."""

    path: str
    score: float  # cosine similarity to the question, -1 to 1 (also for lexical finds)
    text: str
    start: int
    end: int
    chunk_id: int
    ordinal: int
    lexical: float = 0.0  # share of the question's rare words it holds (`DocumentStore.lexical`)
    found_by: tuple[str, ...] = (VECTOR,)  # the retrievers that found it

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["found_by"] = list(self.found_by)
        return out


def nearest(
    keeper: IndexKeeper, store: DocumentStore, vector: npt.NDArray[np.float32], k: int
) -> list[Hit]:
    """The `k` chunks nearest to a unit query vector, best first."""
    return retrieve(keeper, store, vector, "", k, VECTOR)


def retrieve(
    keeper: IndexKeeper,
    store: DocumentStore,
    vector: npt.NDArray[np.float32],
    text: str,
    k: int,
    using: str = FUSED,
) -> list[Hit]:
    """The `k` best chunks for the question `text` (embedded as `vector`), best first.

    `fused` ranks the candidates of both retrievers by `fusion.weighted_sum` of their
    cosine similarity and lexical score; a lexical find outside the vector candidates gets
    its cosine from its stored vector.
    """
    if using not in RETRIEVERS:
        raise ValueError(f"unknown retriever {using!r}")
    depth = k if using != FUSED else max(k, CANDIDATES)
    near: dict[int, float] = {}  # the vector retriever's finds: chunk id -> cosine
    words: dict[int, float] = {}  # the lexical retriever's finds: chunk id -> lexical score
    if using in (FUSED, VECTOR):
        near.update((chunk_id, score) for score, chunk_id in keeper.search(vector, depth))
    if using in (FUSED, LEXICAL):
        words.update((chunk_id, score) for score, chunk_id in store.lexical(text, depth))
    cosine = dict(near)
    for ids, rows in store.vectors([chunk_id for chunk_id in words if chunk_id not in near]):
        cosine.update(zip(ids.tolist(), (rows @ vector).tolist(), strict=True))
    if using == FUSED:
        weights = {VECTOR: 1.0 - LEXICAL_WEIGHT, LEXICAL: LEXICAL_WEIGHT}
        order = [f.item for f in weighted_sum({VECTOR: cosine, LEXICAL: words}, weights)]
    else:
        order = list(near if using == VECTOR else words)
    found = store.chunks(order)
    hits: list[Hit] = []
    for chunk_id in order:
        chunk = found.get(chunk_id)
        if chunk is None:  # removed by another process since this index was loaded
            continue
        hits.append(
            Hit(
                path=chunk.path,
                score=float(cosine.get(chunk_id, 0.0)),
                lexical=float(words.get(chunk_id, 0.0)),
                text=chunk.text,
                start=chunk.start,
                end=chunk.end,
                chunk_id=chunk.id,
                ordinal=chunk.ordinal,
                found_by=tuple(
                    n for n, ids in ((VECTOR, near), (LEXICAL, words)) if chunk_id in ids
                ),
            )
        )
        if len(hits) == k:
            break
    return hits
