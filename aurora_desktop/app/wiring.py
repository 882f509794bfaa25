"""Builds the core objects from the environment; the CLI and the tray app both start here."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aurora_desktop.core import notices
from aurora_desktop.core.assistant import Assistant, LoadProgress, engine_factory, ram_needed
from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.cognition.conductor import Conductor, Retrieval
from aurora_desktop.core.cognition.intent import Embed, IntentClassifier
from aurora_desktop.core.cognition.labelsets import LabelSetsFile
from aurora_desktop.core.contract import Request, Response
from aurora_desktop.core.decisions import DecisionLedger
from aurora_desktop.core.embedding.service import MULTILINGUAL_EMBEDDING_MODEL, EmbeddingService
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.errors import AuroraError, ConfigError, ModelError
from aurora_desktop.core.hardware import available_memory_bytes
from aurora_desktop.core.models.catalog import CatalogLoader
from aurora_desktop.core.models.fetch import ProgressCallback
from aurora_desktop.core.models.store import ModelStore
from aurora_desktop.core.models.trust import TrustStore
from aurora_desktop.core.paths import AuroraHome, prepare_home, resolve_home
from aurora_desktop.core.pipeline import RequestPipeline
from aurora_desktop.core.policy.banned_file import BannedWordsFile
from aurora_desktop.core.policy.consent import ConsentBroker, ConsentStore
from aurora_desktop.core.policy.pii import PiiMasker
from aurora_desktop.core.providers.pool import CloudPool
from aurora_desktop.core.providers.registry import ProviderRegistry
from aurora_desktop.core.resources import resource_path
from aurora_desktop.core.routing.policy_file import PolicyFile
from aurora_desktop.core.routing.tokens import TokenCounter
from aurora_desktop.core.scheduler.events import SchedulerEvent
from aurora_desktop.core.scheduler.fanout import SchedulerEvents
from aurora_desktop.core.scheduler.scheduler import ModelScheduler
from aurora_desktop.core.settings import Settings, SettingsFile
from aurora_desktop.core.sqlite_file import Report
from aurora_desktop.core.telemetry import Telemetry
from aurora_desktop.core.threads import ThreadPolicy

if TYPE_CHECKING:  # numpy, keyring and RAG (faiss) load when first used, not at start-up
    import numpy as np
    import numpy.typing as npt

    from aurora_desktop.core.models.local_key import LocalSigner
    from aurora_desktop.core.rag.retrieval import Hit
    from aurora_desktop.core.rag.service import RagService

CATALOG_ENV = "AURORA_CATALOG"
RAG_SOURCE_CHARS = 4000  # sources in a RAG prompt: room for the answer in a 2k context
RAG_MIN_SCORE = 0.2  # cosine similarity below which a source is not shown to the model
RAG_SPREAD = 0.15  # nor when it is this far behind the best source


@dataclass(slots=True)
class Core:
    home: AuroraHome
    trust: TrustStore
    ledger: AuditLedger
    store: ModelStore
    metrics: Telemetry
    assistant: Assistant
    catalog: CatalogLoader
    pipeline: RequestPipeline
    events: SchedulerEvents
    embedder: EmbeddingService
    label_sets: LabelSetsFile
    conductor: Conductor
    settings: SettingsFile
    masker: PiiMasker
    banned: BannedWordsFile
    multilingual: EmbeddingService  # USE-m3: the classifier's encoder for non-Latin text
    threads: ThreadPolicy  # local models' CPU threads (Settings shows its choice)
    _rag: RagService | None = None

    def rag(self) -> RagService:
        """The local document index (opened on first use), on the multilingual encoder: with
        lexical search fused in it found every gold document of the English and Korean
        development questions first (MiniLM: 58 of 60), see bench/rag_bench.py --quality."""
        if self._rag is None:
            from aurora_desktop.core.rag.service import RagService

            self._rag = RagService(
                self.home.root,
                self.multilingual,
                self.pipeline.consent,
                report=_damage_reporter(self.ledger),
            )
        return self._rag

    def retrieve(self, question: str, k: int, progress: ProgressCallback) -> Retrieval:
        """The sources for a RAG answer and the grounded prompt that cites them."""
        from aurora_desktop.core.rag.prompt import citations, rag_messages

        self.multilingual.ensure(progress)
        hits = relevant(self.rag().query(question, k))
        if not hits:
            raise ConfigError("No documents are indexed yet; run 'aurora rag ingest FOLDER' first.")
        messages = rag_messages(question, hits, budget=RAG_SOURCE_CHARS)
        return Retrieval(messages, tuple(citations(hits)))

    def local_signer(self) -> LocalSigner:
        from aurora_desktop.core.models.local_key import LocalSigner  # keyring: slow to import

        return LocalSigner(self.trust, account=self.home.instance_key)

    def close(self, timeout: float = 10.0) -> bool:
        if self._rag is not None:
            self._rag.close()
        self.embedder.close()
        self.multilingual.close()
        return self.pipeline.close(timeout)


def build_core(env: Mapping[str, str] | None = None) -> Core:
    env = os.environ if env is None else env
    home = prepare_home(resolve_home(env))
    ledger = AuditLedger(home.root / "ledger.jsonl")
    trust = TrustStore(
        publisher_dir=resource_path("keys"),
        user_dir=home.root / "trust",
        account=home.instance_key,
        ledger=ledger,
    )
    store = ModelStore(home, trust, ledger)
    damaged = _damage_reporter(ledger)
    metrics = Telemetry(home.metrics_file, report=damaged)
    raw_catalog = env.get(CATALOG_ENV, "").strip()
    catalog_path = Path(raw_catalog) if raw_catalog else resource_path("catalog.json")
    catalog = CatalogLoader(catalog_path, trust)
    events = SchedulerEvents()
    load_progress = LoadProgress()
    settings = SettingsFile.in_home(home)  # an invalid file keeps the defaults (settings.problem)
    # the engines read the setting between tokens: a value kept current by the settings'
    # listener, not a file check (and its listeners) on an engine thread
    fixed_threads = [settings.current().threads]
    settings.changed.append(lambda new, _names: fixed_threads.__setitem__(0, new.threads))
    threads = ThreadPolicy(fixed=lambda: fixed_threads[0])
    scheduler = ModelScheduler(
        factory=engine_factory(store, load_progress, threads),
        ram_needed=ram_needed(store),
        free_memory=available_memory_bytes,
        on_event=events.publish,
        default_ttl_s=settings.current().idle_unload_min * 60.0,
        warm=settings.current().warm_models,
    )
    settings.changed.append(lambda new, names: _apply_models(scheduler, new, names))
    events.subscribe(lambda e: _remember_memory(scheduler, metrics, e))
    assistant = Assistant(
        store=store, catalog=catalog, scheduler=scheduler, load_progress=load_progress
    )
    masker = PiiMasker(settings.current().pii_kinds)
    settings.changed.append(lambda new, names: _apply_privacy(masker, new, names))
    banned = BannedWordsFile(home.root / "banned_words.json")
    pipeline = RequestPipeline(
        local=assistant,
        policy=PolicyFile(home.router_file),
        tokens=TokenCounter(assistant.installed_model_path),
        masker=masker,
        banned=banned,
        consent=ConsentBroker(ConsentStore(home.root / "consents.json")),
        clouds=CloudPool(ProviderRegistry(home.root / "providers.json")),
        ledger=DecisionLedger(home.root / "decisions.db", report=damaged),
        metrics=metrics,
    )
    idle_s = settings.current().idle_unload_min * 60.0  # encoders unload like chat models
    embedder = EmbeddingService(store, catalog, idle_s=idle_s)
    multilingual = EmbeddingService(
        store, catalog, model_name=MULTILINGUAL_EMBEDDING_MODEL, idle_s=idle_s
    )
    settings.changed.append(lambda new, names: _apply_idle((embedder, multilingual), new, names))
    label_sets = LabelSetsFile(home.root / "labels.json", resource_path("cognition/labels.json"))

    def generate(request: Request, constraint: Constraint) -> Response:
        return pipeline.run(request, constraint=constraint)

    classifier = IntentClassifier(
        label_sets=label_sets.current,
        embed=_installed_only(embedder, store),
        embed_multilingual=_installed_only(multilingual, store),
        generate=generate,
    )
    conductor = Conductor(
        pipeline=pipeline,
        classifier=classifier,
        local_models=assistant.installed_llms,
        metrics=metrics,
    )
    return Core(
        home, trust, ledger, store, metrics, assistant, catalog, pipeline, events,
        embedder, label_sets, conductor, settings, masker, banned, multilingual, threads,
    )  # fmt: skip


def _damage_reporter(ledger: AuditLedger) -> Report:
    """A damaged database moved aside: one sentence for the user and one ledger record."""

    def report(sentence: str, path: Path, moved: Path) -> None:
        with contextlib.suppress(AuroraError, OSError):
            ledger.append("storage.damaged", file=path.name, moved_to=moved.name)
        notices.tell(sentence)

    return report


def _apply_models(scheduler: ModelScheduler, settings: Settings, changed: frozenset[str]) -> None:
    """Idle time and warm set apply to the running scheduler; loading a model that joined
    the warm set is left to the caller (the app does it in the background)."""
    if changed & {"idle_unload_min", "warm_models"}:
        scheduler.configure(
            default_ttl_s=settings.idle_unload_min * 60.0, warm=settings.warm_models
        )


def _apply_idle(
    encoders: Sequence[EmbeddingService], settings: Settings, changed: frozenset[str]
) -> None:
    if "idle_unload_min" in changed:
        for encoder in encoders:
            encoder.idle_s = settings.idle_unload_min * 60.0


def _apply_privacy(masker: PiiMasker, settings: Settings, changed: frozenset[str]) -> None:
    if "pii_kinds" in changed:
        masker.configure(settings.pii_kinds)


def relevant(hits: list[Hit]) -> list[Hit]:
    """The hits close to the best one: a small model answers from noise it is shown."""
    if not hits:
        return hits
    best = hits[0].score
    return [h for h in hits if h is hits[0] or h.score >= max(RAG_MIN_SCORE, best - RAG_SPREAD)]


def _installed_only(embedder: EmbeddingService, store: ModelStore) -> Embed:
    """The encoder for the classifier, without a surprise download: when the embedding model
    is not installed (``aurora setup`` installs it), the grammar stage decides alone."""

    def embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if store.active(embedder.model_name) is None:
            raise ModelError(f"{embedder.model_name} is not installed")
        return embedder.embed(texts)

    return embed


def _remember_memory(scheduler: ModelScheduler, metrics: Telemetry, event: SchedulerEvent) -> None:
    if event.kind in ("loaded", "unloaded"):
        for state in scheduler.snapshot():
            if state.name == event.model:
                metrics.record_memory(state.name, state.state, state.memory_bytes)
