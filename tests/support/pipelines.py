"""A request pipeline over the fake engines, for decision tests of the pipeline and above."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aurora_desktop.core.cloud_hop import CloudHop
from aurora_desktop.core.decisions import DecisionLedger
from aurora_desktop.core.pipeline import RequestPipeline
from aurora_desktop.core.policy.banned import BannedWord, BannedWords
from aurora_desktop.core.policy.consent import (
    ConsentAnswer,
    ConsentBroker,
    ConsentReply,
    ConsentRequest,
    ConsentStore,
)
from aurora_desktop.core.policy.pii import PiiMasker
from aurora_desktop.core.providers.pool import CloudPool
from aurora_desktop.core.providers.registry import ProviderConfig, ProviderRegistry
from aurora_desktop.core.routing.policy import DEFAULT_POLICY, parse_policy
from aurora_desktop.core.routing.tokens import TokenCounter
from aurora_desktop.core.telemetry import Telemetry
from tests.support.fake_engines import FakeCloud, FakeLocal


class FixedPolicy:
    def __init__(self, data: dict[str, Any]) -> None:
        self._policy = parse_policy(data)
        self.last_error = None

    def current(self):
        return self._policy


def build(
    tmp_path: Path,
    *,
    policy: dict[str, Any] = DEFAULT_POLICY,
    local_fails: bool = False,
    cloud_fails: bool = False,
    consent: ConsentAnswer = ConsentAnswer.ALLOW_ONCE,
    masker: PiiMasker | None = None,
    banned: list[BannedWord] | None = None,
    provider: bool = True,
    local: FakeLocal | None = None,
    cloud: FakeCloud | None = None,
    ask: Callable[[ConsentRequest], ConsentReply] | None = None,
) -> tuple[RequestPipeline, FakeLocal, FakeCloud]:
    local = local or FakeLocal(fail=local_fails)
    cloud = cloud or FakeCloud(fail=cloud_fails)
    registry = ProviderRegistry(tmp_path / "providers.json")
    if provider and not registry.list():
        registry.add(
            ProviderConfig(name="acme", base_url="http://127.0.0.1:9/v1", model="big"), None
        )
    words = BannedWords(banned or [])
    broker = ConsentBroker(
        ConsentStore(tmp_path / "consents.json"),
        ask or (lambda _request: ConsentReply(consent)),
    )
    pipeline = RequestPipeline(
        local=local,  # type: ignore[arg-type]
        cloud=CloudHop(
            masker=masker or PiiMasker(),
            banned=lambda: words,
            consent=broker,
            clouds=CloudPool(registry, factory=lambda config, key: cloud),  # type: ignore[arg-type,return-value]
        ),
        policy=FixedPolicy(policy),  # type: ignore[arg-type]
        tokens=TokenCounter(lambda: None),
        banned=lambda: words,
        decisions=DecisionLedger(tmp_path / "decisions.db"),
        metrics=Telemetry(tmp_path / "metrics.db"),
        local_only=threading.Event(),
    )
    return pipeline, local, cloud
