"""`aurora eval`'s pure parts: finding and checking sets, intent scoring, the runner, the table."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.core.cognition.labelsets import LabelSet
from aurora_desktop.core.errors import ConfigError, EngineError
from aurora_desktop.core.evaluation.datasets import load_folder, set_name, verify_manifest
from aurora_desktop.core.evaluation.intent_score import Prediction, score_intent
from aurora_desktop.core.evaluation.report import Report, render_table
from aurora_desktop.core.evaluation.runner import FrontDoors, Search, evaluate, relative_name
from tests.support.cli import aurora, one_line_error

LABELS = ["greeting", "balance", "book flight"]


def write_lines(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def intent_row(text: str, label: str) -> dict[str, Any]:
    return {"text": text, "label": label, "labels": LABELS, "source": "test"}


def pii_row(text: str, *spans: tuple[str, str], **extra: Any) -> dict[str, Any]:
    entities = [
        {
            "type": kind,
            "value": value,
            "start": text.index(value),
            "end": text.index(value) + len(value),
        }
        for kind, value in spans
    ]
    return {"id": text[:10], "text": text, "entities": entities, "other_entities": [], **extra}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small set of every kind, in the shared layout."""
    root = tmp_path / "sets"
    root.mkdir()
    write_lines(
        root / "intent_en_tiny_dev.jsonl",
        [
            intent_row("hello there", "greeting"),
            intent_row("how much money do I have", "balance"),
            intent_row("get me a plane to Oslo", "book flight"),
            intent_row("hi!", "greeting"),
        ],
    )
    (root / "intent_en_tiny_examples.json").write_text(
        json.dumps({"greeting": ["hey"], "balance": ["my balance"], "book flight": ["fly me"]}),
        "utf-8",
    )
    write_lines(
        root / "pii_dev.jsonl",
        [
            pii_row("mail me at a@b.example please", ("EMAIL", "a@b.example")),
            pii_row(
                "call 010-1234-5678 or a@b.example",
                ("PHONE", "010-1234-5678"),
                ("EMAIL", "a@b.example"),
            ),
            pii_row("order number 12345 shipped today", hard_negative=True),
        ],
    )
    docs = root / "rag_tiny"
    docs.mkdir()
    (docs / "bees.txt").write_text("Bees\n\nA hive has one queen and many workers.", "utf-8")
    (docs / "rome.txt").write_text("Rome\n\nAqueducts carried water into Rome.", "utf-8")
    write_lines(
        root / "rag_tiny_questions.jsonl",
        [
            {
                "question": "Who lays eggs in a hive?",
                "doc": "bees.txt",
                "answer": "queen",
                "lang": "en",
            },
            {
                "question": "How did water reach Rome?",
                "doc": "rome.txt",
                "answer": "aqueducts",
                "lang": "en",
            },
            {
                "question": "벌집에는 누가 있나요?",
                "doc": "bees.txt",
                "answer": "queen",
                "lang": "ko",
            },
        ],
    )
    write_lines(
        root / "rag_tiny_questions_unanswerable.jsonl",
        [{"question": "Who built the hive?", "doc": "bees.txt", "answer": None, "lang": "en"}],
    )
    return root


def test_load_folder_finds_every_kind(folder: Path) -> None:
    data = load_folder(folder)
    assert [s.name for s in data.intents] == ["intent_en_tiny"]
    intent = data.intents[0]
    assert intent.labels == tuple(LABELS)
    assert len(intent.rows) == 4
    assert intent.examples == {
        "greeting": ("hey",),
        "balance": ("my balance",),
        "book flight": ("fly me",),
    }
    assert [s.name for s in data.pii] == ["pii_dev"] and len(data.pii[0].rows) == 3
    assert [s.name for s in data.rag] == ["rag_tiny"]
    rag = data.rag[0]
    assert len(rag.answerable()) == 3 and len(rag.unanswerable()) == 1
    assert data.verified == 0


def test_only_loads_the_kinds_asked(folder: Path) -> None:
    data = load_folder(folder, ("pii",))
    assert not data.intents and not data.rag and data.pii


def test_intent_file_without_examples(folder: Path) -> None:
    (folder / "intent_en_tiny_examples.json").unlink()
    assert load_folder(folder, ("intent",)).intents[0].examples is None


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "line 2 is not valid JSON"),
        ("[1, 2]", "line 2 is not a JSON object"),
        (json.dumps({"label": "greeting", "labels": LABELS}), "line 2 has no 'text'"),
        (
            json.dumps(intent_row("hi", "weather")),
            "line 2 has the label 'weather', which is not in",
        ),
        (json.dumps({"text": "hi", "label": "a", "labels": ["a"]}), "line 2 needs 'labels'"),
        (
            json.dumps({"text": "hi", "label": "a", "labels": ["a", "b"]}),
            "line 2 lists other 'labels' than line 1",
        ),
    ],
)
def test_bad_intent_line_is_named(folder: Path, line: str, problem: str) -> None:
    path = folder / "intent_en_tiny_dev.jsonl"
    first = path.read_text("utf-8").splitlines()[0]
    path.write_text(f"{first}\n{line}\n", "utf-8")
    with pytest.raises(ConfigError, match=r"intent_en_tiny_dev\.jsonl") as caught:
        load_folder(folder)
    assert problem in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            {"text": "a@b.example", "entities": [{"type": "EMAIL", "start": 0, "end": 40}]},
            "span outside",
        ),
        (
            {
                "text": "a@b.example",
                "entities": [{"type": "EMAIL", "value": "x", "start": 0, "end": 3}],
            },
            "value that is not text[0:3]",
        ),
        ({"text": "a@b.example", "entities": [{"start": 0, "end": 3}]}, "entity without a 'type'"),
        ({"text": "plain text"}, "has no 'entities' list"),
        ({"entities": []}, "has no 'text'"),
        ({"text": "x", "entities": {}}, "'entities' that is not a list"),
    ],
)
def test_bad_pii_line_is_named(folder: Path, row: dict[str, Any], problem: str) -> None:
    write_lines(folder / "pii_dev.jsonl", [pii_row("fine text"), row])
    with pytest.raises(ConfigError, match=r"pii_dev\.jsonl line 2 ") as caught:
        load_folder(folder, ("pii",))
    assert problem in str(caught.value)


def test_question_naming_a_missing_document_is_named(folder: Path) -> None:
    write_lines(
        folder / "rag_tiny_questions.jsonl",
        [{"question": "What?", "doc": "missing.txt", "answer": "x", "lang": "en"}],
    )
    with pytest.raises(ConfigError, match=r"line 1 names the document 'missing.txt', which is not"):
        load_folder(folder, ("rag",))


def test_examples_for_an_unknown_label_are_refused(folder: Path) -> None:
    (folder / "intent_en_tiny_examples.json").write_text('{"weather": ["rain?"]}', "utf-8")
    with pytest.raises(ConfigError, match="examples for 'weather', which is not a label"):
        load_folder(folder)


def test_empty_or_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="holds no evaluation set"):
        load_folder(tmp_path)
    with pytest.raises(ConfigError, match="is not a folder"):
        load_folder(tmp_path / "nowhere")


def test_empty_file_is_refused(folder: Path) -> None:
    (folder / "pii_dev.jsonl").write_text("\n", "utf-8")
    with pytest.raises(ConfigError, match=r"pii_dev\.jsonl has no lines"):
        load_folder(folder, ("pii",))


def test_manifest_digests_are_checked(folder: Path) -> None:
    pii = folder / "pii_dev.jsonl"
    full = hashlib.sha256(pii.read_bytes()).hexdigest()
    (folder / "MANIFEST.json").write_text(json.dumps({"sha256_16": {"pii_dev.jsonl": full[:16]}}))
    assert verify_manifest(folder) == 1
    assert load_folder(folder).verified == 1
    (folder / "MANIFEST.json").write_text(json.dumps({"sha256": {"pii_dev.jsonl": full}}))
    assert verify_manifest(folder) == 1
    pii.write_text(pii.read_text("utf-8") + "\n\n", "utf-8")
    with pytest.raises(ConfigError, match=r"pii_dev\.jsonl does not match its sha256"):
        load_folder(folder)
    (folder / "MANIFEST.json").write_text(json.dumps({"sha256": {"gone.jsonl": full}}))
    with pytest.raises(ConfigError, match=r"gone\.jsonl is listed in .* but missing"):
        load_folder(folder)
    (folder / "MANIFEST.json").write_text(json.dumps({"counts": {}}))
    with pytest.raises(ConfigError, match="has no 'sha256'"):
        load_folder(folder)


def test_set_name_drops_the_split_suffix() -> None:
    assert set_name(Path("intent_en_clinc_dev.jsonl")) == "intent_en_clinc"
    assert set_name(Path("intent_x_test.jsonl")) == "intent_x"
    assert set_name(Path("intent_plain.jsonl")) == "intent_plain"


def test_score_intent_counts_labels_stages_and_latency() -> None:
    predictions = [
        Prediction("a", "greeting", "greeting", "embedding", 2.0),
        Prediction("b", "greeting", "balance", "grammar", 400.0),
        Prediction("c", "balance", "balance", "embedding", 3.0),
        Prediction("d", "balance", "balance", "grammar", 300.0),
    ]
    score = score_intent(predictions, LABELS)
    assert score.n == 4 and score.correct == 3 and score.accuracy == 0.75
    assert score.per_label == {"greeting": (1, 2), "balance": (2, 2), "book flight": (0, 0)}
    assert score.label_accuracy("book flight") == 0.0
    assert score.stages == {"embedding": 2, "grammar": 2}
    assert score.ms_p50 == 3.0 and score.ms_p95 == 400.0
    data = score.to_dict()
    assert data["stage_accuracy"] == {"embedding": 1.0, "grammar": 0.5}
    assert data["misses"] == [
        {"text": "b", "expected": "greeting", "predicted": "balance", "stage": "grammar"}
    ]


def test_score_intent_of_nothing_is_zero() -> None:
    score = score_intent([])
    assert score.n == 0 and score.accuracy == 0.0 and score.ms_p50 == 0.0


@dataclass(frozen=True)
class Verdict:
    label: str
    stage: str


def keyword_classify(text: str, label_set: LabelSet) -> Verdict:
    """A stand-in classifier: right only when the set has examples (a keyword table)."""
    if "hi" in text and "hello" not in text:
        raise EngineError("the model ran out of memory")
    if not any(label_set.examples.values()):
        return Verdict(label_set.labels[0], "grammar")
    table = {"hello": "greeting", "money": "balance", "plane": "book flight"}
    return Verdict(next(v for k, v in table.items() if k in text), "embedding")


def fake_detect(text: str) -> list[tuple[str, int, int]]:
    found = []
    if "a@b.example" in text:
        start = text.index("a@b.example")
        found.append(("EMAIL", start, start + len("a@b.example")))
    if "12345" in text:
        start = text.index("12345")
        found.append(("PHONE", start, start + 5))
    return found


@contextmanager
def fake_index(rag_set: Any) -> Iterator[Search]:
    """Ranks documents by shared words; Korean finds nothing."""
    texts = {p.name: set(p.read_text("utf-8").lower().split()) for p in rag_set.folder.iterdir()}

    def search(question: str, k: int) -> list[tuple[str, float]]:
        words = set(question.lower().rstrip("?").split())
        ranked = sorted(((len(words & t) / 10, n) for n, t in texts.items()), reverse=True)
        return [(n, s) for s, n in ranked if s > 0][:k]

    yield search


def test_evaluate_runs_every_set_through_the_doors(folder: Path) -> None:
    said: list[str] = []
    calls: list[str] = []

    def recording(text: str, label_set: LabelSet) -> Verdict:
        calls.append(text)
        return keyword_classify(text, label_set)

    report = evaluate(
        load_folder(folder),
        FrontDoors(classify=recording, detect=fake_detect, open_index=fake_index),
        say=said.append,
    )
    rows = {(r.set, r.metric): r for r in report.rows}
    zero = rows[("intent_en_tiny (zero-shot)", "accuracy")]
    assert zero.n == 4 and zero.score == 0.25  # "greeting" for all; "hi!" failed
    assert zero.stages == {"grammar": 3, "error": 1}
    shot = rows[("intent_en_tiny (1-shot)", "accuracy")]
    assert shot.score == 0.75 and shot.stages == {"embedding": 3, "error": 1}
    assert "greeting 0.50" in shot.detail
    recall = rows[("pii_dev", "recall")]
    assert recall.n == 3 and recall.score == pytest.approx(2 / 3)
    assert recall.detail == "EMAIL 2/2, PHONE 0/1"
    masked = rows[("pii_dev", "words masked")]
    assert masked.n == 5 and masked.score == pytest.approx(1 / 5)
    assert "hard negatives flagged 1/1 (any span masked: 1)" in masked.detail
    assert masked.details["hard_negatives_masked"] == [{"id": "order numb", "masked": ["12345"]}]
    assert rows[("rag_tiny (en)", "hit@3")].score == 1.0
    assert rows[("rag_tiny (ko)", "hit@3")].score == 0.0
    assert rows[("rag_tiny (all)", "hit@3")].n == 3
    unanswerable = rows[("rag_tiny (unanswerable)", "top score p50")]
    assert unanswerable.n == 1 and unanswerable.score == pytest.approx(0.1)  # "hive"
    assert any("classifying 4 lines" in line for line in said)
    assert calls.count("hello there") == 4 and len(calls) == 10  # one warm-up per mode


def test_a_failing_warm_up_is_not_counted(folder: Path) -> None:
    path = folder / "intent_en_tiny_dev.jsonl"
    path.write_text("\n".join(reversed(path.read_text("utf-8").splitlines())) + "\n", "utf-8")
    report = evaluate(load_folder(folder, ("intent",)), FrontDoors(classify=keyword_classify))
    assert [(r.n, dict(r.stages)) for r in report.rows] == [
        (4, {"grammar": 3, "error": 1}),
        (4, {"embedding": 3, "error": 1}),
    ]
    assert report.verified_files == 0 and report.seconds >= 0


def test_limit_takes_the_first_lines_of_each_file(folder: Path) -> None:
    report = evaluate(
        load_folder(folder),
        FrontDoors(classify=keyword_classify, detect=fake_detect, open_index=fake_index),
        limit=2,
    )
    ns = {(r.set, r.metric): r.n for r in report.rows}
    assert ns[("intent_en_tiny (zero-shot)", "accuracy")] == 2
    assert ns[("pii_dev", "recall")] == 3  # entities of the first 2 lines
    assert ns[("rag_tiny (en)", "hit@3")] == 2  # one language: no "all" row
    assert ("rag_tiny (all)", "hit@3") not in ns


def test_missing_door_skips_its_sets(folder: Path) -> None:
    report = evaluate(load_folder(folder), FrontDoors(detect=fake_detect))
    assert {r.kind for r in report.rows} == {"pii"}


def test_table_and_json_round_trip(folder: Path) -> None:
    report = evaluate(
        load_folder(folder),
        FrontDoors(classify=keyword_classify, detect=fake_detect, open_index=fake_index),
    )
    table = report.table()
    lines = table.splitlines()
    assert lines[0].split()[:4] == ["set", "n", "metric", "score"]
    assert len(lines) == 1 + len(report.rows)
    assert "intent_en_tiny (1-shot)" in table and "embedding:3 error:1" in table
    data = json.loads(json.dumps(report.to_dict()))
    again = Report.from_dict(data).table().splitlines()  # the same, but for ms rounding
    assert [line.split()[:6] for line in again] == [line.split()[:6] for line in lines]
    assert [line.split("  ")[-1] for line in again] == [line.split("  ")[-1] for line in lines]
    assert all(0.0 <= row["score"] <= 1.0 for row in data["rows"])


def test_render_table_aligns_numbers() -> None:
    rows = Report.from_dict(
        {
            "data": "x",
            "verified_files": 0,
            "seconds": 1.0,
            "rows": [
                {
                    "set": "a",
                    "kind": "pii",
                    "n": 5,
                    "metric": "recall",
                    "score": 0.5,
                    "ms_p50": 1.234,
                },
                {"set": "long name", "kind": "pii", "n": 120, "metric": "recall", "score": 1.0},
            ],
        }
    ).rows
    lines = render_table(rows).splitlines()
    assert lines[1].split() == ["a", "5", "recall", "0.50", "1.2", "-", "-", "-"]
    assert len({line.index("recall") for line in lines[1:]}) == 1  # columns line up
    assert (
        len({line.index(" 0.50") + 5 for line in lines[1:2]} | {lines[2].index(" 1.00") + 5}) == 1
    )


def test_relative_name(tmp_path: Path) -> None:
    assert relative_name(str(tmp_path / "a" / "b.txt"), tmp_path) == "a/b.txt"
    assert relative_name("/elsewhere/c.txt", tmp_path) == "c.txt"


def test_cli_refuses_a_missing_folder_in_one_sentence(tmp_path: Path) -> None:
    line = one_line_error(aurora("eval", "--data", str(tmp_path / "nowhere")))
    assert "is not a folder" in line


def test_cli_refuses_a_bad_line_and_a_bad_only(folder: Path) -> None:
    (folder / "pii_dev.jsonl").write_text('{"text": "x"\n', "utf-8")
    line = one_line_error(aurora("eval", "--data", str(folder), "--only", "pii"))
    assert "pii_dev.jsonl line 1 is not valid JSON" in line
    line = one_line_error(aurora("eval", "--data", str(folder), "--only", "intent,weather"))
    assert "--only takes intent, pii, rag" in line
    line = one_line_error(aurora("eval", "--data", str(folder), "--limit", "0"))
    assert "--limit" in line


def test_vendored_sets_match_their_manifest() -> None:
    vendored = Path(__file__).resolve().parents[2] / "bench" / "eval-data"
    data = load_folder(vendored)
    listed = json.loads((vendored / "MANIFEST.json").read_text("utf-8"))["sha256_16"]
    assert data.verified == len(listed) == 41  # every file but README.md and MANIFEST.json
    assert len(data.intents) == 4 and all(s.examples for s in data.intents)
    assert [s.name for s in data.pii] == ["pii_dev"] and [s.name for s in data.rag] == ["rag_dev"]


def test_default_folder_needs_data_when_none_is_beside_aurora(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aurora_desktop.cli import eval_cmd

    monkeypatch.setattr(eval_cmd, "DEFAULT_FOLDERS", (tmp_path / "a", tmp_path / "b"))
    with pytest.raises(ConfigError, match="pass --data DIR"):
        eval_cmd.default_folder()
    (tmp_path / "b").mkdir()
    assert eval_cmd.default_folder() == tmp_path / "b"
    (tmp_path / "a").mkdir()
    assert eval_cmd.default_folder() == tmp_path / "a"
