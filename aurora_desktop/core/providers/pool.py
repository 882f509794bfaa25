"""The cloud engines in use, one per provider and model, created on first need."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from aurora_desktop.core.errors import KeyringError, ProviderUnavailableError
from aurora_desktop.core.providers.registry import ProviderConfig, ProviderRegistry
from aurora_desktop.core.text import phrase

if TYPE_CHECKING:  # the HTTP client is imported with the first cloud engine, not at start-up
    from aurora_desktop.core.engines.cloud import CloudEngine

EngineFactory = Callable[[ProviderConfig, str | None], "CloudEngine"]


def _default_factory(config: ProviderConfig, api_key: str | None) -> CloudEngine:
    from aurora_desktop.core.engines.cloud import CloudEngine

    return CloudEngine(config, api_key)


class CloudPool:
    def __init__(self, registry: ProviderRegistry, factory: EngineFactory = _default_factory):
        self.registry = registry
        self._factory = factory
        self._engines: dict[tuple[str, str], CloudEngine] = {}
        self._lock = threading.Lock()

    def choose(self, wanted: str | None) -> ProviderConfig:
        """`wanted` is "PROVIDER/MODEL", "PROVIDER", a model name, or None (the first provider)."""
        configs = self.registry.list()
        if self.registry.problem is not None:
            raise ProviderUnavailableError(str(self.registry.problem))
        if not configs:
            raise ProviderUnavailableError(
                phrase(
                    "No cloud provider is configured; add one with 'aurora providers "
                    "add', or keep the request on this device."
                )
            )
        if not wanted:
            return configs[0]
        name, _, model = wanted.partition("/")
        by_name = {c.name: c for c in configs}
        if name in by_name:
            base = by_name[name]
            return base if not model else replace(base, model=model)
        for config in configs:
            if config.model == wanted:
                return config
        known = ", ".join(by_name)
        raise ProviderUnavailableError(
            phrase(
                "No cloud provider matches {wanted}; configured providers: {known}.",
                wanted=repr(wanted),
                known=known,
            )
        )

    def engine_for(self, wanted: str | None) -> tuple[CloudEngine, ProviderConfig]:
        config = self.choose(wanted)
        key = (config.name, config.model)
        with self._lock:
            engine = self._engines.get(key)
            if engine is None:
                try:
                    api_key = self.registry.key_for(config)
                except KeyringError as exc:
                    raise ProviderUnavailableError(
                        phrase(
                            "{config_name} cannot be used because the OS keyring that holds "
                            "its API key cannot be read; unlock or install a keyring, or keep "
                            "the request on this device.",
                            config_name=config.name,
                        )
                    ) from exc
                engine = self._factory(config, api_key)
                self._engines[key] = engine
        return engine, config

    def close(self, timeout: float = 10.0) -> bool:
        with self._lock:
            engines, self._engines = list(self._engines.values()), {}
        return all([engine.close(timeout) for engine in engines])
