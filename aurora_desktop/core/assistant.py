"""The request path shared by the CLI and the tray app: prepare the model, then answer.

Today every request runs on the default local model; routing, policy and the scheduler
slot in here as the request path grows (see DESIGN.md, "One request, end to end").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from aurora_desktop.core.contract import Request, Response
from aurora_desktop.core.engines.base import Engine, TokenCallback
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
from aurora_desktop.core.errors import CancelledError
from aurora_desktop.core.models.catalog import Catalog
from aurora_desktop.core.models.fetch import FetchProgress, ProgressCallback
from aurora_desktop.core.models.store import InstalledVersion, ModelStore
from aurora_desktop.core.telemetry import MetricsLog

EngineFactory = Callable[[InstalledVersion], Engine]
LOCAL_WHY = "Local first: no routing rules are configured, so the request stays on this device."


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
        metrics: MetricsLog,
        engine_factory: EngineFactory = llama_engine_for,
    ) -> None:
        self._store = store
        self._catalog = catalog
        self._metrics = metrics
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

    def ask(
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
        self._metrics.record(response)
        return response

    def close(self, timeout: float = 10.0) -> bool:
        with self._lock:
            engine, self._engine = self._engine, None
        return engine.close(timeout) if engine is not None else True
