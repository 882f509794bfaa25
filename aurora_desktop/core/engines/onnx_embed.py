"""Sentence embeddings from an ONNX encoder (all-MiniLM-L6-v2) through ONNX Runtime.

Texts are tokenized with the model's own `tokenizer.json`, run through the encoder in
batches, mean-pooled over `last_hidden_state` with the attention mask and L2-normalised,
so a dot product of two vectors is their cosine similarity. Texts are sorted by length
before batching so each batch pads little, and the vectors come back in input order.
Batching, the lock and closing live in `onnx_batches.BatchedEncoder`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.engines.onnx_batches import BatchedEncoder, open_session, unit_rows
from aurora_desktop.core.errors import EngineLoadError
from aurora_desktop.core.text import phrase

_TOKEN_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_INT_TYPES: dict[str, type[np.signedinteger[Any]]] = {
    "tensor(int64)": np.int64,
    "tensor(int32)": np.int32,
}


class OnnxEmbedder(BatchedEncoder):
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
        self.max_length = max_length
        self._tokenizer: Any = _load_tokenizer(tokenizer_path, max_length)
        if not model_path.is_file():
            raise EngineLoadError(
                phrase(
                    "The embedding model {model_path} is missing; reinstall it.",
                    model_path=model_path,
                )
            )
        session = open_session(model_path, providers=providers, threads=threads)
        super().__init__(session, batch_size=batch_size)
        self._inputs = _input_types(session, model_path)
        self._output, self.dimension = _pick_output(session, model_path)

    def memory_bytes(self) -> int:
        """The weights held (model and tokenizer file sizes); 0 once closed.

        Activations are freed after each batch (no CPU arena), so they are not counted.
        """
        if self._session is None:
            return 0
        return int(self.model_path.stat().st_size + self.tokenizer_path.stat().st_size)

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
        return unit_rows(hidden)


def _load_tokenizer(path: Path, max_length: int) -> Any:
    from tokenizers import Tokenizer

    if not path.is_file():
        raise EngineLoadError(
            phrase(
                "The embedding tokenizer {path} is missing; reinstall the embedding model.",
                path=path,
            )
        )
    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:  # the tokenizers package raises bare Exception
        raise EngineLoadError(
            phrase(
                "The embedding tokenizer {path_name} cannot be read "
                "({join_str_exc_split}); reinstall the embedding model.",
                path_name=path.name,
                join_str_exc_split=" ".join(str(exc).split()),
            )
        ) from exc
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.enable_padding(pad_id=tokenizer.padding["pad_id"] if tokenizer.padding else 0)
    return tokenizer


def _input_types(session: Any, path: Path) -> dict[str, type[np.signedinteger[Any]]]:
    inputs: dict[str, type[np.signedinteger[Any]]] = {}
    for arg in session.get_inputs():
        if arg.name not in _TOKEN_INPUTS or arg.type not in _INT_TYPES:
            raise EngineLoadError(
                phrase(
                    "The embedding model {path_name} asks for an input Aurora cannot "
                    "give ({arg_name}: {arg_type}); choose a sentence-embedding "
                    "model.",
                    path_name=path.name,
                    arg_name=arg.name,
                    arg_type=arg.type,
                )
            )
        inputs[arg.name] = _INT_TYPES[arg.type]
    if "input_ids" not in inputs:
        raise EngineLoadError(
            phrase(
                "The embedding model {path_name} takes no input_ids; choose a text encoder.",
                path_name=path.name,
            )
        )
    return inputs


def _pick_output(session: Any, path: Path) -> tuple[str, int]:
    outputs = {arg.name: arg for arg in session.get_outputs()}
    arg = outputs.get("last_hidden_state") or next(iter(outputs.values()))
    width = arg.shape[-1] if arg.shape else None
    if not isinstance(width, int) or len(arg.shape) not in (2, 3):
        raise EngineLoadError(
            phrase(
                "The embedding model {path_name} gives no fixed-width vectors "
                "({arg_name}: {arg_shape}); choose a sentence-embedding model.",
                path_name=path.name,
                arg_name=arg.name,
                arg_shape=arg.shape,
            )
        )
    return str(arg.name), width
