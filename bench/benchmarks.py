"""The measurements B1-B7; each returns raw figures and the values its verdicts judge."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import (
    PROMPT,
    REPS,
    bare_llama,
    bare_stream,
    callback_stream,
    median,
)

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.contract import Message, Request
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
from aurora_desktop.core.routing.plan import attempt_plan
from aurora_desktop.core.telemetry import percentile

MAX_TOKENS = 128


def b1_b2_decode_and_ttft(core: Core, model_path: Path) -> dict[str, Any]:
    """Full path (router + policy + engine thread + streaming callback) vs the bare loop."""
    bare = bare_llama(model_path)
    pipeline = core.pipeline

    def aurora(prompt: str) -> Any:
        request = Request.from_prompt(prompt, task="intent", max_tokens=MAX_TOKENS, temperature=0.0)
        return callback_stream(lambda cb: pipeline.run(request, on_token=cb))

    aurora(PROMPT)  # warm-up: load, first eval
    bare_stream(bare, PROMPT, 8)
    rows = []
    for rep in range(REPS):
        prompt = f"Question {rep + 1}. {PROMPT}"  # a fresh prefix each time: a real TTFT
        a = aurora(prompt)
        b = bare_stream(bare, prompt, MAX_TOKENS)
        rows.append(
            {
                "aurora_tok_s": a.decode_tok_s,
                "bare_tok_s": b.decode_tok_s,
                "aurora_ttft_ms": a.ttft_ms,
                "bare_ttft_ms": b.ttft_ms,
                "aurora_tokens": a.tokens,
                "bare_tokens": b.tokens,
            }
        )
    bare.close()
    a_tok = median([r["aurora_tok_s"] for r in rows])
    b_tok = median([r["bare_tok_s"] for r in rows])
    added = median([r["aurora_ttft_ms"] - r["bare_ttft_ms"] for r in rows])
    return {
        "verdicts": {"B1": a_tok / b_tok if b_tok else 0.0, "B2": added},
        "B1": {"aurora_tok_s": round(a_tok, 1), "bare_tok_s": round(b_tok, 1), "runs": rows},
        "B2": {
            "aurora_ttft_ms": round(median([r["aurora_ttft_ms"] for r in rows]), 1),
            "bare_ttft_ms": round(median([r["bare_ttft_ms"] for r in rows]), 1),
        },
    }


def b3_routing_overhead(core: Core, n: int = 10_000) -> dict[str, Any]:
    """Routing decision + PII masking + banned words + attempt plan, no model involved."""
    pipeline = core.pipeline
    masker = core.masker
    banned = core.banned()
    texts = [
        f"Ticket {i}: please email kim{i}@example.com or call 010-{1000 + i % 9000}-5678 "
        f"about order {i} and summarise the issue in two sentences."
        for i in range(n)
    ]
    times = []
    for i, text in enumerate(texts):
        request = Request.from_prompt(text, task=("intent", "summarize", "chat")[i % 3])
        started = time.perf_counter()
        decision = pipeline.decide(request)
        masked = masker.mask(text)
        banned.check(masked.text)
        attempt_plan(decision, risk=request.risk)
        times.append((time.perf_counter() - started) * 1000.0)
    p50, p99 = percentile(times, 50), percentile(times, 99)
    return {
        "verdicts": {"B3": p99},
        "B3": {
            "p50_ms": round(p50, 4),
            "p99_ms": round(p99, 4),
            "requests": n,
            "tokens_counted_by": decision.tokens_counted_by,
        },
    }


def b4_prefix_reuse(model_path: Path) -> dict[str, Any]:
    """A 1,000-token system prompt: TTFT when its KV cache is reused vs re-evaluated."""
    engine = LlamaCppEngine(model_path, model_name="bench", n_ctx=2048)
    fresh = LlamaCppEngine(model_path, model_name="bench-fresh", n_ctx=2048)
    try:
        engine.load().result()
        fresh.load().result()
        system = _system_prompt(engine, 1000)
        other = "Summary of policy. " + system  # differs from the first token on: no reuse

        def ttft(sys_text: str, question: str, on: LlamaCppEngine = engine) -> tuple[float, str]:
            messages = (Message("system", sys_text), Message("user", question))
            result = on.generate(messages, max_tokens=24, temperature=0.0).result()
            return result.ttft_ms, result.text

        ttft(system, "Warm up.")
        cold, warm = [], []
        for rep in range(REPS):
            cold.append(ttft(other if rep % 2 == 0 else system, f"Question {rep}: refunds?")[0])
            ttft(system, "Prime the cache.")
            warm.append(ttft(system, f"Question {rep}: what about shipping?")[0])
        reused = ttft(system, "What does the policy say about returns?")[1]
        scratch = ttft(system, "What does the policy say about returns?", fresh)[1]
        tokens = engine.count_tokens(system).result()
    finally:
        engine.close()
        fresh.close()
    c, w = median(cold), median(warm)
    return {
        "verdicts": {"B4": c / w if w else 0.0},
        "B4": {
            "system_prompt_tokens": tokens,
            "ttft_without_reuse_ms": round(c, 1),
            "ttft_with_reuse_ms": round(w, 1),
            "same_output": reused == scratch,
        },
    }


def _system_prompt(engine: LlamaCppEngine, tokens: int) -> str:
    rule = (
        "Customers may return unused items within thirty days for a full refund; shipping "
        "costs are refunded only when the item arrived damaged or was not as described. "
    )
    text = "You are the support assistant of a small shop. Follow these rules. "
    while engine.count_tokens(text).result() < tokens:
        text += rule
    return text


def b5_memory(model_path: Path) -> dict[str, Any]:
    """Resident memory in a fresh process: before load, loaded, after unload; cold start.
    The verdict is for the engine the app uses (a model process); llama.cpp in-process is
    measured beside it, to show what the process buys and costs."""
    probe = Path(__file__).with_name("rss_probe.py")
    runs: dict[str, dict[str, Any]] = {}
    for kind in ("process", "inproc"):
        out = subprocess.run(
            [sys.executable, str(probe), str(model_path), "--engine", kind],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        runs[kind] = json.loads(out.stdout)
    above = {
        kind: (data["after_unload_mb"] - data["before_mb"]) / data["before_mb"] * 100.0
        for kind, data in runs.items()
    }
    data = dict(runs["process"])
    data["inproc"] = {**runs["inproc"], "above_before_pct": round(above["inproc"], 1)}
    return {"verdicts": {"B5": above["process"]}, "B5": data}


def b6_qt_latency(core: Core) -> dict[str, Any]:
    """Decode speed and event-loop lateness while the Qt main thread is kept busy."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from aurora_desktop.ui.chat_session import ChatSession

    app = QApplication.instance() or QApplication([])
    session = ChatSession(core.conductor, core.local)
    lateness: list[float] = []
    state = {"last": time.perf_counter(), "streaming": False}

    def probe() -> None:
        now = time.perf_counter()
        if state["streaming"]:
            lateness.append(max(0.0, (now - state["last"]) * 1000.0 - 10.0))
        state["last"] = now

    def busy() -> None:  # 2 ms of UI work every 5 ms
        end = time.perf_counter() + 0.002
        while time.perf_counter() < end:
            pass

    timers = [QTimer(), QTimer()]
    timers[0].timeout.connect(probe)
    timers[1].timeout.connect(busy)
    timers[0].start(10)
    timers[1].start(5)
    speeds = []
    for rep in range(REPS):
        loop = QEventLoop()
        done: list[Any] = []
        session.reply_finished.connect(lambda r, d=done, lo=loop: (d.append(r), lo.quit()))
        session.reply_failed.connect(lambda _m, lo=loop: lo.quit())
        state["streaming"] = True
        session.send(f"Rep {rep}: list eight fruits, one per line, with a short note each.")
        QTimer.singleShot(120_000, loop.quit)
        loop.exec()
        state["streaming"] = False
        session.reply_finished.disconnect()
        session.reply_failed.disconnect()
        if done:
            speeds.append(done[0].tok_s)
    for timer in timers:
        timer.stop()
    session.shutdown()  # the core is closed by the suite
    app.processEvents()
    return {
        "verdicts": {"B6": percentile(lateness, 99)},
        "B6": {
            "decode_tok_s_busy_ui": round(median(speeds), 1),
            "loop_latency_p50_ms": round(percentile(lateness, 50), 2),
            "samples": len(lateness),
        },
    }


def b7_bandwidth(model_path: Path, results: dict[str, Any]) -> dict[str, Any]:
    """Copy bandwidth (read + write) and decode speed as a fraction of its ceiling."""
    import numpy as np

    src = np.ones(64 * 1024 * 1024, dtype=np.float32)  # 256 MB
    dst = np.empty_like(src)
    np.copyto(dst, src)
    times = []
    for _ in range(REPS):
        started = time.perf_counter()
        np.copyto(dst, src)
        times.append(time.perf_counter() - started)
    bandwidth = 2 * src.nbytes / median(times)
    del src, dst
    gc.collect()
    model_bytes = model_path.stat().st_size
    ceiling = bandwidth / model_bytes
    tok_s = results.get("B1", {}).get("aurora_tok_s") or _quick_tok_s(model_path)
    return {
        "verdicts": {"B7": tok_s / ceiling},
        "B7": {
            "bandwidth_gb_s": round(bandwidth / 1e9, 2),
            "model_mb": round(model_bytes / 1e6, 1),
            "ceiling_tok_s": round(ceiling, 1),
            "decode_tok_s": tok_s,
        },
    }


def _quick_tok_s(model_path: Path) -> float:
    llm = bare_llama(model_path)
    try:
        return round(bare_stream(llm, PROMPT, MAX_TOKENS).decode_tok_s, 1)
    finally:
        llm.close()
