"""Test a cloud provider's connection with a short prompt (`aurora providers test`, and
Settings → Providers → Test connection)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.cloud import CloudEngine
from aurora_desktop.core.providers.registry import ProviderRegistry

TEST_PROMPT = "Say OK."
TEST_MAX_TOKENS = 5


@dataclass(frozen=True, slots=True)
class ConnectionResult:
    name: str
    model: str
    total_ms: float
    ttft_ms: float
    bytes_sent: int
    reply: str


def probe_provider(registry: ProviderRegistry, name: str) -> ConnectionResult:
    """Send the test prompt to `name` and time it; raises the engine's AuroraError on failure.
    Blocking: call it on a worker thread."""
    config = registry.get(name)
    engine = CloudEngine(config, registry.key_for(config))
    started = time.perf_counter()
    try:
        future = engine.generate(
            [Message("user", TEST_PROMPT)], max_tokens=TEST_MAX_TOKENS, temperature=0.0
        )
        result = future.result()
    finally:
        engine.close()
    total_ms = (time.perf_counter() - started) * 1000.0
    return ConnectionResult(
        name=name,
        model=engine.model_name,
        total_ms=total_ms,
        ttft_ms=result.ttft_ms,
        bytes_sent=result.bytes_sent,
        reply=" ".join(result.text.split()),
    )
