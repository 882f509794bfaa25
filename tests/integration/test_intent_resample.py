"""bench/intent_resample.py: the draws are fair splits, and a real run reports every draw (a
benchmark: the accuracy itself is not asserted)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from aurora_desktop.core.paths import AuroraHome

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "bench" / "intent_resample.py"


def bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("intent_resample", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_draws_split_every_label_without_overlap() -> None:
    bench = bench_module()
    texts = {"a": [f"a{i}" for i in range(13)], "b": [f"b{i}" for i in range(11)]}
    draws = bench.draws(texts, 10, 5, seed=7)
    assert len(draws) == 5
    for draw in draws:
        assert {k: len(v) for k, v in draw.examples.items()} == {"a": 10, "b": 10}
        tested = {text for text, _ in draw.tests}
        for label, examples in draw.examples.items():
            assert not tested & set(examples)
            assert set(examples) | {t for t, g in draw.tests if g == label} == set(texts[label])
    assert len({tuple(d.examples["a"]) for d in draws}) > 1  # the draws differ
    assert [d.examples for d in bench.draws(texts, 10, 5, seed=7)] == [d.examples for d in draws]


def test_draws_refuse_a_label_too_small_to_test() -> None:
    with pytest.raises(ValueError, match="more than 10"):
        bench_module().draws({"a": ["x"] * 10, "b": ["y"] * 20}, 10, 1, seed=0)


@pytest.mark.integration
@pytest.mark.model
@pytest.mark.timeout(900)
def test_resample_runs_the_app_classifier(full_home: AuroraHome) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--draws", "2", "--only", "ko_chatbot", "--json"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=840,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["shots"] == 10
    (name, result), *rest = report["sets"].items()
    assert name == "intent_ko_chatbot" and not rest
    assert result["draws"] == 2 and len(result["per_draw"]) == 2
    assert 0.0 <= result["min"] <= result["mean"] <= result["max"] <= 1.0


def test_a_folder_without_intent_sets_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing to measure", "utf-8")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(tmp_path) in proc.stderr.splitlines()[-1]
