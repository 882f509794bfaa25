"""Ingesting a folder: new and changed files are chunked, embedded in batches and committed.

A file whose size and mtime match its stored row is skipped without being read; one whose
bytes hash the same is only re-stamped. Changed and new files are embedded in batches and
committed together with their vectors, one transaction per batch, so a kill loses at most
the batch in flight, and the next run picks up where this one stopped.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.errors import CancelledError
from aurora_desktop.core.rag.chunker import (
    DEFAULT_CHUNK_CHARS,
    DEFAULT_OVERLAP_CHARS,
    Chunk,
    chunk_text,
)
from aurora_desktop.core.rag.docstore import Document, DocumentStore
from aurora_desktop.core.rag.files import DEFAULT_MAX_FILE_BYTES, Skipped, discover, read_source
from aurora_desktop.core.rag.keeper import IndexKeeper
from aurora_desktop.core.text import phrase

EmbedFn = Callable[[Sequence[str]], npt.NDArray[np.float32]]


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestSettings:
    chunk_chars: int = DEFAULT_CHUNK_CHARS
    overlap: int = DEFAULT_OVERLAP_CHARS
    commit_chunks: int = 64  # chunks embedded per commit (one transaction): what a kill can lose
    embed_batch: int = 64  # chunks per embedding call: progress moves and cancel acts between
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    save_every_s: float = 30.0  # the index file is rewritten at most this often mid-run


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestProgress:
    files_done: int
    files_total: int
    chunks_embedded: int
    chunks_per_min: float
    path: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestReport:
    folder: str
    files_total: int  # every file seen: indexed + unchanged + skipped
    files_indexed: int  # new or changed, embedded in this run
    files_unchanged: int
    files_removed: int
    skipped: tuple[Skipped, ...]
    chunks_embedded: int
    documents: int  # in the whole index after the run
    chunks: int
    index_kind: str
    seconds: float
    chunks_per_min: float
    consent: str = ""


IngestProgressCallback = Callable[[IngestProgress], None]


def no_ingest_progress(_: IngestProgress) -> None:
    return None


@dataclass(slots=True)
class _Run:
    started: float
    files_total: int
    files_done: int = 0
    indexed: int = 0
    unchanged: int = 0
    embedded: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    pending: list[tuple[Document, list[Chunk]]] = field(default_factory=list)
    pending_chunks: int = 0
    last_save: float = 0.0


class Ingestor:
    """Runs one ingest at a time over a document store and its index."""

    def __init__(
        self,
        store: DocumentStore,
        keeper: IndexKeeper,
        embed: EmbedFn,
        settings: IngestSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._keeper = keeper
        self._embed = embed
        self.settings = settings or IngestSettings()
        self._clock = clock

    def run(
        self,
        folder: Path,
        progress: IngestProgressCallback = no_ingest_progress,
        cancel: threading.Event | None = None,
    ) -> IngestReport:
        cancel = cancel or threading.Event()
        files, skipped = discover(folder, self.settings.max_file_bytes)
        run = _Run(started=self._clock(), files_total=len(files), skipped=skipped)
        run.last_save = run.started
        try:
            for path in files:
                if cancel.is_set():
                    break
                self._visit(run, path, progress, cancel)
            if not cancel.is_set():
                self._flush(run, progress, cancel)
            removed = 0 if cancel.is_set() else self._forget_missing(folder, files)
        finally:
            self._keeper.save()
        if cancel.is_set():
            raise CancelledError(
                phrase(
                    "The ingest was stopped after {run_files_done} of "
                    "{run_files_total} files; run it again to finish, nothing done is "
                    "lost.",
                    run_files_done=run.files_done,
                    run_files_total=run.files_total,
                )
            )
        documents, chunks = self._store.counts()
        seconds = self._clock() - run.started
        return IngestReport(
            folder=str(folder),
            files_total=run.indexed + run.unchanged + len(run.skipped),
            files_indexed=run.indexed,
            files_unchanged=run.unchanged,
            files_removed=removed,
            skipped=tuple(run.skipped),
            chunks_embedded=run.embedded,
            documents=documents,
            chunks=chunks,
            index_kind=self._keeper.kind,
            seconds=seconds,
            chunks_per_min=_per_min(run.embedded, seconds),
        )

    def _visit(
        self, run: _Run, path: Path, progress: IngestProgressCallback, cancel: threading.Event
    ) -> None:
        key = str(path)
        known = self._store.document(key)
        try:
            stat = path.stat()
        except OSError as exc:
            run.skipped.append(Skipped(key, phrase("cannot be read ({exc})", exc=exc.strerror)))
            self._done(run, key, progress)
            return
        if known and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            run.unchanged += 1
            self._done(run, key, progress)
            return
        source = read_source(path, self.settings.max_file_bytes)
        if isinstance(source, Skipped):
            run.skipped.append(source)
            self._drop([key] if known else [])
        elif known and known.sha256 == source.sha256:
            self._store.touch(key, stat.st_size, stat.st_mtime_ns)
            run.unchanged += 1
        else:
            chunks = chunk_text(
                source.text, max_chars=self.settings.chunk_chars, overlap=self.settings.overlap
            )
            doc = Document(0, key, stat.st_size, stat.st_mtime_ns, source.sha256)
            run.pending.append((doc, chunks))
            run.pending_chunks += len(chunks)
            if run.pending_chunks >= self.settings.commit_chunks:
                self._flush(run, progress, cancel)
            return  # done once committed
        self._done(run, key, progress)

    def _flush(self, run: _Run, progress: IngestProgressCallback, cancel: threading.Event) -> None:
        if not run.pending:
            return
        texts = [c.text for _, chunks in run.pending for c in chunks]
        width = self._store.dimension
        parts: list[npt.NDArray[np.float32]] = [np.zeros((0, width), dtype=np.float32)]
        step = self.settings.embed_batch
        for start in range(0, len(texts), step):
            if cancel.is_set():
                return  # nothing of this batch is committed; the next run redoes it
            parts.append(self._embed(texts[start : start + step]))
            run.embedded += len(parts[-1])
            self._report(run, run.pending[-1][0].path, progress)
        vectors = np.concatenate(parts)
        items, offset = [], 0
        for doc, chunks in run.pending:
            items.append((doc, chunks, vectors[offset : offset + len(chunks)]))
            offset += len(chunks)
        removed, added = self._store.replace_many(items, time.time())
        self._keeper.apply(removed, added, vectors)
        run.indexed += len(run.pending)
        run.files_done += len(run.pending)
        last = run.pending[-1][0].path
        run.pending, run.pending_chunks = [], 0
        self._report(run, last, progress)
        if self._clock() - run.last_save >= self.settings.save_every_s:
            self._keeper.save()
            run.last_save = self._clock()

    def _forget_missing(self, folder: Path, files: list[Path]) -> int:
        present = {str(p) for p in files}
        gone = [d.path for d in self._store.documents_under(str(folder)) if d.path not in present]
        self._drop(gone)
        return len(gone)

    def _drop(self, paths: list[str]) -> None:
        if paths:
            nothing = np.zeros((0, self._store.dimension), dtype=np.float32)
            self._keeper.apply(self._store.remove(paths), [], nothing)

    def _done(self, run: _Run, path: str, progress: IngestProgressCallback) -> None:
        run.files_done += 1
        self._report(run, path, progress)

    def _report(self, run: _Run, path: str, progress: IngestProgressCallback) -> None:
        progress(
            IngestProgress(
                files_done=run.files_done,
                files_total=run.files_total,
                chunks_embedded=run.embedded,
                chunks_per_min=_per_min(run.embedded, self._clock() - run.started),
                path=os.fspath(path),
            )
        )


def _per_min(chunks: int, seconds: float) -> float:
    return chunks * 60.0 / seconds if seconds > 0 else 0.0
