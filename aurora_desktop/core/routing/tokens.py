"""Counting `tokens_in` for routing: the local model's own tokenizer when it is installed.

A vocabulary-only llama.cpp load takes milliseconds and never touches the weights, so the
router can use the real tokenizer without loading the model; otherwise a byte-based
estimate is used and the decision says so.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aurora_desktop.core.engines.llama_logging import quiet_llama_logs
from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.text import phrase

MODEL_TOKENIZER = phrase("model tokenizer")
ESTIMATE = phrase("estimate (about 4 bytes per token)")


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text.encode("utf-8")) / 4)


class TokenCounter:
    def __init__(self, model_path: Callable[[], Path | None]) -> None:
        self._model_path = model_path
        self._lock = threading.Lock()
        self._vocab: Any = None
        self._tried = False

    def count(self, text: str) -> tuple[int, str]:
        with self._lock:
            vocab = self._load()
            if vocab is None:
                return estimate_tokens(text), ESTIMATE
            return len(vocab.tokenize(text.encode("utf-8"), add_bos=False, special=False)), (
                MODEL_TOKENIZER
            )

    def _load(self) -> Any:
        if self._vocab is None and not self._tried:
            self._tried = True
            try:
                path = self._model_path()
            except AuroraError:  # not installed or failing verification: never parse it
                path = None
            if path is not None:
                try:
                    quiet_llama_logs()
                    from llama_cpp import Llama

                    self._vocab = Llama(model_path=str(path), vocab_only=True, verbose=False)
                except (ValueError, RuntimeError, OSError):
                    self._vocab = None
        return self._vocab

    def close(self) -> None:
        with self._lock:
            if self._vocab is not None:
                self._vocab.close()
                self._vocab = None
