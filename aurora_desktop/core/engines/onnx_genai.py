"""ONNX LLMs through ONNX Runtime GenAI; the model lives on one thread, like llama.cpp's.

`og.Model` and its generators are touched only on the engine's `EngineWorker`. A model
folder is what the GenAI model builder writes: `genai_config.json`, `model.onnx` (+ data)
and `tokenizer.json`. The prompt is built with the ChatML template (SmolLM2, Qwen),
generation streams token by token, and the loop checks the cancel event and the token
callback after each token, so Stop takes effect within one token.
The execution provider is the one the model folder was built for (DirectML on Windows when
built with `-e dml`) unless the caller names providers.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import (
    NO_CONSTRAINT,
    Constraint,
    EngineHealth,
    GenerationResult,
    TokenCallback,
)
from aurora_desktop.core.engines.onnx_providers import CPU, DML, genai_provider
from aurora_desktop.core.engines.threaded import ThreadedEngine, free_model_memory
from aurora_desktop.core.errors import EngineError, EngineLoadError
from aurora_desktop.core.text import phrase

DEFAULT_CONTEXT = 2048
CHATML_END = "<|im_end|>"
_GENAI_PROVIDER_NAMES = {DML: "dml"}


def chatml_prompt(messages: Sequence[Message]) -> str:
    """The ChatML rendering of a conversation, ending where the assistant's turn begins."""
    turns = "".join(f"<|im_start|>{m.role}\n{m.content}{CHATML_END}\n" for m in messages)
    return f"{turns}<|im_start|>assistant\n"


class OnnxGenAIEngine(ThreadedEngine):
    """An ONNX model folder served in-process by onnxruntime-genai."""

    engine_name = "onnxruntime-genai"

    def __init__(
        self,
        model_dir: Path,
        *,
        model_name: str,
        n_ctx: int = DEFAULT_CONTEXT,
        providers: Sequence[str] | None = None,
        seed: int = 0,
    ) -> None:
        super().__init__(model_name=model_name, thread_name=f"engine-{model_name}")
        self.model_dir = model_dir
        self.n_ctx = n_ctx
        self._providers = tuple(providers) if providers is not None else None
        self._seed = seed
        self._model: Any = None
        self._tokenizer: Any = None
        self._stop_ids: frozenset[int] = frozenset()
        self._provider = ""
        self._kv_bytes = 0

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def provider(self) -> str:
        """The execution provider the loaded model runs on ("" until loaded)."""
        return self._provider

    def _health(self) -> EngineHealth:
        if not self.loaded:
            return EngineHealth(True, phrase("not loaded"))
        return EngineHealth(True, phrase("loaded on {provider}", provider=self._provider))

    def memory_bytes(self) -> int:
        """The weights plus a full-context KV cache (fp32 keys and values per layer)."""
        if self._model is None:
            return 0
        weights = sum(p.stat().st_size for p in self.model_dir.glob("*.onnx*") if p.is_file())
        return int(weights + self._kv_bytes)

    def count_tokens(self, text: str) -> Future[int]:
        return self._worker.submit(lambda: len(self._require().encode(text)))

    # -- everything below runs on the worker thread --------------------------------------

    def _open(self) -> None:
        if not (self.model_dir / "genai_config.json").is_file():
            raise EngineLoadError(
                phrase(
                    "{model_dir} holds no ONNX GenAI model (genai_config.json is "
                    "missing); reinstall the model or choose another one.",
                    model_dir=self.model_dir,
                )
            )
        try:
            og = _genai()
            config = og.Config(str(self.model_dir))
            if self._providers is not None:
                config.clear_providers()
                for name in self._providers:
                    if name != CPU:
                        config.append_provider(_GENAI_PROVIDER_NAMES.get(name, name))
            model = og.Model(config)
            tokenizer = og.Tokenizer(model)
        except (RuntimeError, OSError, ValueError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise EngineLoadError(
                phrase(
                    "ONNX Runtime GenAI could not load {model_dir_name} ({reason}); "
                    "reinstall the model or choose another one.",
                    model_dir_name=self.model_dir.name,
                    reason=reason,
                )
            ) from exc
        config_json = _read_config(self.model_dir)
        self._model, self._tokenizer = model, tokenizer
        self._stop_ids = _stop_ids(tokenizer, config_json)
        self._kv_bytes = _kv_cache_bytes(config_json, self.n_ctx)
        device = getattr(model, "device_type", "")  # older releases (DirectML 0.14) may lack it
        self._provider = genai_provider(str(device) or _configured_device(config_json))

    def _unload(self) -> None:
        model, self._model, self._tokenizer = self._model, None, None
        if model is not None:
            del model
            free_model_memory()

    def _require(self) -> Any:
        self._load()
        return self._tokenizer

    def _generate(
        self,
        messages: tuple[Message, ...],
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        constraint: Constraint = NO_CONSTRAINT,  # no grammar support: the verifier checks
    ) -> GenerationResult:
        og = _genai()
        tokenizer = self._require()
        started = time.perf_counter()
        tokens = tokenizer.encode(chatml_prompt(messages))
        budget = max(1, min(max_tokens, self._room(tokens, self.n_ctx)))
        params = og.GeneratorParams(self._model)
        params.set_search_options(**self._search_options(len(tokens) + budget, temperature))
        generator = og.Generator(self._model, params)
        stream = tokenizer.create_stream()
        pieces: list[str] = []
        n_out = 0
        first_at: float | None = None
        finish = "length"
        try:
            generator.append_tokens(tokens)
            while n_out < budget and not generator.is_done():
                if cancel.is_set():
                    finish = "cancelled"
                    break
                generator.generate_next_token()
                token = int(generator.get_next_tokens()[0])
                if first_at is None:
                    first_at = time.perf_counter()
                if token in self._stop_ids:
                    finish = "stop"
                    break
                n_out += 1
                piece = stream.decode(token)
                if piece:
                    pieces.append(piece)
                    if on_token is not None and on_token(piece) is False:
                        finish = "cancelled"
                        break
            if finish == "length" and n_out < budget:
                finish = "stop"  # the generator ended by itself
        except RuntimeError as exc:
            raise EngineError(
                phrase(
                    "{model_name} failed while generating ({join_str_exc_split}); "
                    "retry, or reload the model.",
                    model_name=self.model_name,
                    join_str_exc_split=" ".join(str(exc).split()),
                )
            ) from exc
        finally:
            del generator
        ended = time.perf_counter()
        first = first_at if first_at is not None else ended
        return GenerationResult(
            text="".join(pieces).split(CHATML_END, 1)[0],
            tokens_in=len(tokens),
            tokens_out=n_out,
            ttft_ms=(first - started) * 1000.0,
            decode_ms=(ended - first) * 1000.0,
            finish_reason=finish,
        )

    def _search_options(self, max_length: int, temperature: float) -> dict[str, Any]:
        options: dict[str, Any] = {"max_length": max_length, "batch_size": 1}
        if temperature <= 0:
            return {**options, "do_sample": False}
        return {
            **options,
            "do_sample": True,
            "temperature": temperature,
            "top_k": 40,
            "top_p": 0.95,
            "repetition_penalty": 1.1,
            "random_seed": self._seed,
        }


def _genai() -> Any:
    """Imported on first load: onnxruntime-genai is heavy and only this engine needs it."""
    import onnxruntime_genai  # type: ignore[import-untyped]

    return onnxruntime_genai


def _read_config(model_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((model_dir / "genai_config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    model = data.get("model") if isinstance(data, dict) else None
    return model if isinstance(model, dict) else {}


def _stop_ids(tokenizer: Any, config: dict[str, Any]) -> frozenset[int]:
    """End-of-sequence ids from the tokenizer and genai_config.json, plus ChatML's end marker."""
    raw = config.get("eos_token_id", [])
    stops = {int(t) for t in (raw if isinstance(raw, list) else [raw])}
    stops.update(int(t) for t in getattr(tokenizer, "eos_token_ids", ()))
    with contextlib.suppress(RuntimeError, ValueError):
        end = [int(t) for t in tokenizer.encode(CHATML_END)]
        if len(end) == 1:  # a single special token in this vocabulary
            stops.add(end[0])
    return frozenset(stops)


def _configured_device(config: dict[str, Any]) -> str:
    """The device named by genai_config.json's provider options ("" means CPU)."""
    options = config.get("decoder", {}).get("session_options", {}).get("provider_options", [])
    names = [name for entry in options if isinstance(entry, dict) for name in entry]
    return str(names[0]) if names else ""


def _kv_cache_bytes(config: dict[str, Any], n_ctx: int) -> int:
    """Keys and values (fp32) for `n_ctx` positions, from genai_config.json (0 if unknown)."""
    try:
        decoder = config["decoder"]
        layers, kv_heads = int(decoder["num_hidden_layers"]), int(decoder["num_key_value_heads"])
        head = int(decoder["head_size"])
    except (KeyError, TypeError, ValueError):
        return 0
    return 2 * 4 * layers * kv_heads * head * n_ctx
