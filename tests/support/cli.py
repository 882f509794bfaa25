"""Running the real `aurora` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys


def aurora(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`python -m aurora_desktop ARGS` with this test's environment (temp AURORA_HOME etc.)."""
    return subprocess.run(
        [sys.executable, "-m", "aurora_desktop", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """Assert the run failed with exactly one `aurora: …` line and no traceback; return it."""
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("aurora: "), lines[0]
    return lines[0]
