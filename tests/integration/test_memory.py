"""Loading and unloading SmolLM2 gives its memory back (measured in a fresh process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aurora_desktop.core.paths import AuroraHome

pytestmark = [pytest.mark.integration, pytest.mark.model]
PROBE = Path(__file__).resolve().parents[2] / "bench" / "rss_probe.py"


def test_unload_returns_the_models_memory(model_home: AuroraHome) -> None:
    gguf = next(model_home.models.rglob("*.gguf"))
    out = subprocess.run(
        [sys.executable, str(PROBE), str(gguf)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    rss = json.loads(out.stdout)
    held = rss["loaded_mb"] - rss["before_mb"]
    kept = rss["after_unload_mb"] - rss["before_mb"]
    assert held > 100, rss  # the model really was resident
    assert kept < 0.15 * held, rss  # at least 85 % of it came back after the unload
