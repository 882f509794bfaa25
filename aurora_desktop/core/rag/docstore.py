"""The documents, their chunks, the chunks' vectors and their FTS5 terms in one SQLite file.

SQLite is the source of truth: a file's document row, chunks, vectors and lexical terms are
written in one transaction, so a kill at any instant leaves either the old version of a file
or the new one. The FAISS index is rebuilt or repaired from the vectors stored here.

The meta table records which embedding model made the vectors (name and width). A store
opened for another model is `stale`: its vectors keep their old width until every chunk has
been embedded again (`unstaged`, `stage`, `finish_reembed`), and then all switch at once.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.rag import lexical
from aurora_desktop.core.rag.chunker import Chunk
from aurora_desktop.core.sqlite_file import is_damage
from aurora_desktop.core.text import phrase

T = TypeVar("T")
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
CREATE TABLE IF NOT EXISTS restaged (  -- vectors of the next embedding model, while re-embedding
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    vector BLOB NOT NULL
);
"""
_LEXICAL_TABLES = (  # the chunk's id is the rowid; the terms are `lexical.indexed_text`
    f"CREATE VIRTUAL TABLE chunk_terms USING fts5(terms, tokenize = '{lexical.TOKENIZE}')",
    "CREATE VIRTUAL TABLE chunk_terms_vocab USING fts5vocab(chunk_terms, row)",
)


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

    def __init__(self, path: Path, dimension: int, model: str = "") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.dimension = dimension  # the width of the stored vectors (the recorded model's)
        self.model = model  # the model that made them; "" when not known
        self.wanted = (model, dimension)  # the model and width this store was opened for
        self._lock = threading.Lock()
        self._writes = 0  # own commits; with PRAGMA data_version, when `_counts` is stale
        self._counted_at = (-1, -1)
        self._counts: dict[str, int] = {}  # chunks holding a term (FTS5 counts them slowly)
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise ConfigError(
                phrase(
                    "The document index {path} cannot be opened ({exc}); check that "
                    "Aurora's data folder is writable.",
                    path=path,
                    exc=exc,
                )
            ) from exc
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.executescript(_SCHEMA)
            self._check_meta()
            self._check_lexical()
            self._data_version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        except ConfigError:
            self._db.close()
            raise
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ConfigError(
                phrase(
                    "The document index {path} cannot be read ({exc}); delete the "
                    "folder it is in and ingest again.",
                    path=path,
                    exc=exc,
                )
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

    def lexical(self, text: str, k: int) -> list[tuple[float, int]]:
        """Up to `k` (score, chunk id) pairs sharing words with `text`, best first.

        The score is the chunk's BM25 divided by `lexical.query_weight` of the question:
        about 1 when the chunk holds every word of the question, near 0 when it shares only
        common ones. `text` is never parsed as FTS5 syntax (`lexical.match_expression`).
        """
        words = lexical.question_terms(text)
        if not words or k < 1:
            return []
        with self._lock:
            try:
                return self._lexical(words, k)
            except sqlite3.DatabaseError as exc:
                if not is_damage(exc):
                    raise
            self._build_lexical()  # the terms are derived from the chunks: make them again
            return self._lexical(words, k)

    def _lexical(self, words: list[str], k: int) -> list[tuple[float, int]]:
        n = int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
        have = self._documents_with(words)
        present = [w for w in words if have[w]]
        if not present:
            return []
        # A term in half the chunks or more weighs nothing in BM25 (an idf of 1e-6), yet
        # searching it costs a pass over most of the index: leave it out, unless it is all.
        useful = [w for w in present if lexical.idf(have[w], n) > 1e-6] or present
        rows = self._db.execute(
            "SELECT -bm25(chunk_terms), rowid FROM chunk_terms WHERE chunk_terms MATCH ? "
            "ORDER BY rank LIMIT ?",
            (lexical.any_of(useful), k),
        ).fetchall()
        weight = lexical.query_weight(words, have, n)
        return [(float(score) / weight, int(chunk_id)) for score, chunk_id in rows]

    def _documents_with(self, words: list[str]) -> dict[str, int]:
        """How many chunks hold each word; remembered until the store changes."""
        version = (self._writes, int(self._db.execute("PRAGMA data_version").fetchone()[0]))
        if version != self._counted_at:
            self._counts.clear()
            self._counted_at = version
        for word in words:
            if word not in self._counts:
                row = self._db.execute(
                    "SELECT doc FROM chunk_terms_vocab WHERE term = ?", (word,)
                ).fetchone()
                self._counts[word] = int(row[0]) if row else 0
        return {w: self._counts[w] for w in words}

    # -- re-embedding ----------------------------------------------------------------------

    @property
    def stale(self) -> bool:
        """True when the stored vectors were made by another model than the one wanted."""
        model, dimension = self.wanted
        return dimension != self.dimension or bool(model and self.model and model != self.model)

    def unstaged(self, limit: int) -> list[tuple[int, str]]:
        """Up to `limit` (chunk id, text) pairs still to embed with the wanted model."""
        return [
            (int(row[0]), str(row[1]))
            for row in self._all(
                "SELECT id, text FROM chunks WHERE id NOT IN (SELECT chunk_id FROM restaged) "
                "ORDER BY id LIMIT ?",
                (limit,),
            )
        ]

    def restage_counts(self) -> tuple[int, int]:
        """(chunks already embedded with the wanted model, all chunks)."""
        row = self._one("SELECT (SELECT COUNT(*) FROM restaged), (SELECT COUNT(*) FROM chunks)")
        assert row is not None
        return int(row[0]), int(row[1])

    def stage(self, ids: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
        """Keep the wanted model's vectors of `ids` until `finish_reembed` swaps them in."""
        rows = np.ascontiguousarray(vectors, dtype=np.float32)
        if rows.shape != (len(ids), self.wanted[1]):
            raise ValueError(f"expected {len(ids)} vectors of width {self.wanted[1]}")
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO restaged (chunk_id, vector) "
                "SELECT ?, ? WHERE EXISTS (SELECT 1 FROM chunks WHERE id = ?)",
                [(int(i), v.tobytes(), int(i)) for i, v in zip(ids, rows, strict=True)],
            )

    def finish_reembed(self) -> bool:
        """Swap in the staged vectors and record the wanted model, in one transaction.

        Returns False (and changes nothing) while some chunk still lacks a staged vector.
        """
        model, dimension = self.wanted
        with self._transaction() as db:
            missing = db.execute(
                "SELECT COUNT(*) FROM chunks WHERE id NOT IN (SELECT chunk_id FROM restaged)"
            ).fetchone()[0]
            if missing:
                return False
            db.execute(
                "UPDATE chunks SET vector = "
                "(SELECT vector FROM restaged WHERE restaged.chunk_id = chunks.id)"
            )
            db.execute("DELETE FROM restaged")
            db.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [("dimension", str(dimension)), ("embedding_model", model), ("restaging", "")],
            )
        self.dimension, self.model = dimension, model
        return True

    # -- writing ---------------------------------------------------------------------------

    def replace_many(
        self,
        items: Iterable[tuple[Document, Sequence[Chunk], npt.NDArray[np.float32]]],
        now: float,
    ) -> tuple[list[int], list[int]]:
        """Write the new version of each file, all in one transaction.

        Returns (ids of the chunks removed, ids of the chunks added).
        """
        batch = list(items)
        return self._mending_terms(lambda: self._replace_many(batch, now))

    def _replace_many(
        self, items: list[tuple[Document, Sequence[Chunk], npt.NDArray[np.float32]]], now: float
    ) -> tuple[list[int], list[int]]:
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
                if len(rows) and rows.shape[1] != self.dimension:
                    raise ValueError(f"vectors must have width {self.dimension}")
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
                    chunk_id = int(cursor.lastrowid or 0)
                    db.execute(
                        "INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)",
                        (chunk_id, lexical.indexed_text(chunk.text)),
                    )
                    added.append(chunk_id)
        return removed, added

    def touch(self, path: str, size: int, mtime_ns: int) -> None:
        """Record a new size/mtime for a file whose content hash did not change."""
        with self._transaction() as db:
            db.execute(
                "UPDATE documents SET size = ?, mtime_ns = ? WHERE path = ?", (size, mtime_ns, path)
            )

    def remove(self, paths: Iterable[str]) -> list[int]:
        """Forget documents; returns the ids of the chunks removed with them."""
        gone = list(paths)
        return self._mending_terms(lambda: self._remove(gone))

    def _remove(self, paths: list[str]) -> list[int]:
        removed: list[int] = []
        with self._transaction() as db:
            for path in paths:
                removed += _delete_document(db, path)
        return removed

    # -- plumbing --------------------------------------------------------------------------

    def _mending_terms(self, work: Callable[[], T]) -> T:
        """`work`, retried once after remaking the FTS5 table if SQLite found damage."""
        try:
            return work()
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
        with self._lock:
            self._build_lexical()
        return work()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._writes += 1
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
                [
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("dimension", str(self.dimension)),
                    ("embedding_model", self.model),
                ],
            )
            return
        if int(row[0]) != SCHEMA_VERSION:
            raise ConfigError(
                phrase(
                    "The document index {path} has schema version {row_0}, and this "
                    "Aurora reads version {SCHEMA_VERSION}; delete its folder and "
                    "ingest again.",
                    path=self.path,
                    row_0=row[0],
                    SCHEMA_VERSION=SCHEMA_VERSION,
                )
            )
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        try:
            self.dimension = int(meta["dimension"])
        except (KeyError, ValueError):
            raise ConfigError(
                phrase(
                    "The document index {path} does not say how wide its vectors are; "
                    "delete its folder and ingest again.",
                    path=self.path,
                )
            ) from None
        self.model = meta.get("embedding_model", "")
        if not self.model and self.dimension == self.wanted[1]:  # made before names were kept
            self.model = self.wanted[0]
            self._db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('embedding_model', ?)",
                (self.model,),
            )
        restaging = f"{self.wanted[0]}/{self.wanted[1]}"
        if self.stale and meta.get("restaging") != restaging:  # vectors staged for another model
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM restaged")
            self._db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('restaging', ?)", (restaging,)
            )
            self._db.execute("COMMIT")

    def _check_lexical(self) -> None:
        """Build the FTS5 table from the stored chunks when it is missing or out of date."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'lexical'").fetchone()
        tables = self._db.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('chunk_terms', 'chunk_terms_vocab')"
        ).fetchone()
        if tables == (2,) and row is not None and row[0] == lexical.ANALYZER_VERSION:
            return
        self._build_lexical()

    def _build_lexical(self) -> None:
        """(Re)make the FTS5 table from the stored chunks, in one transaction."""
        self._writes += 1
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute("DROP TABLE IF EXISTS chunk_terms_vocab")
            self._db.execute("DROP TABLE IF EXISTS chunk_terms")
            for statement in _LEXICAL_TABLES:
                self._db.execute(statement)
            last = -1
            while True:
                rows = self._db.execute(
                    "SELECT id, text FROM chunks WHERE id > ? ORDER BY id LIMIT 1000", (last,)
                ).fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                self._db.executemany(
                    "INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)",
                    [(chunk_id, lexical.indexed_text(text)) for chunk_id, text in rows],
                )
            self._db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('lexical', ?)",
                (lexical.ANALYZER_VERSION,),
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


def _delete_document(db: sqlite3.Connection, path: str) -> list[int]:
    row = db.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()
    if row is None:
        return []
    ids = [int(r[0]) for r in db.execute("SELECT id FROM chunks WHERE doc_id = ?", (row[0],))]
    db.executemany("DELETE FROM chunk_terms WHERE rowid = ?", [(i,) for i in ids])
    db.execute("DELETE FROM documents WHERE id = ?", (row[0],))
    return ids
