"""The live meter of generations in flight and the dashboard's pure figures (no Qt)."""

from __future__ import annotations

import csv
import io
import threading
import time
from pathlib import Path

import pytest

from aurora_desktop.core.contract import Request
from aurora_desktop.core.live import LiveMeter
from aurora_desktop.core.live_stats import (
    CSV_FIELDS,
    Share,
    group_requests,
    in_window,
    is_internal,
    parent_id,
    target_share,
    to_csv,
    window_stats,
)
from aurora_desktop.core.telemetry import RequestSample, Telemetry
from tests.support.pipelines import build


def sample(
    request_id: str, ts: float, *, target: str = "local", engine: str = "llama.cpp",
    tok_s: float = 100.0, ttft: float = 50.0, latency: float = 500.0,
) -> RequestSample:  # fmt: skip
    return RequestSample(
        ts=ts, request_id=request_id, outcome="ok", target=target, engine=engine, model="m",
        tokens_in=10, tokens_out=20, ttft_ms=ttft, latency_ms=latency, decode_tok_s=tok_s,
        prompt_tok_s=0.0, finish_reason="stop",
    )  # fmt: skip


def test_ticket_counts_tokens_and_reports_a_live_rate() -> None:
    meter = LiveMeter()
    ticket = meter.begin("r1", target="local", engine="llama.cpp", model="m")
    [gen] = meter.snapshot()
    assert (gen.request_id, gen.tokens, gen.ttft_ms, gen.tok_s) == ("r1", 0, None, 0.0)
    heard: list[str] = []
    relay = ticket.relay(heard.append)
    for piece in ("a", "b", "c", "d"):
        relay(piece)
        time.sleep(0.01)
    [gen] = meter.snapshot()
    assert heard == ["a", "b", "c", "d"]
    assert gen.tokens == 4 and gen.ttft_ms is not None and gen.ttft_ms >= 0
    assert 20 < gen.tok_s < 110  # 3 tokens after the first in about 30 ms
    ticket.end()
    assert meter.snapshot() == []


def test_relay_without_a_listener_counts_and_stop_passes_through() -> None:
    meter = LiveMeter()
    ticket = meter.begin("r1", target="cloud")
    assert ticket.relay(None)("x") is None
    assert ticket.relay(lambda _p: False)("y") is False
    ticket.describe(engine="openai", model="big")
    [gen] = meter.snapshot()
    assert (gen.tokens, gen.engine, gen.model) == (2, "openai", "big")


def test_meter_is_thread_safe() -> None:
    meter = LiveMeter()
    tickets = [meter.begin(f"r{i}", target="local") for i in range(4)]

    def stream(n: int) -> None:
        for _ in range(5000):
            tickets[n].tick()

    threads = [threading.Thread(target=stream, args=(n,), name=f"tick-{n}") for n in range(4)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        assert len(meter.snapshot()) == 4
    for thread in threads:
        thread.join()
    assert [g.tokens for g in meter.snapshot()] == [5000] * 4
    for ticket in tickets:
        ticket.end()
    assert meter.snapshot() == []


def test_pipeline_feeds_the_meter_during_a_generation(tmp_path: Path) -> None:
    pipeline, _local, _cloud = build(tmp_path)
    seen: list[list[str]] = []
    meter = pipeline.metrics.live

    def on_token(_piece: str) -> None:
        seen.append([f"{g.request_id}:{g.target}:{g.tokens}:{g.model}" for g in meter.snapshot()])

    request = Request.from_prompt("hello", request_id="abc", model="local://fake-local")
    pipeline.run(request, on_token=on_token)
    assert seen == [["abc:local:1:fake-local"]]
    seen.clear()
    pipeline.run(Request.from_prompt("hi", request_id="c", model="cloud://acme"), on_token=on_token)
    assert seen and seen[-1][0].startswith("c:cloud:")
    assert int(seen[-1][0].split(":")[2]) == len(seen)
    assert meter.snapshot() == []  # closed when the hop ends
    pipeline.run(Request.from_prompt("again"))  # no listener: still counted, then closed
    assert meter.snapshot() == []


@pytest.mark.parametrize(
    ("request_id", "parent", "internal"),
    [("r1", "r1", False), ("r1-plan", "r1", True), ("r1-s2", "r1", True),
     ("r1-s12", "r1", True), ("classify-ab12", "classify-ab12", True),
     ("my-splan", "my-splan", False)],
)  # fmt: skip
def test_parent_and_internal(request_id: str, parent: str, internal: bool) -> None:
    assert parent_id(request_id) == parent
    assert is_internal(request_id) is internal


def test_internal_calls_join_their_request() -> None:
    rows = [
        sample("classify-aa", 1.0), sample("r1-plan", 2.0), sample("r1-s1", 3.0),
        sample("r1-s2", 4.0), sample("classify-bb", 5.0), sample("r2", 6.0, target="cloud"),
        sample("classify-cc", 7.0),
    ]  # fmt: skip
    groups = group_requests(reversed(rows))
    assert [(g.request_id, len(g.samples), g.internal) for g in groups] == [
        ("r1", 4, 4), ("r2", 2, 1), ("classify-cc", 1, 1),
    ]  # fmt: skip
    assert target_share(rows) == Share(local=2, cloud=1)
    assert target_share(rows).percent("cloud") == pytest.approx(100 / 3)
    assert Share(0, 0).percent("local") == 0.0


def test_window_and_percentiles_per_engine_and_target() -> None:
    rows = [sample(f"r{i}", 100.0 + i, tok_s=float(i + 1), ttft=10.0 * (i + 1)) for i in range(20)]
    rows += [sample("c1", 110.0, target="cloud", engine="openai", tok_s=0.0, latency=900.0)]
    rows += [sample("old", 10.0)]
    window = in_window(rows, now=120.0, seconds=60.0)
    assert "old" not in {s.request_id for s in window}
    local, cloud = window_stats(window)
    assert (local.engine, local.target, local.calls) == ("llama.cpp", "local", 20)
    assert (local.tok_s_p50, local.tok_s_p95) == (10.0, 19.0)
    assert (local.ttft_p50, local.ttft_p95) == (100.0, 190.0)
    assert (cloud.engine, cloud.calls, cloud.tok_s_p50, cloud.latency_p95) == (
        "openai", 1, 0.0, 900.0,
    )  # fmt: skip


def test_csv_has_a_row_per_call_with_its_parent(tmp_path: Path) -> None:
    rows = [sample("classify-x", 1.0), sample("r1", 2.0, tok_s=12.5)]
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert tuple(parsed[0]) == CSV_FIELDS
    assert [(r["request_id"], r["parent_id"]) for r in parsed] == [
        ("classify-x", "r1"), ("r1", "r1"),
    ]  # fmt: skip
    assert float(parsed[1]["decode_tok_s"]) == 12.5
    assert to_csv([]).strip() == ",".join(CSV_FIELDS)


def test_telemetry_owns_a_meter(tmp_path: Path) -> None:
    assert isinstance(Telemetry(tmp_path / "metrics.db").live, LiveMeter)
