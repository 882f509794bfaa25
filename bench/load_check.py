"""B12: what hashing a model before every load costs, cold and warm, against loading unchecked.

Load-to-first-token = Aurora's engine for catalog models (a model process) loading the
model (for "checked", with the store's full check first, as every load does; "unchecked"
opens the file as it is) and generating one token. "Cold" evicts the model file from the
page cache first (posix_fadvise DONTNEED); "warm" reads it once before. The same numbers for
a 4 GB file (written here, then deleted) give the cost for a model of that size: hashing
cold against reading cold (the load reads the bytes anyway), and hashing warm.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from common import median

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.llama_process import LlamaProcessEngine
from aurora_desktop.core.models.fetch import sha256_file

MODELS = ("smollm2-135m-instruct", "gemma-3-270m")
REPS = 5
BIG_BYTES = 4 << 30


def evict(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd) if os.access(path, os.W_OK) else None
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def read_through(path: Path) -> int:
    """Read the whole file (into the page cache); returns the bytes read."""
    buffer = bytearray(4 << 20)
    total = 0
    with path.open("rb", buffering=0) as handle:
        while count := handle.readinto(buffer):
            total += count
    return total


def load_to_first_token(core: Core, name: str, path: Path, *, checked: bool) -> float:
    """Aurora's own engine: load (with the check, or opening the file as it is) and one
    generated token, the way a first request after an unload meets them."""
    engine = LlamaProcessEngine(
        path,
        model_name=name,
        n_ctx=512,
        resolve=(lambda: core.store.ready_for_load(name).main_path) if checked else None,
    )
    try:
        started = time.perf_counter()
        engine.load().result(timeout=300)
        engine.generate([Message("user", "Hi")], max_tokens=1, temperature=0.0).result(300)
        return time.perf_counter() - started
    finally:
        engine.close()


def b12_verify_cost(core: Core) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    worst = 0.0
    for name in MODELS:
        if core.store.active(name) is None:
            core.store.install(core.catalog().get(name))
        path = core.store.ready_for_load(name).main_path
        times: dict[str, list[float]] = {}
        load_to_first_token(core, name, path, checked=True)  # imports and first-use costs
        plan = [(c, k) for c in ("cold", "warm") for k in (False, True)]
        for rep in range(REPS):
            for cache, checked in plan[rep % 4 :] + plan[: rep % 4]:  # vary who goes first
                evict(path) if cache == "cold" else read_through(path)
                key = f"{cache}_{'checked' if checked else 'unchecked'}_s"
                times.setdefault(key, []).append(
                    load_to_first_token(core, name, path, checked=checked)
                )
        row = {k: round(median(v), 4) for k, v in times.items()}
        started = time.perf_counter()
        core.store.ready_for_load(name)
        row["check_alone_warm_s"] = round(time.perf_counter() - started, 4)
        row["bytes"] = path.stat().st_size
        row["cold_ratio"] = round(row["cold_checked_s"] / row["cold_unchecked_s"], 3)
        row["warm_ratio"] = round(row["warm_checked_s"] / row["warm_unchecked_s"], 3)
        worst = max(worst, row["cold_ratio"])
        rows[name] = row
    rows["4gb_file"] = big_file_cost(core.home.cache)
    return {"verdicts": {"B12": worst}, "B12": rows}


def big_file_cost(folder: Path) -> dict[str, float]:
    """Hash a 4 GB file cold and warm, against reading it cold without hashing."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        path = Path(tmp) / "big.bin"
        block = os.urandom(64 << 20)
        with path.open("wb") as handle:
            for _ in range(BIG_BYTES // len(block)):
                handle.write(block)
        evict(path)
        started = time.perf_counter()
        read_through(path)
        read_cold = time.perf_counter() - started
        evict(path)
        started = time.perf_counter()
        sha256_file(path)
        hash_cold = time.perf_counter() - started
        started = time.perf_counter()
        sha256_file(path)
        hash_warm = time.perf_counter() - started
    return {
        "read_cold_s": round(read_cold, 2),
        "hash_cold_s": round(hash_cold, 2),
        "hash_warm_s": round(hash_warm, 2),
        "hash_gb_per_s_warm": round(BIG_BYTES / hash_warm / 1e9, 2),
    }
