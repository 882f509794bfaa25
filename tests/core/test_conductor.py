"""The cognition layer's decisions over fake engines: auto task, verify, repair, escalate."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from aurora_desktop.core.cognition.conductor import Conductor
from aurora_desktop.core.cognition.intent import IntentClassifier
from aurora_desktop.core.cognition.labelsets import LabelSetsFile
from aurora_desktop.core.contract import Request
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.errors import RequestError
from aurora_desktop.core.resources import resource_path
from aurora_desktop.core.routing.plan import Attempt, escalation_ladder
from aurora_desktop.core.telemetry import Telemetry
from tests.support.fake_engines import FakeCloud, FakeLocal
from tests.support.pipelines import build

SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "amount": {"type": "number"}},
    "required": ["name", "amount"],
}
GOOD_JSON = '{"name": "Anna", "amount": 480}'


def conductor(
    tmp_path: Path,
    local: FakeLocal,
    *,
    cloud: FakeCloud | None = None,
    models: Sequence[str] = ("fake-local",),
    provider: bool = True,
) -> tuple[Conductor, FakeLocal, FakeCloud, Telemetry]:
    pipeline, local, cloud = build(tmp_path, local=local, cloud=cloud, provider=provider)
    labels = LabelSetsFile(tmp_path / "labels.json", resource_path("cognition/labels.json"))
    metrics = pipeline.metrics  # one Telemetry, as the app wires it: the loop records checks

    def generate(request: Request, constraint: Constraint):  # type: ignore[no-untyped-def]
        return pipeline.run(request, constraint=constraint)

    classifier = IntentClassifier(label_sets=labels.current, embed=None, generate=generate)
    return (
        Conductor(
            pipeline=pipeline,
            classifier=classifier,
            local_models=lambda: list(models),
            metrics=metrics,
        ),
        local,
        cloud,
        metrics,
    )


def extract(prompt: str = "Anna sent invoice 480", **kwargs: object) -> Request:
    return Request.from_prompt(prompt, task="extract", json_schema=SCHEMA, **kwargs)  # type: ignore[arg-type]


def test_valid_first_answer_is_verified_with_one_try(tmp_path: Path) -> None:
    runner, local, _, metrics = conductor(tmp_path, FakeLocal(answers={"*": [GOOD_JSON]}))
    response = runner.answer(extract())
    assert response.verified is True
    assert json.loads(response.text) == {"name": "Anna", "amount": 480}
    assert len(response.attempts) == 1 and "passed" in response.attempts[0]
    assert local.constraints[0].grammar and "root" in local.constraints[0].grammar
    assert metrics.verification_counts() == {"checked": 1, "passed": 1, "retried_requests": 0}


def test_stop_keeps_the_partial_answer_without_checks_or_retries(tmp_path: Path) -> None:
    cancel = threading.Event()
    local = FakeLocal(answers={"*": ['{"name": "An']})
    runner, local, cloud, _ = conductor(tmp_path, local)

    def stop_after_first_piece(_piece: str) -> bool:
        cancel.set()  # the user pressed Stop while the answer was streaming
        return False

    response = runner.answer(extract(), on_token=stop_after_first_piece, cancel=cancel)
    assert response.text == '{"name": "An'
    assert response.verified is False and "Stopped" in response.why
    assert len(local.calls) == 1 and not cloud.sent  # no repair, no escalation
    assert len(response.attempts) == 1 and response.attempts[0].endswith(": stopped")


def test_invalid_answer_is_repaired_on_the_same_route(tmp_path: Path) -> None:
    local = FakeLocal(answers={"*": ['{"name": "Anna"}', GOOD_JSON]})
    runner, local, cloud, metrics = conductor(tmp_path, local)
    response = runner.answer(extract())
    assert response.verified is True
    assert len(local.calls) == 2 and not cloud.sent
    repair = local.calls[1].messages[-1].content
    assert "amount" in repair  # the repair prompt names what was wrong
    assert response.attempts[0].startswith("1 first try") and "failed" in response.attempts[0]
    assert metrics.verification_counts()["retried_requests"] == 1


def test_then_an_alternate_local_model_then_the_cloud(tmp_path: Path) -> None:
    local = FakeLocal(answers={"fake-local": ["nope", "still no"], "gemma": ["no json"]})
    runner, local, cloud, _ = conductor(
        tmp_path, local, cloud=FakeCloud(reply=GOOD_JSON), models=("fake-local", "gemma")
    )
    notes: list[str] = []
    response = runner.answer(extract(), on_note=notes.append)
    assert [c.model for c in local.calls] == ["auto", "auto", "local://gemma"]
    assert response.target == "cloud" and response.verified is True
    assert len(response.attempts) == 4
    assert "alternate local model local://gemma" in response.attempts[2]
    assert any("escalated to cloud://acme" in n for n in notes)
    assert len(cloud.sent) == 1


def test_high_risk_never_escalates_to_the_cloud(tmp_path: Path) -> None:
    local = FakeLocal(answers={"*": ["bad", "bad", "bad"]})
    runner, local, cloud, _ = conductor(tmp_path, local, cloud=FakeCloud(reply=GOOD_JSON))
    response = runner.answer(extract(risk="high"))
    assert not cloud.sent
    assert response.verified is False and response.target == "local"
    assert "Unverified" in response.why and "best effort" in response.why
    assert len(response.attempts) == 2


def test_local_only_switch_and_pinned_local_model_keep_it_here(tmp_path: Path) -> None:
    local = FakeLocal(answers={"*": ["bad"] * 6})
    runner, local, cloud, _ = conductor(tmp_path, local, cloud=FakeCloud(reply=GOOD_JSON))
    runner.pipeline.local_only.set()
    assert runner.answer(extract()).verified is False
    runner.pipeline.local_only.clear()
    assert runner.answer(extract(model="local://fake-local")).verified is False
    assert not cloud.sent


def test_no_provider_means_best_effort_with_the_fewest_failures(tmp_path: Path) -> None:
    local = FakeLocal(answers={"*": ["not json at all", '{"name": "Anna"}']})
    runner, *_ = conductor(tmp_path, local, provider=False)
    response = runner.answer(extract())
    assert response.verified is False
    assert response.text == '{"name": "Anna"}'  # valid JSON, one check failed: the best


def test_extract_without_a_schema_and_classify_without_labels_are_refused(
    tmp_path: Path,
) -> None:
    runner, *_ = conductor(tmp_path, FakeLocal())
    with pytest.raises(RequestError, match="--schema"):
        runner.answer(Request.from_prompt("get the date", task="extract"))
    with pytest.raises(RequestError, match="--labels"):
        runner.answer(Request.from_prompt("good?", task="classify"))


def test_auto_picks_the_task_by_grammar_and_answers_without_a_second_call(
    tmp_path: Path,
) -> None:
    # no encoder: the grammar stage answers "intent" for the task; the intent's label is only
    # added when the encoder can tell at once, so the reply is not held up by another call
    local = FakeLocal(answers={"*": [" intent", "Hello! How can I help?"]})
    runner, local, _, _ = conductor(tmp_path, local)
    response = runner.answer(Request.from_prompt("Hi there!", task="auto"))
    assert response.task == "intent" and response.label is None
    assert response.text == "Hello! How can I help?" and response.target == "local"
    assert response.classified_by.startswith("task grammar")
    assert len(local.calls) == 2
    first = local.constraints[0]
    assert first.raw_prompt and first.grammar and '"intent"' in first.grammar
    assert local.calls[0].request_id.startswith("classify-")


def test_classify_answers_with_a_label_of_the_request(tmp_path: Path) -> None:
    local = FakeLocal(answers={"*": [" shipping"]})
    runner, *_ = conductor(tmp_path, local)
    request = Request.from_prompt(
        "Where is my parcel?", task="classify", labels=("billing", "shipping")
    )
    response = runner.answer(request)
    assert response.text == "shipping" and response.label == "shipping"
    assert response.verified is True


@pytest.mark.parametrize(
    ("risk", "model", "local_only", "cloud", "kinds"),
    [
        ("low", "auto", False, "acme", ["first", "repair", "alternate", "cloud"]),
        ("medium", "auto", False, "acme", ["first", "repair", "alternate", "cloud"]),
        ("high", "auto", False, "acme", ["first", "repair", "alternate"]),
        ("low", "auto", True, "acme", ["first", "repair", "alternate"]),
        ("low", "auto", False, None, ["first", "repair", "alternate"]),
        ("low", "local://b", False, "acme", ["first", "repair"]),
        ("low", "cloud://acme", False, "acme", ["first", "repair"]),
    ],
)
def test_escalation_ladder(
    risk: str, model: str, local_only: bool, cloud: str | None, kinds: list[str]
) -> None:
    request = Request.from_prompt("x", risk=risk, model=model)  # type: ignore[arg-type]
    ladder = escalation_ladder(
        request, repairs=1, local_models=["a", "b"], cloud=cloud, local_only=local_only
    )
    assert [a.kind for a in ladder] == kinds
    alternates = [a.model for a in ladder if a.kind == "alternate"]
    expected = ["local://b"] if model == "auto" else []
    assert alternates == expected
    assert Attempt("cloud", model="cloud://acme") not in ladder or risk != "high"


def test_embedding_stage_decides_when_clearly_ahead(tmp_path: Path) -> None:
    labels = LabelSetsFile(tmp_path / "labels.json", resource_path("cognition/labels.json"))
    calls: list[Request] = []

    def embed(texts: Sequence[str]) -> np.ndarray:
        # a toy encoder: greetings point one way, everything else another
        rows = [[1.0, 0.0] if any(w in t.lower() for w in ("hi", "hello")) else [0.0, 1.0]
                for t in texts]  # fmt: skip
        return np.asarray(rows, dtype=np.float32)

    def generate(request: Request, constraint: Constraint):  # type: ignore[no-untyped-def]
        calls.append(request)
        raise AssertionError("the grammar stage should not run")

    classifier = IntentClassifier(label_sets=labels.current, embed=embed, generate=generate)
    result = classifier.label("hello friend", labels=("greeting", "question"))
    assert result.label == "greeting" and result.stage == "embedding" and not calls


def test_auto_with_labels_classifies_without_picking_a_task(tmp_path: Path) -> None:
    local = FakeLocal(answers={"*": [" billing"]})
    runner, local, *_ = conductor(tmp_path, local)
    request = Request.from_prompt(
        "I was charged twice", task="auto", labels=("billing", "shipping")
    )
    response = runner.answer(request)
    assert response.task == "classify" and response.label == "billing"
    assert len(local.calls) == 1  # the label call only


def test_a_label_the_encoder_decides_is_one_checked_response(tmp_path: Path) -> None:
    """classify with labels, decided by the encoder alone: no LLM call, one verified try."""
    pipeline, local, cloud = build(tmp_path)
    labels = LabelSetsFile(tmp_path / "labels.json", resource_path("cognition/labels.json"))

    def embed(texts: Sequence[str]) -> np.ndarray:
        rows = [[1.0, 0.0] if any(w in t.lower() for w in ("hi", "hello")) else [0.0, 1.0]
                for t in texts]  # fmt: skip
        return np.asarray(rows, dtype=np.float32)

    def generate(request: Request, constraint: Constraint):  # type: ignore[no-untyped-def]
        raise AssertionError("the grammar stage should not run")

    classifier = IntentClassifier(label_sets=labels.current, embed=embed, generate=generate)
    runner = Conductor(
        pipeline=pipeline, classifier=classifier, local_models=lambda: ["fake-local"],
        metrics=pipeline.metrics,
    )  # fmt: skip
    request = Request.from_prompt("hello friend", task="classify", labels=("greeting", "question"))
    response = runner.answer(request)
    assert response.text == response.label == "greeting"
    assert response.verified is True and response.engine == "onnxruntime"
    assert response.task == "classify" and response.request_id == request.request_id
    assert len(response.attempts) == 1 and "passed" in response.attempts[0]
    assert not local.calls and not cloud.sent
    assert pipeline.metrics.verification_counts()["checked"] == 1
