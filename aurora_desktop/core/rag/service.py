"""Local retrieval over the user's files: consent, ingest, query; data in `<home>/rag/`."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.errors import ConfigError, ConsentDenied, RequestError
from aurora_desktop.core.filelock import FileLock
from aurora_desktop.core.models.progress import ProgressCallback, no_progress
from aurora_desktop.core.policy.consent import (
    ConsentAnswer,
    ConsentBroker,
    ConsentReply,
    ConsentRequest,
)
from aurora_desktop.core.rag.docstore import DocumentStore
from aurora_desktop.core.rag.index import IndexConfig
from aurora_desktop.core.rag.ingest import (
    Ingestor,
    IngestProgressCallback,
    IngestReport,
    IngestSettings,
    no_ingest_progress,
)
from aurora_desktop.core.rag.keeper import IndexKeeper
from aurora_desktop.core.rag.reembed import (
    ReembedProgressCallback,
    no_reembed_progress,
    reembed,
)
from aurora_desktop.core.rag.retrieval import FUSED, RETRIEVERS, Hit, retrieve
from aurora_desktop.core.sqlite_file import Report, is_damage, set_aside
from aurora_desktop.core.text import phrase

RAG_DIR = "rag"
DB_NAME = "documents.db"
INDEX_NAME = "vectors.faiss"
LOCK_NAME = "ingest.lock"
DEFAULT_K = 5
MAX_K = 100
DOCUMENTS = phrase("the document index")


@dataclass(frozen=True, slots=True)
class RagStats:
    documents: int
    chunks: int
    vectors: int  # live vectors in the index; equal to `chunks` once the two agree
    index_kind: str
    folder: str


class Embedder(Protocol):
    """What retrieval needs of an embedder (`EmbeddingService` is the real one)."""

    @property
    def dimension(self) -> int: ...

    @property
    def model_name(self) -> str: ...

    def ensure(
        self, progress: ProgressCallback = ..., cancel: threading.Event | None = None
    ) -> None: ...

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...

    def close(self) -> None: ...


def read_scope(folder: Path) -> str:
    """The consent scope for reading the files under `folder` (an absolute path)."""
    return f"file.read:{folder}"


def _allow_once(_: ConsentRequest) -> ConsentReply:
    return ConsentReply(ConsentAnswer.ALLOW_ONCE)


class RagService:
    """Ingests folders the user consented to, and answers queries from the index."""

    def __init__(
        self,
        home_dir: Path,
        embedder: Embedder,
        consent: ConsentBroker,
        *,
        index_config: IndexConfig | None = None,
        settings: IngestSettings | None = None,
        report: Report | None = None,
        reembed_progress: ReembedProgressCallback = no_reembed_progress,
    ) -> None:
        self.folder = home_dir / RAG_DIR
        self.reembed_progress = reembed_progress  # shown while a new model re-embeds the index
        self._report = report
        self.embedder = embedder
        self._consent = consent
        self._index_config = index_config or IndexConfig()
        self._settings = settings or IngestSettings()
        self._lock = threading.Lock()
        self._ingest_lock = threading.Lock()
        self._store: DocumentStore | None = None
        self._keeper: IndexKeeper | None = None

    def ingest(
        self,
        folder: Path,
        *,
        progress: IngestProgressCallback = no_ingest_progress,
        cancel: threading.Event | None = None,
        assume_yes: bool = False,
        model_progress: ProgressCallback = no_progress,
    ) -> IngestReport:
        """Index the text files under `folder` once the user consents to reading it.

        `assume_yes` is the user's consent given up front (`--yes`): it counts for this run.
        """
        try:
            root = Path(folder).expanduser().resolve()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop (3.11)
            raise ConfigError(
                phrase("{folder} cannot be opened as a folder ({exc}).", folder=folder, exc=exc)
            ) from exc
        if not root.is_dir():
            raise ConfigError(
                phrase("{root} is not a folder; give the folder of documents to ingest.", root=root)
            )
        how = self._require_consent(root, assume_yes)
        self.embedder.ensure(model_progress, cancel)
        self._open()  # first: an index of another model is embedded again, under the lock
        lock = FileLock(self.folder / LOCK_NAME, timeout=2.0, what=phrase("the document index"))
        with self._ingest_lock, lock:
            store, keeper = self._open()
            ingestor = Ingestor(store, keeper, self.embedder.embed, self._settings)
            report = ingestor.run(root, progress, cancel)
        return replace(report, consent=how)

    def query(self, text: str, k: int = DEFAULT_K, *, using: str = FUSED) -> list[Hit]:
        """The `k` best chunks for `text`, best first; empty when nothing is ingested.

        `using` is "fused" (meaning and words together, see `fusion.weighted_sum`), "vector"
        or "lexical".
        """
        if not text.strip():
            raise RequestError(phrase("The question is empty; type what to look for."))
        if not 1 <= k <= MAX_K:
            raise RequestError(
                phrase("k must be between 1 and {MAX_K}; ask for fewer sources.", MAX_K=MAX_K)
            )
        if using not in RETRIEVERS:
            raise RequestError(
                phrase(
                    "The retriever must be one of {join_RETRIEVERS}.",
                    join_RETRIEVERS=", ".join(RETRIEVERS),
                )
            )
        store, keeper = self._open()
        vector = self.embedder.embed([text])[0]
        return retrieve(keeper, store, vector, text, k, using)

    def documents(self, text: str, k: int = DEFAULT_K, *, using: str = FUSED) -> list[str]:
        """The paths of the `k` best documents for `text`: each at its best chunk's place."""
        if not 1 <= k <= MAX_K:
            raise RequestError(
                phrase("k must be between 1 and {MAX_K}; ask for fewer documents.", MAX_K=MAX_K)
            )
        hits = self.query(text, MAX_K, using=using)
        return list(dict.fromkeys(hit.path for hit in hits))[:k]

    def stats(self) -> RagStats:
        store, keeper = self._open()
        documents, chunks = store.counts()
        return RagStats(documents, chunks, keeper.size, keeper.kind, str(self.folder))

    def close(self) -> None:
        """Save the index if it changed and close the database (the embedder is shared)."""
        with self._lock:
            store, keeper = self._store, self._keeper
            self._store = self._keeper = None
        if keeper is not None:
            keeper.save()
        if store is not None:
            store.close()

    def _require_consent(self, root: Path, assume_yes: bool) -> str:
        broker = ConsentBroker(self._consent.store, _allow_once) if assume_yes else self._consent
        request = ConsentRequest(
            scope=read_scope(root),
            recipient=phrase("the document index on this device"),
            why=phrase(
                "to split the text files in this folder into chunks and index "
                "them on this device for retrieval; nothing is sent anywhere"
            ),
            preview=phrase("every text file under {root}", root=root),
        )
        try:
            return broker.require(request)
        except ConsentDenied:
            raise ConsentDenied(
                phrase(
                    "Aurora may not read {root} without your consent, so nothing was "
                    "ingested; allow it when asked, or pass --yes.",
                    root=root,
                )
            ) from None

    def _document_store(self) -> DocumentStore:
        """The document store; a damaged one moves the whole index folder aside (once)."""
        path = self.folder / DB_NAME
        wanted = (self.embedder.dimension, self.embedder.model_name)
        try:
            return DocumentStore(path, *wanted)
        except ConfigError as exc:
            regular = not path.exists() or (path.is_file() and not path.is_symlink())
            if not is_damage(exc.__cause__) and regular:
                raise
        with FileLock(self.folder.parent / f".{RAG_DIR}.lock", timeout=30.0, what=DOCUMENTS):
            moved = set_aside(self.folder, companions=())
        sentence = phrase(
            "The document index {RAG_DIR}/{DB_NAME} was damaged, so Aurora "
            "moved the folder aside as {moved_name}; run 'aurora rag ingest "
            "FOLDER' again to rebuild it.",
            RAG_DIR=RAG_DIR,
            DB_NAME=DB_NAME,
            moved_name=moved.name,
        )
        if self._report is not None:
            self._report(sentence, path, moved)
        return DocumentStore(path, *wanted)

    def _open(self) -> tuple[DocumentStore, IndexKeeper]:
        with self._lock:
            if self._store is not None and self._store.wanted[0] != self.embedder.model_name:
                self._drop_open()  # the embedding model was switched while open
            if self._store is None or self._keeper is None:
                store = self._document_store()
                try:
                    self._catch_up_model(store)
                except BaseException:
                    store.close()
                    raise
                keeper = IndexKeeper(self.folder / INDEX_NAME, store, self._index_config)
                try:
                    keeper.open()
                except BaseException:
                    store.close()
                    raise
                self._store, self._keeper = store, keeper
            elif self._store.changed_elsewhere():  # another process ingested: catch up
                self._keeper.open()
            return self._store, self._keeper

    def _drop_open(self) -> None:
        if self._keeper is not None:
            self._keeper.save()
        if self._store is not None:
            self._store.close()
        self._store = self._keeper = None

    def _catch_up_model(self, store: DocumentStore) -> None:
        """Embed the index again when it was built with another model (resumable)."""
        if not store.stale:
            return
        lock = FileLock(self.folder / LOCK_NAME, timeout=30.0, what=DOCUMENTS)
        with self._ingest_lock, lock:
            reembed(store, self.embedder.embed, self.folder / INDEX_NAME, self.reembed_progress)
