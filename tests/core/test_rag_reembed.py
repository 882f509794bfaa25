"""A document index built with one embedding model, opened with another: every chunk is
embedded again (with progress, resumably after a stop), never mixed with the old vectors."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from aurora_desktop.core.errors import CancelledError
from aurora_desktop.core.rag.docstore import DocumentStore
from aurora_desktop.core.rag.reembed import ReembedProgress, reembed
from aurora_desktop.core.rag.service import DB_NAME, INDEX_NAME, RAG_DIR
from tests.core.test_rag_ingest import WORDS, HashEmbedder, service, write_corpus


class ShiftedEmbedder(HashEmbedder):
    """Another "model": the hash embedding rolled by one place, so its vectors differ."""

    def embed(self, texts: object) -> np.ndarray:  # type: ignore[override]
        return np.roll(super().embed(texts), 1, axis=1)  # type: ignore[arg-type]


def topic(n: int) -> str:
    return " ".join(WORDS[3 * n + k] for k in range(3))


def stored_vectors(home: Path, dimension: int) -> np.ndarray:
    store = DocumentStore(home / RAG_DIR / DB_NAME, dimension)
    rows = np.concatenate([v for _, v in store.vectors()])
    store.close()
    return rows


@pytest.mark.parametrize("width", [64, 32])  # the same width and another width
def test_a_new_model_embeds_every_chunk_again_and_then_searches_alone(
    tmp_path: Path, width: int
) -> None:
    docs, home = tmp_path / "docs", tmp_path / "home"
    write_corpus(docs, 12)
    old = service(home, HashEmbedder(64, model_name="model-a"))
    report = old.ingest(docs, assume_yes=True)
    old.close()
    new_model = ShiftedEmbedder(width, model_name="model-b")
    events: list[ReembedProgress] = []
    rag = service(home, new_model, reembed_progress=events.append)
    hits = rag.query(topic(5), k=1)  # the first use re-embeds before searching
    assert hits[0].path.endswith("doc005.txt")
    assert new_model.texts_embedded == report.chunks + 1  # every chunk, then the question
    assert events[0].done == 0 and events[-1].done == events[-1].total == report.chunks
    assert events[-1].model == "model-b"
    expected = ShiftedEmbedder(width).embed([h.text for h in rag.query(topic(5), k=100)])
    rag.close()
    rows = stored_vectors(home, width)
    assert rows.shape == (report.chunks, width)
    assert {tuple(np.round(r, 5)) for r in rows} >= {tuple(np.round(r, 5)) for r in expected}
    again = service(home, ShiftedEmbedder(width, model_name="model-b"))
    assert again.query(topic(7), k=1)[0].path.endswith("doc007.txt")
    assert again.embedder.texts_embedded == 1  # type: ignore[attr-defined]
    again.close()


def test_a_stopped_re_embedding_goes_on_where_it_stopped(tmp_path: Path) -> None:
    docs, home = tmp_path / "docs", tmp_path / "home"
    write_corpus(docs, 12)
    rag = service(home, HashEmbedder(64, model_name="model-a"))
    chunks = rag.ingest(docs, assume_yes=True).chunks
    rag.close()
    (home / RAG_DIR / INDEX_NAME).write_bytes(b"an index of the old model")
    store = DocumentStore(home / RAG_DIR / DB_NAME, 32, "model-b")
    cancel = threading.Event()
    first = ShiftedEmbedder(32, model_name="model-b")

    def stop_after_two_batches(event: ReembedProgress) -> None:
        if event.done >= 8:
            cancel.set()

    with pytest.raises(CancelledError, match="goes on from there"):
        reembed(store, first.embed, home / RAG_DIR / INDEX_NAME, stop_after_two_batches,
                cancel, batch=4)  # fmt: skip
    assert not (home / RAG_DIR / INDEX_NAME).exists()  # the old model's index is gone
    assert store.stale and store.restage_counts() == (8, chunks)
    store.close()
    second = ShiftedEmbedder(32, model_name="model-b")
    rag = service(home, second)
    assert rag.query(topic(3), k=1)[0].path.endswith("doc003.txt")
    assert second.texts_embedded == chunks - 8 + 1
    assert rag.stats().vectors == chunks
    rag.close()


def test_switching_the_model_of_an_open_service_re_embeds_on_the_next_query(
    tmp_path: Path,
) -> None:
    docs, home = tmp_path / "docs", tmp_path / "home"
    write_corpus(docs, 6)
    embedder = HashEmbedder(64, model_name="model-a")
    rag = service(home, embedder)
    rag.ingest(docs, assume_yes=True)
    embedder.model_name = "model-b"  # as when the settings pick another embedding model
    before = embedder.texts_embedded
    assert rag.query(topic(2), k=1)[0].path.endswith("doc002.txt")
    assert embedder.texts_embedded - before == rag.stats().chunks + 1
    rag.close()
    store = DocumentStore(home / RAG_DIR / DB_NAME, 64, "model-b")
    assert not store.stale and store.model == "model-b"
    store.close()
