"""One shared embedder: installed from the catalog on first use, verified, loaded once.

Retrieval (RAG) and the intent classifier both embed through this service, so the model
is fetched, checked and held in memory once per process. Loading is lazy and guarded by a
lock; `embed` may be called from any thread (the ONNX session's `run` is thread-safe).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from aurora_desktop.core.errors import EngineLoadError
from aurora_desktop.core.models.catalog import Catalog
from aurora_desktop.core.models.progress import FetchProgress, ProgressCallback, no_progress
from aurora_desktop.core.models.store import InstalledVersion, ModelStore
from aurora_desktop.core.text import phrase

if TYPE_CHECKING:  # numpy and the ONNX engines load with the first model, not at start-up
    import numpy as np
    import numpy.typing as npt

DEFAULT_EMBEDDING_MODEL = "all-minilm-l6-v2-int8"
MULTILINGUAL_EMBEDDING_MODEL = "use-multilingual-v3"
TOKENIZER_FILE = "tokenizer.json"


class Embedder(Protocol):
    """What the service needs of an open model (OnnxEmbedder, SentencepieceGraphEmbedder)."""

    @property
    def dimension(self) -> int: ...
    @property
    def provider(self) -> str: ...
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...
    def memory_bytes(self) -> int: ...
    def close(self) -> None: ...


# (model file, tokenizer file or None when the graph tokenizes inside itself) -> open model
EmbedderFactory = Callable[[Path, Path | None], Embedder]


def onnx_embedder(batch_size: int = 64, threads: int | None = None) -> EmbedderFactory:
    """The default way to open a model: ONNX Runtime on the best provider available, with
    the model's `tokenizer.json`, or with the sentencepiece model inside its graph."""

    def build(model_path: Path, tokenizer_path: Path | None) -> Embedder:
        from aurora_desktop.core.engines.onnx_embed import OnnxEmbedder
        from aurora_desktop.core.engines.onnx_sentencepiece import SentencepieceGraphEmbedder

        if tokenizer_path is None:
            return SentencepieceGraphEmbedder(model_path, batch_size=batch_size, threads=threads)
        return OnnxEmbedder(model_path, tokenizer_path, batch_size=batch_size, threads=threads)

    return build


class EmbeddingService:
    """Embeds texts with a catalog model; `texts_embedded` counts the work done so far.

    With `idle_s` set, the model is released once it has not been used for that long (like
    the chat models' idle unload); the next `embed` loads it again.
    """

    def __init__(
        self,
        store: ModelStore,
        catalog: Callable[[], Catalog],
        *,
        model_name: str = DEFAULT_EMBEDDING_MODEL,
        factory: EmbedderFactory | None = None,
        idle_s: float | None = None,
    ) -> None:
        self.idle_s = idle_s
        self._last_used = 0.0
        self._in_use = 0  # embed calls running now
        self._reaper: threading.Timer | None = None
        self._store = store
        self._catalog = catalog
        self.model_name = model_name
        self._factory = factory or onnx_embedder()
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._count_lock = threading.Lock()
        self._texts_embedded = 0

    @property
    def loaded(self) -> bool:
        return self._embedder is not None

    @property
    def dimension(self) -> int:
        """The vector width; loads the model if it is not loaded yet."""
        return self._ready().dimension

    @property
    def provider(self) -> str:
        """The execution provider the model runs on; loads the model if needed."""
        return self._ready().provider

    @property
    def texts_embedded(self) -> int:
        """How many texts this service has embedded since it was created."""
        return self._texts_embedded

    def ensure(
        self, progress: ProgressCallback = no_progress, cancel: threading.Event | None = None
    ) -> None:
        """Install (first use only), verify and load the model; a no-op once loaded."""
        self._load(progress, cancel)
        with self._count_lock:
            self._last_used = time.monotonic()
        self._watch_idle()

    def install(
        self, progress: ProgressCallback = no_progress, cancel: threading.Event | None = None
    ) -> bool:
        """Install and verify the model if it is missing, without loading it (the desktop app
        does this in the background, so the classifier finds its encoder); True if it did."""
        if self._store.active(self.model_name) is not None:
            return False
        with self._lock:
            if self._store.active(self.model_name) is not None:
                return False
            self._store.install(
                self._catalog().get(self.model_name), progress=progress, cancel=cancel
            )
            return True

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One unit-length float32 row per text, in order; loads the model on first use."""
        with self._count_lock:
            self._in_use += 1  # before the model is fetched, so the idle release waits
        try:
            embedder = self._ready()
            if not texts:
                import numpy as np

                return np.zeros((0, embedder.dimension), dtype=np.float32)
            vectors = embedder.embed(texts)
        finally:
            with self._count_lock:
                self._in_use -= 1
                self._last_used = time.monotonic()
        with self._count_lock:
            self._texts_embedded += len(texts)
        self._watch_idle()
        return vectors

    def close(self) -> None:
        """Release the model; a later `embed` loads it again."""
        with self._count_lock:
            reaper, self._reaper = self._reaper, None
        if reaper is not None:
            reaper.cancel()
        with self._lock:
            embedder, self._embedder = self._embedder, None
        if embedder is not None:
            embedder.close()

    def _watch_idle(self, after: float | None = None) -> None:
        """Release the model `idle_s` after its last use (one timer at a time)."""
        idle = self.idle_s
        with self._count_lock:
            if not idle or self._reaper is not None or self._embedder is None:
                return
            reaper = threading.Timer(after or idle, self._release_if_idle)
            reaper.name = f"idle-{self.model_name}"
            reaper.daemon = True
            self._reaper = reaper
        reaper.start()

    def _release_if_idle(self) -> None:
        idle = self.idle_s
        with self._lock:  # no load starts while this decides
            with self._count_lock:
                self._reaper = None
                quiet_for = time.monotonic() - self._last_used
                busy = self._in_use > 0
            if not idle:
                return
            if busy or quiet_for < idle:
                wait = max(1.0, idle - quiet_for)
                embedder = None
            else:
                embedder, self._embedder = self._embedder, None
        if embedder is not None:
            embedder.close()
        elif busy or quiet_for < idle:
            self._watch_idle(wait)

    def _ready(self) -> Embedder:
        return self._load(no_progress, None)

    def _load(self, progress: ProgressCallback, cancel: threading.Event | None) -> Embedder:
        embedder = self._embedder
        if embedder is not None:
            return embedder
        with self._lock:
            if self._embedder is not None:
                return self._embedder
            name = self.model_name
            if self._store.active(name) is None:
                self._store.install(self._catalog().get(name), progress=progress, cancel=cancel)
            installed = self._store.ready_for_load(name, progress)  # verify, then load
            progress(FetchProgress("load", name, 0, None))
            model_path, tokenizer_path = _model_files(installed)
            self._embedder = embedder = self._factory(model_path, tokenizer_path)
            progress(FetchProgress("ready", installed.entry.display_name, 1, 1))
            return embedder


def _model_files(installed: InstalledVersion) -> tuple[Path, Path | None]:
    """The ONNX file and its `tokenizer.json`; a model without one must tokenize in-graph."""
    paths = [installed.folder / f.path for f in installed.entry.files]
    tokenizer = next((p for p in paths if p.name == TOKENIZER_FILE), None)
    model = next((p for p in paths if p.suffix == ".onnx"), None)
    if model is None:
        raise EngineLoadError(
            phrase(
                "{installed_entry_display_name} is not an ONNX model; choose a "
                "sentence-embedding model from the catalog.",
                installed_entry_display_name=installed.entry.display_name,
            )
        )
    return model, tokenizer
