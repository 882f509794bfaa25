"""The documents, their chunks and the chunks' vectors in one SQLite file.

SQLite is the source of truth: a file's document row, chunks and vectors are written in
one transaction, so a kill at any instant leaves either the old version of a file or the
new one. The FAISS index is rebuilt or repaired from the vectors stored here.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.rag.chunker import Chunk

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the index may hold stale ids
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
"""


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True, slots=True)
class StoredChunk:
    id: int
    path: str
    ordinal: int
    start: int
    end: int
    text: str


class DocumentStore:
    """Reads and replaces documents; every method is one short transaction."""

    def __init__(self, path: Path, dimension: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.dimension = dimension
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise ConfigError(
                f"The document index {path} cannot be opened ({exc}); "
                "check that Aurora's data folder is writable."
            ) from exc
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.executescript(_SCHEMA)
            self._check_meta()
            self._data_version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        except ConfigError:
            self._db.close()
            raise
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ConfigError(
                f"The document index {path} cannot be read ({exc}); "
                "delete the folder it is in and ingest again."
            ) from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def changed_elsewhere(self) -> bool:
        """True once after another connection (another process) committed a change."""
        row = self._one("PRAGMA data_version")
        version = int(row[0]) if row else 0
        changed, self._data_version = version != self._data_version, version
        return changed

    # -- reading ---------------------------------------------------------------------------

    def document(self, path: str) -> Document | None:
        row = self._one(
            "SELECT id, path, size, mtime_ns, sha256 FROM documents WHERE path = ?", (path,)
        )
        return Document(*row) if row else None

    def documents_under(self, folder: str) -> list[Document]:
        """Documents whose path lies inside `folder` (an absolute path)."""
        base = folder.rstrip("/\\")
        rows = self._all(
            "SELECT id, path, size, mtime_ns, sha256 FROM documents "
            "WHERE substr(path, 1, ?) = ? AND substr(path, ? + 1, 1) IN ('/', '\\')",
            (len(base), base, len(base)),
        )
        return [Document(*row) for row in rows]

    def counts(self) -> tuple[int, int]:
        """(documents, chunks)."""
        row = self._one("SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM chunks)")
        assert row is not None
        return int(row[0]), int(row[1])

    def chunk_ids(self) -> npt.NDArray[np.int64]:
        rows = self._all("SELECT id FROM chunks ORDER BY id")
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def chunk_ids_of(self, doc_id: int) -> list[int]:
        return [r[0] for r in self._all("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]

    def chunks(self, ids: Sequence[int]) -> dict[int, StoredChunk]:
        found: dict[int, StoredChunk] = {}
        for start in range(0, len(ids), 500):
            batch = [int(i) for i in ids[start : start + 500]]
            marks = ",".join("?" * len(batch))
            for row in self._all(
                "SELECT c.id, d.path, c.ordinal, c.start, c.end, c.text FROM chunks c "
                f"JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({marks})",
                batch,
            ):
                found[row[0]] = StoredChunk(*row)
        return found

    def vectors(
        self, ids: Sequence[int] | None = None, *, batch: int = 4096
    ) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]]:
        """(ids, vectors) in batches: all chunks, or only `ids`."""
        if ids is None:
            last = -1
            while True:
                rows = self._all(
                    "SELECT id, vector FROM chunks WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
                )
                if not rows:
                    return
                last = rows[-1][0]
                yield self._unpack(rows)
        else:
            wanted = [int(i) for i in ids]
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                marks = ",".join("?" * len(part))
                rows = self._all(f"SELECT id, vector FROM chunks WHERE id IN ({marks})", part)
                if rows:
                    yield self._unpack(rows)

    # -- writing ---------------------------------------------------------------------------

    def replace_many(
        self,
        items: Iterable[tuple[Document, Sequence[Chunk], npt.NDArray[np.float32]]],
        now: float,
    ) -> tuple[list[int], list[int]]:
        """Write the new version of each file, all in one transaction.

        Returns (ids of the chunks removed, ids of the chunks added).
        """
        removed: list[int] = []
        added: list[int] = []
        with self._transaction() as db:
            for doc, chunks, vectors in items:
                if len(chunks) != len(vectors):
                    raise ValueError("one vector per chunk is needed")
                removed += _delete_document(db, doc.path)
                cursor = db.execute(
                    "INSERT INTO documents (path, size, mtime_ns, sha256, ingested_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (doc.path, doc.size, doc.mtime_ns, doc.sha256, now),
                )
                doc_id = cursor.lastrowid
                rows = np.ascontiguousarray(vectors, dtype=np.float32)
                for chunk, vector in zip(chunks, rows, strict=True):
                    cursor = db.execute(
                        "INSERT INTO chunks (doc_id, ordinal, start, end, text, vector) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            doc_id,
                            chunk.ordinal,
                            chunk.start,
                            chunk.end,
                            chunk.text,
                            vector.tobytes(),
                        ),
                    )
                    added.append(int(cursor.lastrowid or 0))
        return removed, added

    def touch(self, path: str, size: int, mtime_ns: int) -> None:
        """Record a new size/mtime for a file whose content hash did not change."""
        with self._transaction() as db:
            db.execute(
                "UPDATE documents SET size = ?, mtime_ns = ? WHERE path = ?", (size, mtime_ns, path)
            )

    def remove(self, paths: Iterable[str]) -> list[int]:
        """Forget documents; returns the ids of the chunks removed with them."""
        removed: list[int] = []
        with self._transaction() as db:
            for path in paths:
                removed += _delete_document(db, path)
        return removed

    # -- plumbing --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _one(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql, params).fetchone()
        return row

    def _all(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._db.execute(sql, params).fetchall())

    def _unpack(
        self, rows: list[tuple[Any, ...]]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        flat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32)
        return ids, flat.reshape(len(rows), self.dimension)

    def _check_meta(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self._db.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [("schema_version", str(SCHEMA_VERSION)), ("dimension", str(self.dimension))],
            )
            return
        if int(row[0]) != SCHEMA_VERSION:
            raise ConfigError(
                f"The document index {self.path} has schema version {row[0]}, and this Aurora "
                f"reads version {SCHEMA_VERSION}; delete its folder and ingest again."
            )
        dim = self._db.execute("SELECT value FROM meta WHERE key = 'dimension'").fetchone()
        if dim is None or int(dim[0]) != self.dimension:
            raise ConfigError(
                f"The document index {self.path} was built with another embedding model; "
                "delete its folder and ingest again."
            )


def _delete_document(db: sqlite3.Connection, path: str) -> list[int]:
    row = db.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()
    if row is None:
        return []
    ids = [int(r[0]) for r in db.execute("SELECT id FROM chunks WHERE doc_id = ?", (row[0],))]
    db.execute("DELETE FROM documents WHERE id = ?", (row[0],))
    return ids
