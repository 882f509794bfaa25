"""Keeps the FAISS index in step with the document store: repair on open, apply, save.

The document store is the source of truth. On open the saved index is compared with the
chunk ids in SQLite: vectors missing from the index (a kill after a commit but before a
save) are added back from the stored vectors, and ids SQLite no longer has are removed,
so the two agree without embedding anything again.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.rag.docstore import DocumentStore
from aurora_desktop.core.rag.index import IndexConfig, VectorIndex, single_threaded


class IndexKeeper:
    """The one in-memory index of a RAG folder; every method is thread-safe."""

    def __init__(self, path: Path, store: DocumentStore, config: IndexConfig) -> None:
        self.path = path
        self._store = store
        self._config = config
        self._lock = threading.Lock()
        self._index = VectorIndex(store.dimension, config)
        self._dirty = False
        self.repaired = 0  # vectors added or removed to match the store on the last open

    @property
    def kind(self) -> str:
        return self._index.kind

    @property
    def size(self) -> int:
        return self._index.size

    @property
    def dirty(self) -> bool:
        return self._dirty

    def open(self) -> None:
        """Load the saved index and make it agree with the document store."""
        with self._lock:
            loaded = VectorIndex.load(self.path, self._store.dimension, self._config)
            db_ids = self._store.chunk_ids()
            if loaded is None:
                self._rebuild()
                self.repaired = len(db_ids)
                self._dirty = bool(len(db_ids)) or self.path.exists()
                return
            self._index = loaded
            held = loaded.ids()
            extra = np.setdiff1d(held, db_ids, assume_unique=True)
            missing = np.setdiff1d(db_ids, held, assume_unique=True)
            loaded.remove(extra.tolist())
            for ids, vectors in self._store.vectors(missing.tolist()):
                loaded.add(ids, vectors)
            self.repaired = len(extra) + len(missing)
            self._dirty = self.repaired > 0
            if loaded.needs_rebuild():
                self._rebuild()

    def apply(
        self,
        removed: Sequence[int],
        added: Sequence[int],
        vectors: npt.NDArray[np.float32],
    ) -> None:
        """Mirror a committed store change: drop `removed` ids, add `added` with vectors."""
        with self._lock:
            self._index.remove(removed)
            self._index.add(np.asarray(added, dtype=np.int64), vectors)
            self._dirty = True
            if self._index.needs_rebuild():
                self._rebuild()

    def search(self, query: npt.NDArray[np.float32], k: int) -> list[tuple[float, int]]:
        with self._lock, single_threaded():
            return self._index.search(query.reshape(1, -1), k)[0]

    def save(self) -> None:
        """Write the index atomically if it changed since it was loaded or saved."""
        with self._lock:
            if self._dirty:
                self._index.save(self.path)
                self._dirty = False

    def _rebuild(self) -> None:
        total = self._store.counts()[1]
        self._index = VectorIndex.build(
            self._store.dimension, self._config, total, self._store.vectors()
        )
        self._dirty = True
