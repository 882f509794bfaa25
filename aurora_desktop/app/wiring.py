"""Builds the core objects from the environment; the CLI and the tray app both start here."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aurora_desktop.core import notices
from aurora_desktop.core.api_keys import ApiKeyStore
from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.cloud_hop import CloudHop
from aurora_desktop.core.cognition.conductor import Conductor
from aurora_desktop.core.cognition.intent import Embed, IntentClassifier
from aurora_desktop.core.cognition.labelsets import LabelSetsFile
from aurora_desktop.core.contract import Request, Response
from aurora_desktop.core.decisions import DecisionLedger
from aurora_desktop.core.embedding.service import MULTILINGUAL_EMBEDDING_MODEL, EmbeddingService
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.errors import AuroraError, ModelError
from aurora_desktop.core.hardware import available_memory_bytes
from aurora_desktop.core.local_hop import LoadProgress, LocalHop, engine_factory, ram_needed
from aurora_desktop.core.models.catalog import CatalogLoader
from aurora_desktop.core.models.store import ModelStore
from aurora_desktop.core.models.trust import TrustStore
from aurora_desktop.core.paths import AuroraHome, prepare_home, resolve_home
from aurora_desktop.core.pipeline import RequestPipeline
from aurora_desktop.core.policy.banned_file import BannedWordsFile
from aurora_desktop.core.policy.consent import AskCallback, ConsentBroker, ConsentStore, deny_all
from aurora_desktop.core.policy.pii import PiiMasker
from aurora_desktop.core.providers.pool import CloudPool
from aurora_desktop.core.providers.registry import ProviderRegistry
from aurora_desktop.core.rag.grounding import Grounding
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

if TYPE_CHECKING:  # numpy and keyring load when first used, not at start-up
    import numpy as np
    import numpy.typing as npt

    from aurora_desktop.core.models.local_key import LocalSigner

CATALOG_ENV = "AURORA_CATALOG"


@dataclass(slots=True)
class Core:
    """Every service of the core, built once by `build_core` and each reachable by its name.

    Front ends (the CLI, the tray app) use these fields and the services' own methods; no
    one reaches through one service to another. `close` is the one place things stop."""

    home: AuroraHome
    trust: TrustStore
    audit: AuditLedger  # ledger.jsonl: model, trust and consent changes
    store: ModelStore
    catalog: CatalogLoader
    metrics: Telemetry
    events: SchedulerEvents
    settings: SettingsFile
    threads: ThreadPolicy  # local models' CPU threads (Settings shows its choice)
    scheduler: ModelScheduler
    local: LocalHop  # installs and runs local models through the scheduler
    policy: PolicyFile  # the routing rules
    consent: ConsentBroker  # asks, unless a stored grant answers
    consents: ConsentStore  # the grants the user stored
    providers: ProviderRegistry
    decisions: DecisionLedger  # decisions.db: where each request ran, and why
    local_only: threading.Event  # the tray's "Local only (no cloud)" switch
    masker: PiiMasker
    banned: BannedWordsFile
    pipeline: RequestPipeline
    embedder: EmbeddingService
    multilingual: EmbeddingService  # USE-m3: the classifier's encoder for non-Latin text
    label_sets: LabelSetsFile
    classifier: IntentClassifier
    conductor: Conductor
    grounding: Grounding  # RAG: the document index and grounded prompts
    api_keys: ApiKeyStore  # the local API's per-app keys

    def local_signer(self) -> LocalSigner:
        from aurora_desktop.core.models.local_key import LocalSigner  # keyring: slow to import

        return LocalSigner(self.trust, account=self.home.instance_key)

    def close(self, timeout: float = 10.0) -> bool:
        """Stops everything, in this order: the document index, the encoders, then the
        pipeline (the token counter, cloud clients, and the scheduler's local models)."""
        self.grounding.close()
        self.embedder.close()
        self.multilingual.close()
        return self.pipeline.close(timeout)


def build_core(env: Mapping[str, str] | None = None, *, ask: AskCallback = deny_all) -> Core:
    """Every core service, wired; `ask` is who the consent broker asks (the CLI's terminal
    prompt; the tray app's dialogs, see AuroraApp), "no" when nobody can be asked."""
    env = os.environ if env is None else env
    home = prepare_home(resolve_home(env))
    audit = AuditLedger(home.root / "ledger.jsonl")
    trust = TrustStore(
        publisher_dir=resource_path("keys"),
        user_dir=home.root / "trust",
        account=home.instance_key,
        ledger=audit,
    )
    store = ModelStore(home, trust, audit)
    damaged = _damage_reporter(audit)
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
    local = LocalHop(store=store, catalog=catalog, scheduler=scheduler, load_progress=load_progress)
    masker = PiiMasker(settings.current().pii_kinds)
    settings.changed.append(lambda new, names: _apply_privacy(masker, new, names))
    banned = BannedWordsFile(home.root / "banned_words.json")
    policy = PolicyFile(home.router_file)
    consents = ConsentStore(home.root / "consents.json")
    consent = ConsentBroker(consents, ask)
    providers = ProviderRegistry(home.root / "providers.json")
    decisions = DecisionLedger(home.root / "decisions.db", report=damaged)
    local_only = threading.Event()
    pipeline = RequestPipeline(
        local=local,
        cloud=CloudHop(masker=masker, banned=banned, consent=consent, clouds=CloudPool(providers)),
        policy=policy,
        tokens=TokenCounter(local.installed_model_path),
        banned=banned,
        decisions=decisions,
        metrics=metrics,
        local_only=local_only,
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
        local_models=local.installed_llms,
        metrics=metrics,
    )
    grounding = Grounding(home.root, multilingual, consent, damaged)
    return Core(
        home=home, trust=trust, audit=audit, store=store, catalog=catalog, metrics=metrics,
        events=events, settings=settings, threads=threads, scheduler=scheduler, local=local,
        policy=policy, consent=consent, consents=consents, providers=providers, decisions=decisions,
        local_only=local_only, masker=masker, banned=banned, pipeline=pipeline,
        embedder=embedder, multilingual=multilingual, label_sets=label_sets,
        classifier=classifier, conductor=conductor, grounding=grounding,
        api_keys=ApiKeyStore.in_home(home, audit),
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
