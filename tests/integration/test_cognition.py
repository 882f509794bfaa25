"""Cognition with the real models: the two-stage classifier, `aurora ask` with no task,
schema-valid extraction, and the verify → repair → cloud ladder against a real HTTP peer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from aurora_desktop.app.wiring import Core, build_core
from aurora_desktop.core.contract import Request
from aurora_desktop.core.paths import AuroraHome
from tests.support.cli import aurora
from tests.support.openai_stub import OpenAIStub, StubReply, serve_openai_stub

pytestmark = [pytest.mark.integration, pytest.mark.model]
INVOICE_SCHEMA = {
    "type": "object",
    "properties": {
        "sender": {"type": "string"},
        "invoice": {"type": "string"},
        "amount": {"type": "number"},
        "currency": {"type": "string"},
    },
    "required": ["sender", "invoice", "amount", "currency"],
}
INVOICE = (
    "Hello, this is Anna Berg (anna.berg@example.com) from Nordic Supplies. "
    "Invoice INV-2291 for 480 EUR is due on 2026-06-01."
)
ENGLISH = [  # (text, label set, expected)
    ("Hey, good morning to you!", "intent", "greeting"),
    ("Thanks so much, that was really helpful", "intent", "thanks"),
    ("I was billed twice for the same order", "support", "billing"),
    ("The app crashes every time I open it", "support", "technical"),
    ("My package still has not arrived", "support", "shipping"),
    ("Summarize this report in two sentences", "task", "summarize"),
    ("Write a long essay about the history of rice", "task", "generate_long"),
    ("Extract the dates and names from this email", "task", "extract"),
]
KOREAN = [
    ("안녕하세요, 좋은 아침이에요", "intent", "greeting"),
    ("도와주셔서 정말 고맙습니다", "intent", "thanks"),
    ("배송이 또 늦었어요, 너무 화가 나요", "intent", "complaint"),
    ("카드 결제가 두 번 됐어요", "support", "billing"),
    ("택배가 아직 도착하지 않았어요", "support", "shipping"),
    ("앱이 실행하자마자 꺼져요", "support", "technical"),
]


@pytest.fixture
def home(full_home: AuroraHome) -> AuroraHome:
    return full_home


@pytest.fixture
def core(home: AuroraHome) -> Iterator[Core]:
    built = build_core()
    yield built
    assert built.close()


def test_english_and_korean_each_through_their_encoder(core: Core) -> None:
    classifier = core.classifier
    results = []
    for text, label_set, expected in ENGLISH + KOREAN:
        got = classifier.label(text, label_set=label_set)
        results.append((text, expected, got.label, got.stage, got.ms, got.encoder))
    print("\n".join(f"{stage:9} {ms:7.1f} ms {enc:>12} {exp:>13} → {got}  {t}"
                    for t, exp, got, stage, ms, enc in results))  # fmt: skip
    english = results[: len(ENGLISH)]
    korean = results[len(ENGLISH) :]
    assert all(enc == "latin" for *_, enc in english)  # MiniLM
    assert all(enc == "multilingual" for *_, enc in korean)  # USE-m3: no longer the LLM alone
    for part in (english, korean):
        assert sum(stage == "embedding" for *_, stage, _, _ in part) >= len(part) // 2
        assert sum(exp == got for _, exp, got, *_ in part) >= len(part) - 1
    every = {label for s in ("intent", "support") for label in classifier.labels_of(s)}
    assert all(got in every for _, _, got, *_ in korean)


def test_hi_there_with_no_task_is_intent_answered_locally(home: AuroraHome) -> None:
    proc = aurora("ask", "--json", "--max-tokens", "40", "Hi there!")
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["task"] == "intent" and answer["target"] == "local"
    assert answer["label"] == "greeting"
    assert answer["classified_by"].startswith("task embedding")
    assert answer["text"].strip() and answer["verified"] is True


def test_extract_with_a_schema_file_returns_valid_json(home: AuroraHome, tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(INVOICE_SCHEMA), encoding="utf-8")
    proc = aurora("ask", "--task", "extract", "--schema", str(schema), INVOICE)
    assert proc.returncode == 0, proc.stderr
    value = json.loads(proc.stdout)
    jsonschema.validate(value, INVOICE_SCHEMA)
    assert "INV-2291" in value["invoice"]  # field accuracy is scored by the league
    assert "verified" in proc.stderr


def test_bad_schema_file_is_one_sentence(home: AuroraHome, tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text("{not json", encoding="utf-8")
    proc = aurora("ask", "--task", "extract", "--schema", str(schema), INVOICE)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "is not valid JSON" in proc.stderr


@pytest.fixture
def stand_in(core: Core) -> Iterator[OpenAIStub]:
    from aurora_desktop.core.providers.registry import ProviderConfig

    good = json.dumps(
        {"sender": "Anna Berg", "invoice": "INV-2291", "amount": 480, "currency": "EUR"}
    )
    with serve_openai_stub(default=StubReply.sse(good)) as stub:
        core.providers.add(
            ProviderConfig(name="standin", base_url=stub.base_url, model="big"), None
        )
        core.consents.grant("cloud.send:standin")
        yield stub


def test_truncated_local_json_is_repaired_then_escalated_to_the_cloud(
    core: Core, stand_in: OpenAIStub
) -> None:
    notes: list[str] = []
    request = Request.from_prompt(
        INVOICE, task="extract", json_schema=INVOICE_SCHEMA, max_tokens=6, temperature=0.0
    )
    response = core.conductor.answer(request, on_note=notes.append)
    assert response.verified is True and response.target == "cloud"
    assert [line.split(" (")[0] for line in response.attempts] == [
        "1 first try",
        "2 retry with the problem pointed out",
        "3 escalated to cloud://standin",
    ]
    assert "failed" in response.attempts[0] and "local" in response.attempts[0]
    assert stand_in.chat_count == 1
    sent = stand_in.chat_requests[0].text
    assert "anna.berg@example.com" not in sent and "<EMAIL_1>" in sent
    assert json.loads(response.text)["invoice"] == "INV-2291"
    counts = core.metrics.verification_counts()
    assert counts == {"checked": 3, "passed": 1, "retried_requests": 1}


def test_high_risk_stays_local_and_is_flagged_best_effort(core: Core, stand_in: OpenAIStub) -> None:
    request = Request.from_prompt(
        INVOICE, task="extract", json_schema=INVOICE_SCHEMA, max_tokens=6, risk="high"
    )
    response = core.conductor.answer(request)
    assert stand_in.chat_count == 0
    assert response.target == "local" and response.verified is False
    assert "Unverified" in response.why and len(response.attempts) == 2


DOCS = {
    "harbor.txt": "The Seogwipo harbor festival takes place every year on the second weekend of "
    "October. Fishing boats are decorated with lanterns and the mackerel auction opens at 6 am.",
    "garden.md": "# Rooftop garden\nThe rooftop garden on building C is watered every Tuesday "
    "and Friday. Tomatoes and basil grow in the south beds; the key is kept at reception.",
    "printer.txt": "To fix the paper jam on the third-floor printer, open tray 2, pull the green "
    "lever and remove the sheet slowly. Call extension 4410 if the jam comes back.",
}


def test_ask_with_rag_answers_from_a_document_and_cites_it(
    home: AuroraHome, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    ingest = aurora("rag", "ingest", str(docs), "--yes")
    assert ingest.returncode == 0, ingest.stderr
    proc = aurora(
        "ask", "--rag", "--json", "--max-tokens", "60",
        "Which printer lever clears the paper jam, and what extension do I call?",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["task"] == "rag" and answer["target"] == "local"
    assert Path(answer["citations"][0]["path"]).name == "printer.txt"
    assert answer["text"].strip() and answer["verified"] is True
    said = answer["text"].casefold()
    assert "green" in said or "4410" in said, answer["text"]
    plain = aurora("ask", "--rag", "--max-tokens", "40", "When is the harbor festival?")
    assert plain.returncode == 0, plain.stderr
    assert "harbor.txt" in plain.stderr  # the citation list under the answer


def test_ask_with_rag_and_nothing_indexed_says_what_to_do(home: AuroraHome) -> None:
    proc = aurora("ask", "--rag", "When is the harbor festival?")
    assert proc.returncode == 1
    assert "run 'aurora rag ingest FOLDER' first" in proc.stderr
    assert proc.stderr.count("\n") == 1
