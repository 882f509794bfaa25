"""Races on the trust store and the seal: parallel Aurora processes lose no key and no switch."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.models.keys import make_key_file
from aurora_desktop.core.models.trust import TrustStore
from tests.support.signing import make_publisher
from tests.support.store_kit import StoreKit, make_kit

RACES = 50


def _trust(user_dir: Path) -> TrustStore:
    return TrustStore(
        publisher_dir=user_dir.parent / "publisher-keys",
        user_dir=user_dir,
        ledger=AuditLedger(user_dir.parent / "ledger.jsonl"),
    )


def _add(user_dir: str, key_path: str, start: Any) -> None:
    start.wait(timeout=30)
    _trust(Path(user_dir)).add(Path(key_path))


def _switch(kit_root: str, version: str, start: Any) -> None:
    from aurora_desktop.core.models.store import ModelStore
    from aurora_desktop.core.paths import AuroraHome

    root = Path(kit_root)
    home = AuroraHome(root=root / "home", cache=root / "cache")
    trust = TrustStore(
        publisher_dir=root / "publisher-keys",
        user_dir=home.root / "trust",
        ledger=AuditLedger(home.root / "ledger.jsonl"),
    )
    store = ModelStore(home, trust, AuditLedger(home.root / "ledger.jsonl"))
    start.wait(timeout=30)
    store.switch("tiny", version)


def _run_pair(targets: list[tuple[Any, tuple[Any, ...]]]) -> None:
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(len(targets))
    procs = [ctx.Process(target=t, args=(*a, start)) for t, a in targets]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0


def test_parallel_trust_adds_lose_no_key(tmp_path: Path) -> None:
    user_dir = tmp_path / "home" / "trust"
    lost = 0
    for race in range(RACES):
        paths = []
        for side in ("a", "b"):
            owner = make_publisher(tmp_path / f"keys-{race}-{side}", f"{race}{side}")
            key_file = make_key_file(owner.private.public_key(), f"{race}{side}")
            path = tmp_path / f"{race}{side}.pub.json"
            path.write_text(key_file.to_json())
            paths.append((path, key_file.key_id))
        _run_pair([(_add, (str(user_dir), str(p))) for p, _ in paths])
        trusted = _trust(user_dir).keys()
        lost += sum(key_id not in trusted for _, key_id in paths)
    assert lost == 0
    assert not _trust(user_dir).refused()


def test_parallel_switches_leave_the_seal_and_the_manifest_agreeing(tmp_path: Path) -> None:
    kit: StoreKit = make_kit(tmp_path)
    for version in ("1.0.0", "2.0.0"):
        kit.install(version)
    for _ in range(RACES):
        _run_pair([(_switch, (str(tmp_path), v)) for v in ("1.0.0", "2.0.0")])
        active = kit.store.ready_for_load("tiny")  # refused if seal and manifest disagree
        assert active.version in {"1.0.0", "2.0.0"}
