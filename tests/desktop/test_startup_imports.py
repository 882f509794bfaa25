"""The tray app starts without its heavy libraries: they are imported when first needed.

What `aurora` imports before its icon and chat are up decides its cold start (bench/cold_start.py,
B10): pyqtgraph alone took 0.3 s and 45 MB. This runs the start-up path in a fresh process —
the `aurora` entry point, the core, QApplication and the app's tray, chat popup and windows
factory, as `run_app` builds them before its event loop — and lists the heavy modules loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aurora_desktop.app import startup_trace

HEAVY = (
    "llama_cpp",
    "onnxruntime",
    "onnx",
    "faiss",
    "pyqtgraph",
    "numpy",
    "sentencepiece",
    "tokenizers",
    "phonenumbers",
    "detect_secrets",
    "jinja2",
    "httpx",
    "keyring",
    # the local API's stack: loaded when the server is turned on, not at start-up
    "fastapi",
    "starlette",
    "uvicorn",
    "sse_starlette",
    "pydantic",
)

START_UP = f"""
import importlib.abc, json, sys, traceback

HEAVY = {HEAVY!r}
importers = {{}}


class Watch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        top = name.split(".")[0]
        if top in HEAVY and top not in importers:
            importers[top] = [
                f"{{f.filename.split('aurora_desktop/')[-1]}}:{{f.lineno}}"
                for f in traceback.extract_stack()
                if "aurora_desktop" in f.filename
            ]
        return None


sys.meta_path.insert(0, Watch())

from aurora_desktop.cli.main import main  # the console script's module
from aurora_desktop.app.main import run_app  # what `aurora` with no command runs
from PySide6.QtWidgets import QApplication

from aurora_desktop.app.desktop import AuroraApp
from aurora_desktop.app.wiring import build_core
from aurora_desktop.ui.consent_asker import ConsentAsker

app = QApplication(sys.argv[:1])
asker = ConsentAsker()
core = build_core(ask=asker)
aurora = AuroraApp(app, core, use_tray=True, consent=asker)
app.processEvents()
loaded = {{m: importers.get(m, []) for m in HEAVY if m in sys.modules}}
aurora.shutdown()
core.close()
print(json.dumps(loaded))
"""


def test_the_tray_app_starts_without_heavy_modules(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "AURORA_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    proc = subprocess.run(
        [sys.executable, "-c", START_UP], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    report = "; ".join(f"{m} (imported from {' -> '.join(c) or '?'})" for m, c in loaded.items())
    assert loaded == {}, f"the tray app's start-up imports heavy modules: {report}"


def test_startup_moments_are_printed_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(startup_trace, "_out", None)
    monkeypatch.delenv(startup_trace.TRACE_ENV, raising=False)
    startup_trace.mark("main")
    assert capfd.readouterr().err == ""
    monkeypatch.setenv(startup_trace.TRACE_ENV, "1")
    before = time.monotonic()
    startup_trace.mark("main")
    # llama-cpp-python points stderr at /dev/null while it loads a model: a moment reached
    # meanwhile must still be printed
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        startup_trace.mark("input")
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
        if startup_trace._out is not None:
            os.close(startup_trace._out)
    lines = [line.split() for line in capfd.readouterr().err.splitlines()]
    assert [(p, e) for p, e, _ in lines] == [
        ("aurora-startup", "main"),
        ("aurora-startup", "input"),
    ]
    assert before <= float(lines[0][2]) <= float(lines[1][2]) <= time.monotonic()
