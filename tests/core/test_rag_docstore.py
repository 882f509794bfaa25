"""The SQLite document store: replace per file, ids never reused, folder listing, schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.rag.chunker import chunk_text
from aurora_desktop.core.rag.docstore import Document, DocumentStore

DIM = 8


def vectors(n: int, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def doc(path: str, sha: str = "a" * 64) -> Document:
    return Document(0, path, 10, 1, sha)


def put(store: DocumentStore, path: str, text: str, seed: int = 0) -> tuple[list[int], list[int]]:
    chunks = chunk_text(text, max_chars=40, overlap=0)
    return store.replace_many([(doc(path), chunks, vectors(len(chunks), seed))], now=1.0)


def test_round_trip_of_documents_chunks_and_vectors(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "rag" / "documents.db", DIM)
    text = "One small sentence here. Another small sentence there. And a third one."
    removed, added = put(store, "/docs/a.txt", text)
    assert removed == [] and len(added) == 3
    assert store.counts() == (1, 3)
    found = store.chunks(added)
    expected = [c.text for c in chunk_text(text, max_chars=40, overlap=0)]
    assert [found[i].text for i in added] == expected
    assert all(found[i].path == "/docs/a.txt" for i in added)
    ids, rows = next(store.vectors())
    assert ids.tolist() == added
    np.testing.assert_array_equal(rows, vectors(3))
    store.close()
    reopened = DocumentStore(tmp_path / "rag" / "documents.db", DIM)
    assert reopened.document("/docs/a.txt") == Document(1, "/docs/a.txt", 10, 1, "a" * 64)
    reopened.close()


def test_replacing_a_file_drops_its_old_chunks_and_never_reuses_their_ids(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents.db", DIM)
    _, first = put(store, "/docs/a.txt", "Old words in a sentence. More old words follow.")
    removed, second = put(store, "/docs/a.txt", "New text only.", seed=1)
    assert sorted(removed) == sorted(first)
    assert min(second) > max(first)
    assert store.counts() == (1, 1)
    assert store.chunks(first) == {}
    gone = store.remove(["/docs/a.txt"])
    assert gone == second
    _, third = put(store, "/docs/b.txt", "Fresh.")
    assert min(third) > max(second)  # the highest id was deleted, and still not reused
    store.close()


def test_a_failed_batch_leaves_nothing_behind(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents.db", DIM)
    put(store, "/docs/keep.txt", "Kept text.")
    chunks = chunk_text("Two sentences here. And here.", max_chars=20, overlap=0)
    with pytest.raises(ValueError):
        store.replace_many(
            [
                (doc("/docs/new.txt"), chunks, vectors(len(chunks))),
                (doc("/docs/bad.txt"), chunks, vectors(1)),
            ],
            now=1.0,
        )
    assert store.counts() == (1, 1)
    assert store.document("/docs/new.txt") is None
    store.close()


def test_documents_under_a_folder_exclude_its_siblings(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents.db", DIM)
    for path in ("/data/docs/a.txt", "/data/docs/sub/b.txt", "/data/docs2/c.txt", "/data/d.txt"):
        put(store, path, "Some text.")
    under = sorted(d.path for d in store.documents_under("/data/docs"))
    assert under == ["/data/docs/a.txt", "/data/docs/sub/b.txt"]
    assert sorted(d.path for d in store.documents_under("/data/docs/")) == under
    store.close()


def test_touch_records_a_new_stamp(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents.db", DIM)
    put(store, "/docs/a.txt", "Text.")
    store.touch("/docs/a.txt", 99, 12345)
    found = store.document("/docs/a.txt")
    assert found is not None and (found.size, found.mtime_ns) == (99, 12345)
    store.close()


def test_another_schema_version_is_refused_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "documents.db"
    DocumentStore(path, DIM).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ConfigError, match="schema version 99"):
        DocumentStore(path, DIM)


def test_a_store_opened_for_another_model_is_stale_and_keeps_its_vectors(tmp_path: Path) -> None:
    path = tmp_path / "documents.db"
    store = DocumentStore(path, DIM, "model-a")
    _, added = put(store, "/docs/a.txt", "One small sentence here. Another small sentence there.")
    assert not store.stale
    store.close()
    for wanted in [(DIM * 2, "model-b"), (DIM, "model-b")]:
        other = DocumentStore(path, *wanted)
        assert other.stale and (other.dimension, other.model) == (DIM, "model-a")
        assert other.wanted == (wanted[1], wanted[0])
        ids, rows = next(other.vectors())  # still readable at their own width
        assert ids.tolist() == added and rows.shape == (len(added), DIM)
        other.close()
    same = DocumentStore(path, DIM, "model-a")
    assert not same.stale
    same.close()


def test_a_store_made_before_model_names_were_kept_adopts_the_model_of_its_width(
    tmp_path: Path,
) -> None:
    path = tmp_path / "documents.db"
    DocumentStore(path, DIM).close()
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM meta WHERE key = 'embedding_model'")
    store = DocumentStore(path, DIM, "model-a")
    assert not store.stale and store.model == "model-a"
    store.close()
    assert DocumentStore(path, DIM, "model-b").stale  # the name is now recorded


def test_staged_vectors_swap_in_only_when_every_chunk_has_one(tmp_path: Path) -> None:
    path = tmp_path / "documents.db"
    store = DocumentStore(path, DIM, "model-a")
    _, added = put(store, "/docs/a.txt", "One small sentence here. Another small sentence there.")
    store.close()
    store = DocumentStore(path, DIM * 2, "model-b")
    todo = store.unstaged(1)
    assert [i for i, _ in todo] == added[:1] and todo[0][1].startswith("One small")
    wide = np.ones((1, DIM * 2), dtype=np.float32)
    with pytest.raises(ValueError, match="width"):
        store.stage([added[0]], np.ones((1, DIM), dtype=np.float32))
    store.stage([added[0]], wide)
    assert store.restage_counts() == (1, len(added))
    assert not store.finish_reembed() and store.stale  # the others are not staged yet
    store.close()
    store = DocumentStore(path, DIM * 2, "model-b")  # staging survives a restart
    assert [i for i, _ in store.unstaged(100)] == added[1:]
    store.stage(added[1:], np.ones((len(added) - 1, DIM * 2), dtype=np.float32))
    assert store.finish_reembed() and not store.stale
    assert (store.dimension, store.model) == (DIM * 2, "model-b")
    ids, rows = next(store.vectors())
    assert ids.tolist() == added and rows.shape == (len(added), DIM * 2)
    store.close()
    assert not DocumentStore(path, DIM * 2, "model-b").stale


def test_staging_for_one_model_is_dropped_when_another_is_wanted(tmp_path: Path) -> None:
    path = tmp_path / "documents.db"
    store = DocumentStore(path, DIM, "model-a")
    _, added = put(store, "/docs/a.txt", "Some words.")
    store.close()
    store = DocumentStore(path, DIM, "model-b")
    store.stage(added, np.ones((len(added), DIM), dtype=np.float32))
    store.close()
    store = DocumentStore(path, DIM, "model-c")
    assert store.restage_counts() == (0, len(added))
    store.close()


def test_a_file_that_is_not_a_database_is_refused_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "documents.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match=r"cannot be read .*ingest again\.$"):
        DocumentStore(path, DIM)
