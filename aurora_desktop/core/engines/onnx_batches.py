"""What every ONNX sentence encoder shares: one session opened the same way, texts run in
length-sorted batches under a lock, unit-length rows back in input order, and a close that
gives the memory back. Subclasses say how one batch of texts becomes vectors."""

from __future__ import annotations

import gc
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.engines.onnx_providers import (
    best_providers,
    session_provider,
    tune_session_options,
)
from aurora_desktop.core.errors import EngineError, EngineLoadError
from aurora_desktop.core.hardware import physical_cores
from aurora_desktop.core.memory import release_freed_memory
from aurora_desktop.core.text import phrase


def open_session(
    path: Path,
    *,
    model: bytes | None = None,
    providers: Sequence[str] | None = None,
    threads: int | None = None,
) -> Any:
    """An inference session for the file at `path` (or for `model`, bytes made from it)."""
    import onnxruntime  # type: ignore[import-untyped]

    chosen = list(providers or best_providers())
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(1, threads or physical_cores())
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # The arena would keep a long batch's peak (1.5 GB at 64 x 256 tokens) for good.
    options.enable_cpu_mem_arena = False
    tune_session_options(options, chosen)
    try:
        source = model if model is not None else str(path)
        return onnxruntime.InferenceSession(source, options, providers=chosen)
    except Exception as exc:  # onnxruntime's errors derive from bare Exception
        reason = " ".join(str(exc).split(" : ")[-1].split()) or type(exc).__name__
        raise EngineLoadError(
            phrase(
                "ONNX Runtime could not load the embedding model {path_name} "
                "({reason}); reinstall the model.",
                path_name=path.name,
                reason=reason,
            )
        ) from exc


def unit_rows(vectors: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
    """Each row scaled to length 1, so a dot product of two rows is their cosine."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    return np.asarray(vectors / norms, dtype=np.float32)


class BatchedEncoder(ABC):
    """Runs `_embed_batch` over length-sorted batches of `batch_size` texts.

    The session's `run` is thread-safe, so no worker thread is needed; the lock only keeps
    `close()` from pulling the session out from under a running batch."""

    dimension: int

    def __init__(self, session: Any, *, batch_size: int) -> None:
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._session: Any = session
        self._provider = session_provider(session)

    @property
    def provider(self) -> str:
        """The execution provider the session actually runs on, e.g. "CPUExecutionProvider"."""
        return self._provider

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One L2-normalised row per text, in the order given; shape (len(texts), dimension)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with self._lock:
            session = self._session
            if session is None:
                raise EngineError(
                    phrase("The embedding model was unloaded; load it again, then retry.")
                )
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                out[rows] = self._embed_batch(session, [texts[i] for i in rows])
        return out

    def close(self) -> None:
        """Release the session; further `embed` calls raise EngineError."""
        with self._lock:
            session, self._session = self._session, None
        if session is not None:
            del session
            gc.collect()
            release_freed_memory()

    @abstractmethod
    def _embed_batch(self, session: Any, texts: list[str]) -> npt.NDArray[np.float32]:
        """Unit-length rows for one batch of texts (each encoder says how)."""
