"""The local hop of the request path: install, verify and load the default model, then answer.

Routing, policy and the cloud hop live in `pipeline.py`, which calls `run_local` here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from aurora_desktop.core.contract import Request, Response
from aurora_desktop.core.engines.base import Engine, TokenCallback
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
from aurora_desktop.core.errors import CancelledError
from aurora_desktop.core.models.catalog import Catalog
from aurora_desktop.core.models.fetch import FetchProgress, ProgressCallback
from aurora_desktop.core.models.store import InstalledVersion, ModelStore

EngineFactory = Callable[[InstalledVersion], Engine]
LOCAL_WHY = "The request ran on this device."


def llama_engine_for(installed: InstalledVersion) -> Engine:
    return LlamaCppEngine(installed.main_path, model_name=installed.entry.display_name)


def _silent(_: FetchProgress) -> None:
    return None


class Assistant:
    """Owns the default local engine and answers requests through it."""

    def __init__(
        self,
        *,
        store: ModelStore,
        catalog: Callable[[], Catalog],
        engine_factory: EngineFactory = llama_engine_for,
    ) -> None:
        self._store = store
        self._catalog = catalog
        self._engine_factory = engine_factory
        self._engine: Engine | None = None
        self._load_ms = 0.0
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return self._catalog().default_llm

    @property
    def engine(self) -> Engine | None:
        return self._engine

    def prepare(
        self, progress: ProgressCallback = _silent, cancel: threading.Event | None = None
    ) -> Engine:
        """Install (first run only), verify and load the default model; safe to call again."""
        with self._lock:
            if self._engine is not None and self._engine.loaded:
                return self._engine
            name = self.model_name
            if self._store.active(name) is None:
                self._store.install(self._catalog().get(name), progress=progress, cancel=cancel)
            installed = self._store.ready_for_load(name, progress)
            if self._engine is None:
                self._engine = self._engine_factory(installed)
            progress(FetchProgress("load", installed.entry.display_name, 0, None))
            self._load_ms = self._engine.load().result()
            progress(FetchProgress("ready", installed.entry.display_name, 1, 1))
            return self._engine

    def run_local(
        self,
        request: Request,
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        progress: ProgressCallback = _silent,
    ) -> Response:
        """Answer `request`, streaming text through `on_token`; blocks until done."""
        cancel = cancel or threading.Event()
        started = time.perf_counter()
        engine = self.prepare(progress, cancel)
        if cancel.is_set():
            raise CancelledError("The request was stopped before it started.")
        result = engine.generate(
            request.messages,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
            on_token=on_token,
            cancel=cancel,
        ).result()
        response = Response(
            request_id=request.request_id,
            text=result.text,
            target="local",
            engine=engine.engine_name,
            model=engine.model_name,
            rule=None,
            why=LOCAL_WHY,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            ttft_ms=result.ttft_ms,
            latency_ms=(time.perf_counter() - started) * 1000.0,
            tok_s=result.decode_tok_s,
            load_ms=self._load_ms,
            finish_reason=result.finish_reason,
        )
        self._load_ms = 0.0
        return response

    def installed_model_path(self) -> Path | None:
        """The verified main file of the default model, if installed (for its tokenizer)."""
        name = self.model_name
        if self._store.active(name) is None:
            return None
        return self._store.ready_for_load(name).main_path

    def close(self, timeout: float = 10.0) -> bool:
        with self._lock:
            engine, self._engine = self._engine, None
        return engine.close(timeout) if engine is not None else True
