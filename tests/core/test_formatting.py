"""Every Python file of the project is in `ruff format` style."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHECKED = ("aurora_desktop", "tests", "bench", "installer")


def test_sources_are_formatted() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    assert ruff.exists(), f"ruff is not installed next to {sys.executable}"
    proc = subprocess.run(
        [str(ruff), "format", "--check", *CHECKED],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "already formatted" in proc.stdout, proc.stdout
