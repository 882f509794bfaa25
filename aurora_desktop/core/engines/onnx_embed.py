"""Sentence embeddings from an ONNX encoder (all-MiniLM-L6-v2) through ONNX Runtime.

Texts are tokenized with the model's own `tokenizer.json`, run through the encoder in
batches, mean-pooled over `last_hidden_state` with the attention mask and L2-normalised,
so a dot product of two vectors is their cosine similarity. Texts are sorted by length
before batching so each batch pads little, and the vectors come back in input order.
The session's `run` is thread-safe, so the embedder needs no worker thread of its own;
a lock only keeps `close()` from pulling the session out from under a running batch.
"""

from __future__ import annotations

import gc
import threading
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

_TOKEN_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_INT_TYPES: dict[str, type[np.signedinteger[Any]]] = {
    "tensor(int64)": np.int64,
    "tensor(int32)": np.int32,
}


class OnnxEmbedder:
    """Turns texts into unit-length float32 vectors, `batch_size` texts per session run."""

    def __init__(
        self,
        model_path: Path,
        tokenizer_path: Path,
        *,
        batch_size: int = 64,
        max_length: int = 256,
        threads: int | None = None,
        providers: Sequence[str] | None = None,
    ) -> None:
        if batch_size < 1 or max_length < 2:
            raise ValueError("batch_size must be at least 1 and max_length at least 2")
        self.model_path = model_path
        self.tokenizer_path = tokenizer_path
        self.batch_size = batch_size
        self.max_length = max_length
        self._lock = threading.Lock()
        self._tokenizer: Any = _load_tokenizer(tokenizer_path, max_length)
        self._session: Any = _load_session(
            model_path, list(providers or best_providers()), threads or physical_cores()
        )
        self._inputs = _input_types(self._session, model_path)
        self._output, self.dimension = _pick_output(self._session, model_path)
        self._provider = session_provider(self._session)

    @property
    def provider(self) -> str:
        """The execution provider the session actually runs on, e.g. "CPUExecutionProvider"."""
        return self._provider

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def memory_bytes(self) -> int:
        """The weights held (model and tokenizer file sizes); 0 once closed.

        Activations are freed after each batch (no CPU arena), so they are not counted.
        """
        if self._session is None:
            return 0
        return int(self.model_path.stat().st_size + self.tokenizer_path.stat().st_size)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One L2-normalised row per text, in the order given; shape (len(texts), dimension)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with self._lock:
            session = self._session
            if session is None:
                raise EngineError("The embedding model was unloaded; load it again, then retry.")
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

    def _embed_batch(self, session: Any, texts: list[str]) -> npt.NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(texts)
        columns = {
            "input_ids": [e.ids for e in encodings],
            "attention_mask": [e.attention_mask for e in encodings],
            "token_type_ids": [e.type_ids for e in encodings],
        }
        feed = {name: np.asarray(columns[name], dtype=kind) for name, kind in self._inputs.items()}
        (hidden,) = session.run([self._output], feed)
        hidden = np.asarray(hidden, dtype=np.float32)
        if hidden.ndim == 3:
            mask = np.asarray(columns["attention_mask"], dtype=np.float32)[:, :, None]
            counts = np.clip(mask.sum(axis=1), 1e-9, None)
            hidden = (hidden * mask).sum(axis=1) / counts
        norms = np.clip(np.linalg.norm(hidden, axis=1, keepdims=True), 1e-12, None)
        return np.asarray(hidden / norms, dtype=np.float32)


def _load_tokenizer(path: Path, max_length: int) -> Any:
    from tokenizers import Tokenizer

    if not path.is_file():
        raise EngineLoadError(
            f"The embedding tokenizer {path} is missing; reinstall the embedding model."
        )
    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:  # the tokenizers package raises bare Exception
        raise EngineLoadError(
            f"The embedding tokenizer {path.name} cannot be read ({' '.join(str(exc).split())}); "
            "reinstall the embedding model."
        ) from exc
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.enable_padding(pad_id=tokenizer.padding["pad_id"] if tokenizer.padding else 0)
    return tokenizer


def _load_session(path: Path, providers: list[str], threads: int) -> Any:
    import onnxruntime  # type: ignore[import-untyped]

    if not path.is_file():
        raise EngineLoadError(f"The embedding model {path} is missing; reinstall it.")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # The arena would keep a long batch's peak (1.5 GB at 64 x 256 tokens) for good.
    options.enable_cpu_mem_arena = False
    tune_session_options(options, providers)
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=providers)
    except Exception as exc:  # onnxruntime's errors derive from bare Exception
        reason = " ".join(str(exc).split(" : ")[-1].split()) or type(exc).__name__
        raise EngineLoadError(
            f"ONNX Runtime could not load the embedding model {path.name} ({reason}); "
            "reinstall the model."
        ) from exc


def _input_types(session: Any, path: Path) -> dict[str, type[np.signedinteger[Any]]]:
    inputs: dict[str, type[np.signedinteger[Any]]] = {}
    for arg in session.get_inputs():
        if arg.name not in _TOKEN_INPUTS or arg.type not in _INT_TYPES:
            raise EngineLoadError(
                f"The embedding model {path.name} asks for an input Aurora cannot give "
                f"({arg.name}: {arg.type}); choose a sentence-embedding model."
            )
        inputs[arg.name] = _INT_TYPES[arg.type]
    if "input_ids" not in inputs:
        raise EngineLoadError(
            f"The embedding model {path.name} takes no input_ids; choose a text encoder."
        )
    return inputs


def _pick_output(session: Any, path: Path) -> tuple[str, int]:
    outputs = {arg.name: arg for arg in session.get_outputs()}
    arg = outputs.get("last_hidden_state") or next(iter(outputs.values()))
    width = arg.shape[-1] if arg.shape else None
    if not isinstance(width, int) or len(arg.shape) not in (2, 3):
        raise EngineLoadError(
            f"The embedding model {path.name} gives no fixed-width vectors "
            f"({arg.name}: {arg.shape}); choose a sentence-embedding model."
        )
    return str(arg.name), width
