"""Retrieval: the chunks nearest to a question, with their source file, offsets and score."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.rag.docstore import DocumentStore
from aurora_desktop.core.rag.keeper import IndexKeeper


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """One retrieved chunk: `text` is characters `start:end` of the file at `path`."""

    path: str
    score: float  # cosine similarity to the question, -1 to 1
    text: str
    start: int
    end: int
    chunk_id: int
    ordinal: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def nearest(
    keeper: IndexKeeper, store: DocumentStore, vector: npt.NDArray[np.float32], k: int
) -> list[Hit]:
    """The `k` best chunks for a unit query vector, best first."""
    pairs = keeper.search(vector, k)
    found = store.chunks([chunk_id for _, chunk_id in pairs])
    hits = []
    for score, chunk_id in pairs:
        chunk = found.get(chunk_id)
        if chunk is None:  # removed by another process since this index was loaded
            continue
        hits.append(
            Hit(
                path=chunk.path,
                score=score,
                text=chunk.text,
                start=chunk.start,
                end=chunk.end,
                chunk_id=chunk.id,
                ordinal=chunk.ordinal,
            )
        )
    return hits
