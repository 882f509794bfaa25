"""Builds the core objects from the environment; the CLI and the tray app both start here."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aurora_desktop.core.assistant import Assistant
from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.models.catalog import CatalogLoader
from aurora_desktop.core.models.local_key import LocalSigner
from aurora_desktop.core.models.store import ModelStore
from aurora_desktop.core.models.trust import TrustStore
from aurora_desktop.core.paths import AuroraHome, prepare_home, resolve_home
from aurora_desktop.core.resources import resource_path
from aurora_desktop.core.telemetry import MetricsLog

CATALOG_ENV = "AURORA_CATALOG"


@dataclass(slots=True)
class Core:
    home: AuroraHome
    trust: TrustStore
    ledger: AuditLedger
    store: ModelStore
    metrics: MetricsLog
    assistant: Assistant
    catalog: CatalogLoader

    def local_signer(self) -> LocalSigner:
        return LocalSigner(self.trust, account=self.home.instance_key)

    def close(self, timeout: float = 10.0) -> bool:
        return self.assistant.close(timeout)


def build_core(env: Mapping[str, str] | None = None) -> Core:
    env = os.environ if env is None else env
    home = prepare_home(resolve_home(env))
    trust = TrustStore(publisher_dir=resource_path("keys"), user_dir=home.root / "trust")
    ledger = AuditLedger(home.root / "ledger.jsonl")
    store = ModelStore(home, trust, ledger)
    metrics = MetricsLog(home.metrics_file)
    raw_catalog = env.get(CATALOG_ENV, "").strip()
    catalog_path = Path(raw_catalog) if raw_catalog else resource_path("catalog.json")
    catalog = CatalogLoader(catalog_path, trust)
    assistant = Assistant(store=store, catalog=catalog, metrics=metrics)
    return Core(home, trust, ledger, store, metrics, assistant, catalog)
