"""The local hop of the request path: models installed, verified, loaded by the scheduler.

Routing, policy and the attempt loop live in `pipeline.py`, which calls `LocalHop.run`. The
scheduler decides loads and unloads; every load re-verifies the model (engine `resolve`).
Catalog models run in a model process of their own (`LlamaProcessEngine`), which ends at
unload, so the memory a model took all comes back. Models the user imported run in a
separate llama.cpp server process, so a crafted file can crash that process but never the app.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from aurora_desktop.core.contract import Request
from aurora_desktop.core.engines.base import NO_CONSTRAINT, Constraint, Engine, TokenCallback
from aurora_desktop.core.engines.llama_process import LlamaProcessEngine
from aurora_desktop.core.errors import CancelledError, EngineError
from aurora_desktop.core.hops import HopResult
from aurora_desktop.core.models.catalog import Catalog
from aurora_desktop.core.models.fetch import FetchProgress, ProgressCallback
from aurora_desktop.core.models.progress import no_progress
from aurora_desktop.core.models.store import ModelStore
from aurora_desktop.core.scheduler.scheduler import ModelScheduler
from aurora_desktop.core.text import phrase
from aurora_desktop.core.threads import ThreadPolicy

DEFAULT_KEEP_ALIVE_S = 600.0  # unload a local model after 10 minutes without a request
GENERATION_TIMEOUT_S = 600.0  # a local answer that takes longer is treated as a hung engine


class LoadProgress:
    """Where the check before a load reports: silent, unless someone is watching the load."""

    def __init__(self) -> None:
        self._sink: ProgressCallback = no_progress

    def __call__(self, update: FetchProgress) -> None:
        self._sink(update)

    @contextlib.contextmanager
    def watching(self, progress: ProgressCallback) -> Iterator[None]:
        previous, self._sink = self._sink, progress
        try:
            yield
        finally:
            self._sink = previous


def engine_factory(
    store: ModelStore, progress: ProgressCallback = no_progress, threads: ThreadPolicy | None = None
) -> Callable[[str], Engine]:
    """Builds the engine for a model: a model process for catalog models, a server for imports.

    Building reads only the model's record; the engine re-hashes the files (`resolve`)
    right before every time it opens them. Model processes follow `threads` (the user's
    setting; each process picks its counts by the load); a server process gets the count
    chosen when it starts.
    """
    threads = threads or ThreadPolicy()

    def build(name: str) -> Engine:
        installed = store.checked(name)

        def resolve() -> Path:
            return store.ready_for_load(name, progress).main_path

        if installed.origin == "import":
            from aurora_desktop.core.engines.llama_server import LlamaServerEngine  # httpx

            return LlamaServerEngine(
                installed.main_path,
                model_name=installed.entry.display_name,
                resolve=resolve,
                n_threads=threads.choose().decode,
            )
        return LlamaProcessEngine(
            installed.main_path,
            model_name=installed.entry.display_name,
            resolve=resolve,
            threads=threads,
        )

    return build


def ram_needed(store: ModelStore) -> Callable[[str], int]:
    def needed(name: str) -> int:
        active = store.active(name)
        return int(active.entry.ram_gb * 1e9) if active is not None else 0

    return needed


class LocalHop:
    """Makes sure local models are installed, and answers through the scheduler's engines."""

    def __init__(
        self,
        *,
        store: ModelStore,
        catalog: Callable[[], Catalog],
        scheduler: ModelScheduler,
        load_progress: LoadProgress | None = None,
    ) -> None:
        self._store = store
        self._load_progress = load_progress or LoadProgress()
        self._catalog = catalog
        self.scheduler = scheduler
        self._install_lock = threading.Lock()
        self._installed: set[str] = set()
        self.generation_timeout_s = GENERATION_TIMEOUT_S
        self.default_keep_alive_s = DEFAULT_KEEP_ALIVE_S

    @property
    def model_name(self) -> str:
        return self._catalog().default_llm

    def ensure_installed(
        self,
        name: str,
        progress: ProgressCallback = no_progress,
        cancel: threading.Event | None = None,
    ) -> None:
        """Install a catalog model on first use (the user-facing first-run fetch)."""
        if name in self._installed:  # checked once per process; loads re-verify anyway
            return
        with self._install_lock:
            if self._store.active(name) is None:
                self._store.install(self._catalog().get(name), progress=progress, cancel=cancel)
            self._installed.add(name)

    def prepare(
        self, progress: ProgressCallback = no_progress, cancel: threading.Event | None = None
    ) -> Engine:
        """Install (first run only), verify and load the default model; safe to call again."""
        name = self.model_name
        self.ensure_installed(name, progress, cancel)
        progress(FetchProgress("load", name, 0, None))
        with self._load_progress.watching(progress), self.scheduler.acquire(name) as lease:
            engine = lease.engine  # loading re-hashes the files first, reported to `progress`
        progress(FetchProgress("ready", engine.model_name, 1, 1))
        return engine

    def run(
        self,
        request: Request,
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        progress: ProgressCallback = no_progress,
        constraint: Constraint = NO_CONSTRAINT,
    ) -> HopResult:
        """Answer `request` on a local model, streaming through `on_token`; blocks until done."""
        cancel = cancel or threading.Event()
        started = time.perf_counter()
        name = self.name_for(request)
        self.ensure_installed(name, progress, cancel)
        if cancel.is_set():
            raise CancelledError(phrase("The request was stopped before it started."))
        keep_alive = request.keep_alive_s
        if keep_alive is None:  # per request, like Ollama: no value means the default idle time
            keep_alive = self.default_keep_alive_s
        with self.scheduler.acquire(name, keep_alive_s=keep_alive) as lease:
            load_ms = (time.perf_counter() - started) * 1000.0
            engine = lease.engine
            future = engine.generate(
                request.messages,
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                on_token=on_token,
                cancel=cancel,
                constraint=constraint,
            )
            try:
                result = future.result(timeout=self.generation_timeout_s)
            except FutureTimeout:
                cancel.set()
                hung = EngineError(
                    phrase(
                        "{engine_model_name} did not finish within {generation_timeout_s} "
                        "s and was restarted; try again or choose a smaller answer "
                        "length.",
                        engine_model_name=engine.model_name,
                        generation_timeout_s=format(self.generation_timeout_s, "g"),
                    )
                )
                lease.fail(hung)
                raise hung from None
            except EngineError as exc:
                lease.fail(exc)
                raise
        return HopResult(
            request_id=request.request_id,
            text=result.text,
            target="local",
            engine=engine.engine_name,
            model=engine.model_name,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            ttft_ms=result.ttft_ms,
            latency_ms=(time.perf_counter() - started) * 1000.0,
            tok_s=result.decode_tok_s,
            load_ms=load_ms,
            finish_reason=result.finish_reason,
        )

    def name_for(self, request: Request) -> str:
        """The local model `request` runs on: the one it names, else the default."""
        return request.ref.name if request.ref.kind == "local" else self.model_name

    def installed_llms(self) -> list[str]:
        """Names of the installed local language models, the default first."""
        names = {v.entry.name for v in self._store.all_versions() if v.entry.kind == "llm"}
        default = self.model_name
        return sorted(names, key=lambda n: (n != default, n))

    def installed_model_path(self) -> Path | None:
        """The verified main file of the default model, if installed (for its tokenizer)."""
        name = self.model_name
        if self._store.active(name) is None:
            return None
        return self._store.ready_for_load(name).main_path

    def close(self, timeout: float = 10.0) -> bool:
        return self.scheduler.close(timeout)
