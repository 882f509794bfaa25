"""A model store with a test publisher's key trusted, for the store and tamper tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.models.store import ModelStore
from aurora_desktop.core.models.trust import TrustStore
from aurora_desktop.core.paths import AuroraHome, prepare_home
from tests.support.signing import Publisher, entry_of, make_publisher, signed_record


@dataclass
class StoreKit:
    home: AuroraHome
    store: ModelStore
    trust: TrustStore
    ledger: AuditLedger
    publisher: Publisher
    sources: Path

    def record(
        self,
        version: str = "1.0.0",
        *,
        name: str = "tiny",
        files: dict[str, bytes] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        files = files or {
            "weights.gguf": f"weights of {name} {version} ".encode() * 4000,
            "tokenizer.json": f'{{"vocab": "{name} {version}"}}'.encode(),
        }
        return signed_record(
            self.publisher,
            name=name,
            version=version,
            files=files,
            source_dir=self.sources,
            **extra,
        )

    def install(self, version: str = "1.0.0", **kwargs: Any) -> Any:
        return self.store.install(entry_of(self.record(version, **kwargs)))


def make_kit(tmp_path: Path) -> StoreKit:
    home = prepare_home(AuroraHome(root=tmp_path / "home", cache=tmp_path / "cache"))
    ledger = AuditLedger(home.root / "ledger.jsonl")
    trust = TrustStore(
        publisher_dir=tmp_path / "publisher-keys", user_dir=home.root / "trust", ledger=ledger
    )
    publisher = make_publisher(tmp_path / "publisher-keys")
    return StoreKit(
        home, ModelStore(home, trust, ledger), trust, ledger, publisher, tmp_path / "sources"
    )
