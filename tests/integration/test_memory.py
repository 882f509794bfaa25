"""Loading and unloading SmolLM2 gives its memory back (measured in a fresh process), with
the app's engine (a model process) and with llama.cpp in the process itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.core.paths import AuroraHome

pytestmark = [pytest.mark.integration, pytest.mark.model]
PROBE = Path(__file__).resolve().parents[2] / "bench" / "rss_probe.py"


def probe(gguf: Path, engine: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(PROBE), str(gguf), "--engine", engine],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def test_the_model_process_holds_the_model_and_takes_it_away(model_home: AuroraHome) -> None:
    rss = probe(next(model_home.models.rglob("*.gguf")), "process")
    assert rss["model_process_mb"] > 100, rss  # the model really was resident, over there
    assert rss["loaded_mb"] - rss["before_mb"] < 5, rss  # and not in the app
    assert rss["after_unload_mb"] - rss["before_mb"] < 0.02 * rss["model_process_mb"], rss


def test_in_process_unload_returns_most_of_the_models_memory(model_home: AuroraHome) -> None:
    rss = probe(next(model_home.models.rglob("*.gguf")), "inproc")
    held = rss["loaded_mb"] - rss["before_mb"]
    kept = rss["after_unload_mb"] - rss["before_mb"]
    assert held > 100, rss  # the model really was resident
    assert kept < 0.15 * held, rss  # at least 85 % of it came back after the unload
