"""A FAISS index of unit vectors keyed by chunk id: exact when small, HNSW when large.

Inner product on unit vectors is cosine similarity. Below `approximate_above` vectors the
index is an exact `IndexFlatIP`; above it, `IndexHNSWFlat` (inner product), whose recall
against the exact index is measured by the RAG bench. HNSW cannot delete, so removed ids
are kept as tombstones and filtered from results until the next rebuild. The index is
saved atomically (temp file in the same folder, fsync, replace).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss as _faiss
import numpy as np
import numpy.typing as npt

from aurora_desktop.core.atomic import atomic_write_bytes
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.userfile import read_user_bytes

FLAT = "flat"
MAX_INDEX_BYTES = 1 << 36  # 64 GiB: far above any index; stops an endless device
HNSW = "hnsw"
faiss: Any = _faiss  # its bundled stubs lack classes used here (SearchParametersHNSW)
IdVectors = tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexConfig:
    """When to go approximate, and how hard HNSW works at build and search time."""

    approximate_above: int = 50_000  # flat stays under ~10 ms a query up to here (bench)
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 128
    rebuild_dead_fraction: float = 0.2  # rebuild HNSW once this share of it is tombstones

    def kind_for(self, size: int) -> str:
        return HNSW if size > self.approximate_above else FLAT


class VectorIndex:
    """Vectors by chunk id; `search` returns (score, id) pairs best first."""

    def __init__(self, dimension: int, config: IndexConfig, kind: str = FLAT) -> None:
        self.dimension = dimension
        self.config = config
        self.kind = kind
        self._index: Any = _new_index(dimension, config, kind)
        self._dead: set[int] = set()

    @classmethod
    def build(
        cls, dimension: int, config: IndexConfig, total: int, batches: Iterable[IdVectors]
    ) -> VectorIndex:
        """A fresh index of the kind `total` vectors call for, filled from `batches`."""
        index = cls(dimension, config, config.kind_for(total))
        for ids, vectors in batches:
            index.add(ids, vectors)
        return index

    @classmethod
    def load(cls, path: Path, dimension: int, config: IndexConfig) -> VectorIndex | None:
        """The index saved at `path`, or None when it is missing, unreadable or mismatched."""
        try:  # a link, named pipe or device in its place is not read (nor waited on)
            data = read_user_bytes(path, limit=MAX_INDEX_BYTES, what=path.name)
            if data is None:
                return None
            loaded = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        except (ConfigError, RuntimeError):
            return None
        inner = faiss.downcast_index(loaded.index) if hasattr(loaded, "index") else None
        if not isinstance(loaded, faiss.IndexIDMap2) or loaded.d != dimension:
            return None
        index = cls(dimension, config, HNSW if isinstance(inner, faiss.IndexHNSWFlat) else FLAT)
        index._index = loaded
        return index

    @property
    def size(self) -> int:
        """Live vectors (tombstones not counted)."""
        return int(self._index.ntotal) - len(self._dead)

    @property
    def dead(self) -> int:
        return len(self._dead)

    def ids(self) -> npt.NDArray[np.int64]:
        """Every id stored, tombstones included."""
        stored = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        return np.asarray(stored, dtype=np.int64)

    def add(self, ids: npt.NDArray[np.int64], vectors: npt.NDArray[np.float32]) -> None:
        if len(ids) == 0:
            return
        if vectors.shape != (len(ids), self.dimension):
            raise ValueError(f"expected {len(ids)} vectors of width {self.dimension}")
        self._index.add_with_ids(
            np.ascontiguousarray(vectors, dtype=np.float32),
            np.ascontiguousarray(ids, dtype=np.int64),
        )

    def remove(self, ids: Iterable[int]) -> None:
        wanted = [int(i) for i in ids]
        if not wanted:
            return
        if self.kind == FLAT:
            self._index.remove_ids(np.asarray(wanted, dtype=np.int64))
        else:
            self._dead.update(wanted)

    def mark_dead(self, ids: Iterable[int]) -> None:
        """Tombstone ids (on reopen: ids the index holds that the document store does not)."""
        self.remove(ids)

    def needs_rebuild(self) -> bool:
        """True when the kind no longer fits the size, or HNSW carries too many tombstones."""
        if self.config.kind_for(self.size) != self.kind:
            return True
        total = int(self._index.ntotal)
        return (
            self.kind == HNSW
            and total > 0
            and len(self._dead) / total > (self.config.rebuild_dead_fraction)
        )

    def search(self, queries: npt.NDArray[np.float32], k: int) -> list[list[tuple[float, int]]]:
        """For each query row, up to `k` (score, id) pairs, best first, tombstones skipped."""
        total = int(self._index.ntotal)
        if total == 0 or k < 1:
            return [[] for _ in range(len(queries))]
        fetch = min(total, k)
        rows = np.ascontiguousarray(queries, dtype=np.float32)
        if self.kind == HNSW:
            params = faiss.SearchParametersHNSW()
            params.efSearch = max(self.config.ef_search, fetch)
            # Locals keep the selectors alive for the search; params holds only a pointer.
            dead = np.fromiter(self._dead, dtype=np.int64, count=len(self._dead))
            batch = faiss.IDSelectorBatch(dead)
            exclude = faiss.IDSelectorNot(batch)
            if len(dead):
                params.sel = exclude
            scores, ids = self._index.search(rows, fetch, params=params)
        else:
            scores, ids = self._index.search(rows, fetch)
        return [
            [(float(s), int(i)) for s, i in zip(row_s, row_i, strict=True) if i >= 0]
            for row_s, row_i in zip(scores, ids, strict=True)
        ]

    def save(self, path: Path) -> None:
        """Write the index atomically; tombstones are not saved (reopen finds them again)."""
        data = faiss.serialize_index(self._index)
        atomic_write_bytes(path, np.asarray(data, dtype=np.uint8).tobytes())


def _new_index(dimension: int, config: IndexConfig, kind: str) -> Any:
    if kind == FLAT:
        inner = faiss.IndexFlatIP(dimension)
    elif kind == HNSW:
        inner = faiss.IndexHNSWFlat(dimension, config.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = config.ef_construction
        inner.hnsw.efSearch = config.ef_search
    else:
        raise ValueError(f"unknown index kind {kind!r}")
    return faiss.IndexIDMap2(inner)


@contextlib.contextmanager
def single_threaded() -> Iterator[None]:
    """Run FAISS on one thread inside the block (then restore its thread count).

    One query is too little work to share: on a busy 2-core machine the OpenMP hand-off
    costs 10-40 ms, while the search itself takes well under a millisecond.
    """
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)
