"""Embedding every stored chunk again when the embedding model changed, resumably.

Vectors of two models must never share an index, and failing until the user deletes their
index would throw away work that only needs redoing. So the chunks' texts are embedded with
the new model in batches, each batch committed to a staging table (a kill loses one batch),
and when every chunk has its new vector the store swaps them all in at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aurora_desktop.core.errors import CancelledError
from aurora_desktop.core.rag.docstore import DocumentStore
from aurora_desktop.core.rag.ingest import EmbedFn
from aurora_desktop.core.text import phrase

REEMBED_BATCH = 64


@dataclass(frozen=True, slots=True, kw_only=True)
class ReembedProgress:
    model: str
    done: int
    total: int
    chunks_per_min: float


ReembedProgressCallback = Callable[[ReembedProgress], None]


def no_reembed_progress(_: ReembedProgress) -> None:
    return None


def reembed(
    store: DocumentStore,
    embed: EmbedFn,
    index_file: Path,
    progress: ReembedProgressCallback = no_reembed_progress,
    cancel: threading.Event | None = None,
    *,
    batch: int = REEMBED_BATCH,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Embed the chunks not yet embedded with `store.wanted`'s model, then switch the store.

    The saved vector index of the old model is deleted first, so it is never loaded again.
    Returns how many chunks were embedded in this call.
    """
    if not store.stale:
        return 0
    index_file.unlink(missing_ok=True)
    model = store.wanted[0] or "the new model"
    done, total = store.restage_counts()
    started, embedded = clock(), 0
    progress(ReembedProgress(model=model, done=done, total=total, chunks_per_min=0.0))
    while True:
        if cancel is not None and cancel.is_set():
            raise CancelledError(
                phrase(
                    "Embedding the documents again with {model} was stopped after "
                    "{done} of {total} chunks; it goes on from there next time.",
                    model=model,
                    done=done,
                    total=total,
                )
            )
        todo = store.unstaged(batch)
        if not todo and store.finish_reembed():  # False: a chunk was added meanwhile
            return embedded
        store.stage([i for i, _ in todo], embed([text for _, text in todo]))
        done, embedded = done + len(todo), embedded + len(todo)
        seconds = clock() - started
        rate = embedded * 60.0 / seconds if seconds > 0 else 0.0
        progress(ReembedProgress(model=model, done=done, total=total, chunks_per_min=rate))
