"""`aurora eval` on the whole development set with the real installed models (a benchmark:
the structure is checked, the scores are written to the test output, no threshold or timing
is asserted)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.cli.eval_cmd import DEFAULT_FOLDERS
from aurora_desktop.core.evaluation.report import SHARE_METRICS, Report
from aurora_desktop.core.paths import AuroraHome
from tests.support.cli import aurora

pytestmark = [pytest.mark.integration, pytest.mark.model]

REPO = Path(__file__).resolve().parents[2]
EVAL_TIMEOUT_S = 3000  # the LLM stage decides many lines today; a report, not a timed test


def eval_folder() -> Path:
    """The shared development set beside the checkout when there is one, else the vendored copy."""
    return next(folder for folder in DEFAULT_FOLDERS if folder.is_dir())


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_vendored_set_is_the_shared_one() -> None:
    shared, vendored = DEFAULT_FOLDERS
    assert vendored == REPO / "bench" / "eval-data" and vendored.is_dir()
    if shared.is_dir():
        names = sorted(p.relative_to(shared) for p in shared.rglob("*") if p.is_file())
        assert names == sorted(p.relative_to(vendored) for p in vendored.rglob("*") if p.is_file())
        for name in names:
            assert (shared / name).read_bytes() == (vendored / name).read_bytes(), name


@pytest.mark.timeout(EVAL_TIMEOUT_S)
def test_eval_reports_every_set(full_home: AuroraHome) -> None:
    folder = eval_folder()
    proc = aurora("eval", "--data", str(folder), "--json", timeout=EVAL_TIMEOUT_S - 60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    out = Path(os.environ.get("AURORA_TEST_OUTPUT", REPO / "test-output"))
    out.mkdir(parents=True, exist_ok=True)
    table = Report.from_dict(report).table()
    (out / "eval-table.txt").write_text(
        f"aurora eval --data {folder}  ({report['seconds']:.0f} s)\n\n{table}", "utf-8"
    )
    (out / "eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    print(table)

    manifest = json.loads((folder / "MANIFEST.json").read_text("utf-8"))
    assert report["verified_files"] == len(manifest["sha256_16"])
    rows = {(row["set"], row["metric"]): row for row in report["rows"]}
    for row in report["rows"]:
        if row["metric"] in SHARE_METRICS:
            assert 0.0 <= row["score"] <= 1.0, row
        else:
            assert -1.0 <= row["score"] <= 1.0, row

    intent_files = sorted(folder.glob("intent_*_dev.jsonl"))
    assert len(intent_files) == 4
    for path in intent_files:
        name = path.name.removesuffix("_dev.jsonl")
        data = lines(path)
        expected = Counter(row["label"] for row in data)
        for mode in ("zero-shot", "10-shot"):
            row = rows[(f"{name} ({mode})", "accuracy")]
            assert row["n"] == len(data)
            per_label = row["details"]["per_label"]
            assert {label: v["n"] for label, v in per_label.items()} == dict(expected)
            assert sum(row["stages"].values()) == len(data)
            assert 0 <= row["ms_p50"] <= row["ms_p95"]

    pii = lines(folder / "pii_dev.jsonl")
    entities = Counter(e["type"] for row in pii for e in row["entities"])
    recall = rows[("pii_dev", "recall")]
    assert recall["n"] == sum(entities.values())
    assert recall["details"]["total"] == dict(sorted(entities.items()))
    masked = rows[("pii_dev", "words masked")]
    assert masked["details"]["empty_lines"] == sum(
        1 for row in pii if not row["entities"] and not row["other_entities"]
    )

    questions = lines(folder / "rag_dev_questions.jsonl")
    by_lang = Counter(row["lang"] for row in questions)
    assert set(by_lang) == {"en", "ko"}
    for lang, count in by_lang.items():
        assert rows[(f"rag_dev ({lang})", "hit@3")]["n"] == count
    assert rows[("rag_dev (all)", "hit@3")]["n"] == len(questions)
    unanswerable = lines(folder / "rag_dev_questions_unanswerable.jsonl")
    assert rows[("rag_dev (unanswerable)", "top score p50")]["n"] == len(unanswerable)

    assert len(report["rows"]) == 4 * 2 + 2 + 3 + 1
    for name in ("intent_en_clinc", "pii_dev", "rag_dev"):
        assert name in proc.stderr  # progress goes to stderr, the JSON alone to stdout


def test_eval_default_folder_and_table(full_home: AuroraHome) -> None:
    proc = aurora("eval", "--only", "pii", "--limit", "20", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["data"] == str(eval_folder())
    proc = aurora("eval", "--only", "pii", "--limit", "20")
    assert proc.returncode == 0, proc.stderr[-2000:]
    header, recall, masked = proc.stdout.splitlines()
    assert header.split()[:4] == ["set", "n", "metric", "score"]
    assert recall.split()[0:3:2] == ["pii_dev", "recall"]
    assert masked.split()[0:4:2] == ["pii_dev", "words"]
