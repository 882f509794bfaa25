"""A model the user imports runs out of process: a broken one fails one request, not the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurora_desktop.core.paths import AuroraHome
from tests.support.cli import aurora

pytestmark = [pytest.mark.integration, pytest.mark.model]


def test_imported_models_use_the_server_engine(model_home: AuroraHome, tmp_path: Path) -> None:
    gguf = next(model_home.models.rglob("*.gguf"))
    good = tmp_path / "mine.gguf"
    good.write_bytes(gguf.read_bytes())
    half = tmp_path / "half.gguf"
    half.write_bytes(gguf.read_bytes()[: gguf.stat().st_size // 2])
    for path, name in ((good, "mine"), (half, "broken")):
        done = aurora("models", "import", str(path), "--name", name, "--version", "1.0.0", "--yes")
        assert done.returncode == 0, done.stderr

    ok = aurora("ask", "--json", "--model", "local://mine", "--max-tokens", "8", "Say hi.")
    assert ok.returncode == 0, ok.stderr
    answer = json.loads(ok.stdout)
    assert answer["engine"] == "llama.cpp server" and answer["tokens_out"] > 0

    bad = aurora("ask", "--json", "--model", "local://broken", "--max-tokens", "8", "Say hi.")
    assert bad.returncode == 1 and bad.stdout == ""
    lines = [line for line in bad.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "could not load" in lines[0] and "Traceback" not in bad.stderr

    again = aurora("ask", "--json", "--max-tokens", "8", "--task", "intent", "Say hi.")
    assert again.returncode == 0 and json.loads(again.stdout)["engine"] == "llama.cpp"
