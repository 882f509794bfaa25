"""Decode tok/s of SmolLM2 with the dashboard open (polling at 2 Hz) and closed, same run.

Rounds alternate closed/open so both see the same machine load; the Qt event loop runs in
both cases, only the dashboard's visibility (and so its poll timer) differs.

    AURORA_HOME=... QT_QPA_PLATFORM=offscreen .venv/bin/python bench/dashboard_bench.py \
        [--rounds 4] [--max-tokens 128]
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

from PySide6.QtWidgets import QApplication

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.contract import Request, Response
from aurora_desktop.ui.dashboard import Dashboard

PROMPT = "Write a detailed paragraph about how lighthouses guided ships before GPS existed."


def one_run(app: QApplication, run: object, request: Request) -> tuple[Response, int]:
    """Generate on a worker thread while the main thread runs the event loop."""
    done: list[Response] = []
    worker = threading.Thread(target=lambda: done.append(run(request)), name="bench-generation")  # type: ignore[operator]
    worker.start()
    spins = 0
    while worker.is_alive():
        app.processEvents()
        spins += 1
        time.sleep(0.005)
    worker.join()
    return done[0], spins


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()
    app = QApplication([])
    core = build_core()
    dashboard = Dashboard(core.metrics, core.scheduler.snapshot)
    model = "local://" + core.local.model_name
    polls = [0]
    dashboard.timer.timeout.connect(lambda: polls.__setitem__(0, polls[0] + 1))
    speeds: dict[str, list[float]] = {"closed": [], "open": []}
    try:
        core.local.prepare()
        core.pipeline.run(Request.from_prompt("Hi", model=model, max_tokens=8))  # warm-up
        for _ in range(args.rounds):
            for state in ("closed", "open"):
                dashboard.setVisible(state == "open")
                request = Request.from_prompt(
                    PROMPT, model=model, max_tokens=args.max_tokens, temperature=0.0
                )
                response, _spins = one_run(app, core.pipeline.run, request)
                speeds[state].append(response.tok_s)
        dashboard.hide()
    finally:
        dashboard.shutdown()
        core.close()
    closed = statistics.median(speeds["closed"])
    opened = statistics.median(speeds["open"])
    print(f"decode tok/s, dashboard closed: {closed:.1f} (runs {speeds['closed']})")
    print(f"decode tok/s, dashboard open:   {opened:.1f} (runs {speeds['open']})")
    print(f"open / closed: {opened / closed:.3f}  ({polls[0]} dashboard polls while open)")


if __name__ == "__main__":
    main()
