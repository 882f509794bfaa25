"""Kill `aurora models fetch/switch/remove` at random instants, hundreds of times.

After every kill the store must parse, and the active version must be one of the two
versions and verify in full (signature, listing, sha256) — never a half state.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.models.store import ModelStore
from aurora_desktop.core.models.trust import TrustStore
from aurora_desktop.core.paths import AuroraHome, prepare_home
from tests.support.signing import make_publisher, signed_record, write_catalog

RUNS = int(os.environ.get("AURORA_KILL_RUNS", "200"))
NAME = "tiny"
VERSIONS = ("1.0.0", "2.0.0")
REPO = Path(__file__).resolve().parents[2]


def cli(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "aurora_desktop", "models", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_store_survives_kills_at_random_points(tmp_path: Path) -> None:
    home = prepare_home(AuroraHome(root=tmp_path / "home", cache=tmp_path / "cache"))
    publisher = make_publisher(tmp_path / "keys")
    records = [
        signed_record(
            publisher,
            name=NAME,
            version=v,
            source_dir=tmp_path / "src",
            files={
                "weights.gguf": os.urandom(3 << 20),
                "tokenizer.json": f'{{"v": "{v}"}}'.encode(),
            },
        )
        for v in VERSIONS
    ]
    catalog = write_catalog(tmp_path / "catalog.json", records, default=NAME)
    env = {
        **os.environ,
        "AURORA_HOME": str(home.root),
        "AURORA_CACHE": str(home.cache),
        "AURORA_CATALOG": str(catalog),
        "PYTHONPATH": str(REPO),
    }
    trust = TrustStore(publisher_dir=tmp_path / "no-publisher-keys", user_dir=home.root / "trust")
    trust.add(publisher.key_path)
    store = ModelStore(home, trust, AuditLedger(home.root / "ledger.jsonl"))

    def run_to_end(*args: str) -> float:
        started = time.monotonic()
        proc = cli(env, *args)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        return time.monotonic() - started

    run_to_end("fetch", NAME, "--version", "1.0.0")
    # each command's own typical length, so the kills land inside it: a fetch takes longer
    # than a switch, and aiming a switch's kill by the fetch's length lets most switches finish
    fetch_s = run_to_end("fetch", NAME, "--version", "2.0.0")
    switch_s = statistics.median(
        run_to_end("switch", NAME, "--version", version) for version in ("1.0.0", "2.0.0", "1.0.0")
    )
    typical = {"fetch": fetch_s, "switch": switch_s, "remove": switch_s}
    rng = random.Random(20261124)
    outcomes: Counter[str] = Counter()
    for run in range(RUNS):
        installed = {v.entry.version for v in store.versions(NAME)}
        active = store.active(NAME)
        assert active is not None
        if installed != set(VERSIONS):
            args = ("fetch", NAME, "--version", next(v for v in VERSIONS if v not in installed))
        elif rng.random() < 0.25:
            args = (
                "remove",
                NAME,
                "--version",
                next(v for v in VERSIONS if v != active.entry.version),
            )
        else:
            args = (
                "switch",
                NAME,
                "--version",
                next(v for v in VERSIONS if v != active.entry.version),
            )
        # Most kills aim at the late part of the run, where files and the manifest change.
        length = typical[args[0]]
        delay = rng.uniform(0, length) if run % 4 == 0 else rng.uniform(0.5, 1.1) * length
        proc = cli(env, *args)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            proc.kill()
        proc.wait(30)
        assert proc.stderr is not None
        proc.stderr.close()
        staging = home.models / ".staging"
        half = any(p.suffix in (".part", ".partial") or p.is_dir() for p in staging.glob("*"))
        outcomes[
            f"{args[0]}:{'completed' if finished else 'killed'}"
            f"{':staging-left' if half and not finished else ''}"
        ] += 1

        manifest = store.read_manifest()  # always parses
        now_active = store.active(NAME)
        assert now_active is not None, f"run {run}: no active version after {args}"
        assert now_active.entry.version in VERSIONS
        for version in {v.entry.version for v in store.versions(NAME)}:
            store.verify(NAME, version)  # every recorded version is whole and signed
        assert manifest["models"][NAME]["active"] == now_active.entry.version

    out = Path(os.environ.get("AURORA_TEST_OUTPUT", REPO / "test-output"))
    out.mkdir(parents=True, exist_ok=True)
    summary = {
        "runs": RUNS,
        "typical_run_s": {kind: round(t, 3) for kind, t in typical.items()},
        "outcomes": dict(outcomes),
    }
    (out / "kill-harness.json").write_text(json.dumps(summary, indent=2, sort_keys=True))
    print(json.dumps(summary, sort_keys=True))
    assert sum(outcomes.values()) == RUNS
    assert sum(n for k, n in outcomes.items() if ":killed" in k) >= RUNS // 2
