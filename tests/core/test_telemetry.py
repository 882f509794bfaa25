"""Request figures: ring buffer for the dashboard, SQLite history, percentiles, `aurora stats`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aurora_desktop.core.contract import Response
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.telemetry import RING_SIZE, RequestSample, Telemetry, percentile, summarize


def response(n: int, target: str = "local") -> Response:
    return Response(request_id=f"r{n}", text="secret answer", target=target, engine="llama.cpp",
                    model="m", rule=None, why="", tokens_in=100, tokens_out=10 + n,
                    ttft_ms=50.0 + n, latency_ms=500.0 + n, tok_s=100.0 + n, load_ms=0.0,
                    finish_reason="stop")  # fmt: skip


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 50, 0.0), ([5.0], 99, 5.0), ([1, 2, 3, 4], 50, 2.0), ([1, 2, 3, 4], 99, 4.0),
     (list(range(1, 101)), 90, 90.0), (list(range(1, 101)), 99, 99.0), ([3, 1, 2], 1, 1.0)],
)  # fmt: skip
def test_percentile(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == expected


def test_record_goes_to_the_ring_the_listeners_and_sqlite(tmp_path: Path) -> None:
    telemetry = Telemetry(tmp_path / "metrics.db")
    heard: list[RequestSample] = []
    telemetry.listeners.append(heard.append)
    sample = telemetry.record(response(1))
    assert heard == [sample] and telemetry.recent() == [sample]
    assert sample.prompt_tok_s == pytest.approx(100 / 0.051, rel=0.01)
    (stored,) = Telemetry(tmp_path / "metrics.db").history()  # reopened: it persisted
    assert stored == sample
    assert b"secret answer" not in (tmp_path / "metrics.db").read_bytes()


def test_ring_is_bounded_and_history_filters_by_time(tmp_path: Path) -> None:
    telemetry = Telemetry(tmp_path / "metrics.db")
    for n in range(RING_SIZE + 5):
        telemetry.record(response(n, "cloud" if n % 2 else "local"))
    assert len(telemetry.recent()) == RING_SIZE
    assert len(telemetry.history()) == RING_SIZE + 5
    assert telemetry.history(since=telemetry.recent()[-1].ts + 1) == []
    summary = summarize(telemetry.history())
    assert summary["requests"] == RING_SIZE + 5
    assert summary["by_target"] == {"cloud": 258, "local": 259}
    assert summary["ttft_ms"]["p50"] <= summary["ttft_ms"]["p99"]


@pytest.mark.model
def test_stats_shows_real_figures(model_home: AuroraHome) -> None:
    def aurora(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "aurora_desktop", *args],
                              capture_output=True, text=True, env=dict(os.environ),
                              timeout=300)  # fmt: skip

    empty = aurora("stats")
    assert empty.returncode == 0 and "No requests recorded yet" in empty.stdout
    assert aurora("ask", "--max-tokens", "16", "--task", "intent", "Name a colour.").returncode == 0
    out = json.loads(aurora("stats", "--json").stdout)
    assert out["summary"]["requests"] == 1
    (recent,) = out["recent"]
    assert recent["tokens_out"] > 0 and recent["decode_tok_s"] > 0 and recent["ttft_ms"] > 0
    assert recent["engine"] == "llama.cpp" and recent["target"] == "local"
    text = aurora("stats").stdout
    assert "decode_tok_s" in text and "p99" in text
