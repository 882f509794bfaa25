"""Builds the core objects from the environment; the CLI and the tray app both start here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aurora_desktop.core.assistant import Assistant
from aurora_desktop.core.models.catalog import load_catalog
from aurora_desktop.core.models.store import ModelStore
from aurora_desktop.core.paths import AuroraHome, prepare_home, resolve_home
from aurora_desktop.core.telemetry import MetricsLog


@dataclass(slots=True)
class Core:
    home: AuroraHome
    store: ModelStore
    metrics: MetricsLog
    assistant: Assistant

    def close(self, timeout: float = 10.0) -> bool:
        return self.assistant.close(timeout)


def build_core(env: Mapping[str, str] | None = None) -> Core:
    home = prepare_home(resolve_home(env))
    store = ModelStore(home)
    metrics = MetricsLog(home.metrics_file)
    assistant = Assistant(store=store, catalog=load_catalog(), metrics=metrics)
    return Core(home=home, store=store, metrics=metrics, assistant=assistant)
