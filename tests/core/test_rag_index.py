"""The FAISS index: exact and HNSW, tombstones, atomic persistence, repair from the store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aurora_desktop.core.rag.chunker import Chunk
from aurora_desktop.core.rag.docstore import Document, DocumentStore
from aurora_desktop.core.rag.index import FLAT, HNSW, IndexConfig, VectorIndex
from aurora_desktop.core.rag.keeper import IndexKeeper

DIM = 32


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def clustered(n: int, seed: int = 0, clusters: int = 50) -> np.ndarray:
    """Vectors around `clusters` centres, as sentence embeddings of a few topics are."""
    rng = np.random.default_rng(seed)
    centres = unit(rng.standard_normal((clusters, DIM)))
    picks = rng.integers(0, clusters, n)
    return unit(centres[picks] + 0.35 * rng.standard_normal((n, DIM)))


def ids(n: int, first: int = 1) -> np.ndarray:
    return np.arange(first, first + n, dtype=np.int64)


def test_flat_index_finds_exact_neighbours_and_removes() -> None:
    index = VectorIndex(DIM, IndexConfig())
    rows = clustered(500)
    index.add(ids(500), rows)
    (hits,) = index.search(rows[10:11], 3)
    assert hits[0][1] == 11 and hits[0][0] == pytest.approx(1.0, abs=1e-5)
    scores = [s for s, _ in hits]
    assert scores == sorted(scores, reverse=True)
    index.remove([11])
    (hits,) = index.search(rows[10:11], 3)
    assert 11 not in [i for _, i in hits]
    assert index.size == 499 and index.dead == 0


def test_hnsw_recall_at_10_against_flat_is_high() -> None:
    config = IndexConfig(approximate_above=1000)
    rows = clustered(5000, seed=1)
    flat = VectorIndex.build(DIM, IndexConfig(approximate_above=10**9), 5000, [(ids(5000), rows)])
    hnsw = VectorIndex.build(DIM, config, 5000, [(ids(5000), rows)])
    assert (flat.kind, hnsw.kind) == (FLAT, HNSW)
    queries = clustered(200, seed=2)
    exact = flat.search(queries, 10)
    approx = hnsw.search(queries, 10)
    found = sum(
        len({i for _, i in a} & {i for _, i in e}) for a, e in zip(approx, exact, strict=True)
    )
    assert found / (10 * len(queries)) >= 0.95


def test_hnsw_removal_is_a_tombstone_that_results_skip() -> None:
    index = VectorIndex(DIM, IndexConfig(approximate_above=10), kind=HNSW)
    rows = clustered(300)
    index.add(ids(300), rows)
    index.remove([1, 2, 3])
    (hits,) = index.search(rows[0:1], 10)
    assert len(hits) == 10 and not {1, 2, 3} & {i for _, i in hits}
    assert index.size == 297 and index.dead == 3
    assert not index.needs_rebuild()
    index.remove(range(4, 80))
    assert index.needs_rebuild()  # over a fifth of it is tombstones


def test_save_is_atomic_and_load_gives_the_same_answers(tmp_path: Path) -> None:
    path = tmp_path / "rag" / "vectors.faiss"
    for kind, config in ((FLAT, IndexConfig()), (HNSW, IndexConfig(approximate_above=10))):
        index = VectorIndex(DIM, config, kind=kind)
        rows = clustered(400)
        index.add(ids(400), rows)
        index.save(path)
        assert [p.name for p in path.parent.iterdir()] == ["vectors.faiss"]
        loaded = VectorIndex.load(path, DIM, config)
        assert loaded is not None and loaded.kind == kind and loaded.size == 400
        assert loaded.search(rows[:5], 4) == index.search(rows[:5], 4)
        assert sorted(loaded.ids().tolist()) == list(range(1, 401))


@pytest.mark.parametrize("damage", ["missing", "garbage", "truncated", "other width"])
def test_an_unusable_index_file_loads_as_none(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "vectors.faiss"
    index = VectorIndex(DIM, IndexConfig())
    index.add(ids(50), clustered(50))
    index.save(path)
    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"\x00not an index" * 50)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:1000])
    expected_width = DIM * 2 if damage == "other width" else DIM
    assert VectorIndex.load(path, expected_width, IndexConfig()) is None


# -- the keeper: index and store agree on open ---------------------------------------------


def fill(store: DocumentStore, path: str, n: int, seed: int) -> tuple[list[int], list[int]]:
    chunks = [Chunk(i, i, i + 1, f"chunk {i}") for i in range(n)]
    return store.replace_many([(Document(0, path, 1, 1, "x"), chunks, clustered(n, seed))], 1.0)


def test_reopen_adds_committed_vectors_the_saved_index_missed(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents.db", DIM)
    keeper = IndexKeeper(tmp_path / "vectors.faiss", store, IndexConfig())
    keeper.open()
    _, first = fill(store, "/a.txt", 20, 0)
    keeper.apply([], first, next(store.vectors(first))[1])
    keeper.save()
    fill(store, "/b.txt", 30, 1)  # committed, then "killed" before the index was saved
    reopened = IndexKeeper(tmp_path / "vectors.faiss", store, IndexConfig())
    reopened.open()
    assert reopened.repaired == 30 and reopened.size == 50
    assert sorted(VectorIndex.load(reopened.path, DIM, IndexConfig()).ids()) == sorted(first)
    reopened.save()
    assert VectorIndex.load(reopened.path, DIM, IndexConfig()).size == 50
    store.close()


@pytest.mark.parametrize("config", [IndexConfig(), IndexConfig(approximate_above=10)])
def test_reopen_drops_vectors_whose_chunks_are_gone(tmp_path: Path, config: IndexConfig) -> None:
    store = DocumentStore(tmp_path / "documents.db", DIM)
    keeper = IndexKeeper(tmp_path / "vectors.faiss", store, config)
    keeper.open()
    for n, name in enumerate(("/a.txt", "/b.txt")):
        _, added = fill(store, name, 40, n)
        keeper.apply([], added, next(store.vectors(added))[1])
    keeper.save()
    gone = store.remove(["/a.txt"])  # committed, then killed before the index followed
    reopened = IndexKeeper(tmp_path / "vectors.faiss", store, config)
    reopened.open()
    assert reopened.size == 40 and reopened.repaired == 40
    hits = reopened.search(clustered(1, 0)[0], 80)
    assert not {i for _, i in hits} & set(gone)
    store.close()


def test_growing_past_the_threshold_rebuilds_as_hnsw(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents.db", DIM)
    keeper = IndexKeeper(tmp_path / "vectors.faiss", store, IndexConfig(approximate_above=100))
    keeper.open()
    _, added = fill(store, "/a.txt", 80, 0)
    keeper.apply([], added, next(store.vectors(added))[1])
    assert keeper.kind == FLAT
    _, more = fill(store, "/b.txt", 80, 1)
    keeper.apply([], more, next(store.vectors(more))[1])
    assert keeper.kind == HNSW and keeper.size == 160
    keeper.save()
    reopened = IndexKeeper(keeper.path, store, IndexConfig(approximate_above=100))
    reopened.open()
    assert reopened.kind == HNSW and reopened.repaired == 0
    store.close()
