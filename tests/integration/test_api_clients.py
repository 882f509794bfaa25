"""The local API with the official clients: the `openai` SDK and the `ollama` client.

A real uvicorn on 127.0.0.1 (ApiServer with build_api), a data folder with SmolLM2, MiniLM
and USE-m3 installed, and real keys. The cloud, when a test needs one, is the recording
stand-in on 127.0.0.1 (tests/support/openai_stub.py). Every wait is bounded in count and
time.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np
import ollama
import openai
import pytest
from starlette.exceptions import HTTPException

from aurora_desktop.app.wiring import Core, build_core
from aurora_desktop.core.contract import MAX_KEEP_ALIVE_S
from aurora_desktop.core.errors import (
    CancelledError,
    ConsentDenied,
    EngineError,
    MaskingError,
    PolicyDenied,
    ProviderUnavailableError,
    RequestError,
)
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.policy.consent import ConsentAnswer, ConsentReply, ConsentRequest
from aurora_desktop.core.providers.registry import ProviderConfig
from aurora_desktop.core.routing.policy import DEFAULT_POLICY
from aurora_desktop.server.gateway import StopFilter, cut_at_stop, model_ref, status_of
from aurora_desktop.server.ollama_api import keep_alive_seconds
from aurora_desktop.server.openai_api import response_schema
from aurora_desktop.server.options import ApiOptions
from aurora_desktop.server.runner import ApiServer
from tests.support.llama_server import free_port
from tests.support.openai_stub import OpenAIStub, StubReply, serve_openai_stub

pytestmark = pytest.mark.integration

WAIT_S = 30.0  # the longest any wait for the server's state may take
CLIENT_TIMEOUT_S = 180.0  # one answer of the small model on a busy 2-core machine
APP = "notes editor"
CHAT = {"x-aurora-task": "chat"}  # most tests skip the intent classifier's time
EMAIL, PHONE = "kim.minsu@example.com", "010-1234-5678"


@dataclass
class Api:
    core: Core
    url: str
    token: str
    asked: list[ConsentRequest] = field(default_factory=list)

    def openai(self, token: str | None = None) -> openai.OpenAI:
        return openai.OpenAI(
            base_url=f"{self.url}/v1",
            api_key=token or self.token,
            max_retries=0,
            timeout=CLIENT_TIMEOUT_S,
        )

    def ollama(self) -> ollama.Client:
        return ollama.Client(
            host=self.url,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=CLIENT_TIMEOUT_S,
        )

    @property
    def default_model(self) -> str:
        return self.core.local.model_name

    def loaded(self) -> list[Any]:
        return [s for s in self.core.scheduler.snapshot() if s.state == "loaded"]


def wait_until(check: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    for _ in range(int(timeout / 0.05) + 1):
        if check():
            return True
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return check()


@contextlib.contextmanager
def running_api(reply: ConsentAnswer = ConsentAnswer.DENY) -> Iterator[Api]:
    asked: list[ConsentRequest] = []

    def ask(request: ConsentRequest) -> ConsentReply:
        asked.append(request)
        return ConsentReply(reply)

    core = build_core(ask=ask)
    _, token = core.api_keys.create(APP, ["chat", "embeddings", "models"])
    server = ApiServer(core, core.api_keys, ApiOptions(port=free_port()))
    try:
        url = server.start()
        yield Api(core, url, token, asked)
    finally:
        assert server.stop(), "the API server's thread did not stop"
        core.close()


@pytest.fixture
def api(full_home: AuroraHome) -> Iterator[Api]:
    with running_api() as running:
        yield running


@pytest.fixture
def cloud_api(full_home: AuroraHome) -> Iterator[tuple[Api, OpenAIStub]]:
    """The API with a cloud provider (the recording stand-in); consent is asked, and allowed."""
    with serve_openai_stub() as stub, running_api(ConsentAnswer.ALLOW_ONCE) as running:
        running.core.providers.add(
            ProviderConfig(name="recorder", base_url=stub.base_url, model="m"), None
        )
        yield running, stub


# -- the openai SDK ------------------------------------------------------------------------------


def test_openai_chat_whole_and_streamed(api: Api) -> None:
    client = api.openai()
    raw = client.chat.completions.with_raw_response.create(
        model="aurora/auto",
        messages=[{"role": "user", "content": "Say hello to Ada in one short sentence."}],
        max_tokens=24,
        temperature=0.0,
    )
    completion = raw.parse()
    text = completion.choices[0].message.content
    assert text and text.strip()
    assert completion.choices[0].finish_reason in ("stop", "length")
    assert completion.usage is not None and completion.usage.completion_tokens > 0
    assert raw.headers["x-aurora-route"] == "local"  # no cloud provider is configured
    assert raw.headers["x-aurora-rule"] and raw.headers["x-aurora-masked"] == "none"
    (row,) = api.core.decisions.entries(app=APP)  # the ledger names the calling app
    assert row["target"] == "local"

    pieces: list[str] = []
    finish: list[str | None] = []
    usage = []
    stream = client.chat.completions.create(
        model=api.default_model,
        messages=[{"role": "user", "content": "Name three colours of the rainbow."}],
        max_tokens=24,
        temperature=0.0,
        stream=True,
        stream_options={"include_usage": True},
        extra_headers=CHAT,
    )
    for chunk in stream:
        if chunk.usage is not None:
            usage.append(chunk.usage)
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
            finish.append(choice.finish_reason)
    assert "".join(pieces).strip()
    assert finish[-1] in ("stop", "length") and len(pieces) > 2  # token by token
    assert len(usage) == 1 and usage[0].completion_tokens > 0


def test_openai_response_format_json_schema_is_valid_json(api: Api) -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "city": {"type": "string"}},
        "required": ["name", "city"],
        "additionalProperties": False,
    }
    completion = api.openai().chat.completions.create(
        model="aurora/auto",
        messages=[{"role": "user", "content": "Ada Lovelace lived in London."}],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "person", "schema": schema, "strict": True},
        },
        max_tokens=64,
    )
    data = json.loads(completion.choices[0].message.content or "")
    assert set(data) == {"name", "city"} and all(isinstance(v, str) for v in data.values())
    json_object = api.openai().chat.completions.create(
        model="aurora/auto",
        messages=[{"role": "user", "content": "Ada Lovelace lived in London."}],
        response_format={"type": "json_object"},
        max_tokens=64,
    )
    assert isinstance(json.loads(json_object.choices[0].message.content or ""), dict)


def test_openai_completions_and_stop(api: Api) -> None:
    asked = {
        "model": "aurora/auto",
        "prompt": "Count from one to ten in words, separated by commas.",
        "max_tokens": 48,
        "temperature": 0.0,
        "extra_headers": CHAT,
    }
    whole = api.openai().completions.create(**asked).choices[0]
    assert "\n" in whole.text.strip()  # the model writes several lines
    cut = api.openai().completions.create(**asked, stop=["\n"]).choices[0]
    assert cut.text.strip() and "\n" not in cut.text and cut.finish_reason == "stop"
    assert whole.text.startswith(cut.text)
    streamed = "".join(
        c.choices[0].text
        for c in api.openai().completions.create(**asked, stop="\n", stream=True)
        if c.choices
    )
    assert streamed == cut.text


def test_openai_embeddings(api: Api) -> None:
    client = api.openai()
    one = client.embeddings.create(model="all-minilm-l6-v2-int8", input="The cat sat.")
    assert len(one.data) == 1 and len(one.data[0].embedding) == 384  # base64 by default
    many = client.embeddings.create(
        model="aurora/auto", input=["The cat sat.", "Stocks fell."], encoding_format="float"
    )
    assert [d.index for d in many.data] == [0, 1]
    first = np.array(one.data[0].embedding)
    assert np.allclose(first, np.array(many.data[0].embedding), atol=1e-5)
    assert abs(np.linalg.norm(first) - 1.0) < 1e-3


def test_an_encoder_that_is_not_installed_is_a_404_not_a_download(model_home: AuroraHome) -> None:
    with running_api() as api:
        with pytest.raises(openai.NotFoundError, match="not installed"):
            api.openai().embeddings.create(model="all-minilm-l6-v2-int8", input="hi")
        with pytest.raises(ollama.ResponseError, match="not Aurora's") as unknown:
            api.ollama().embed(model="nomic-embed-text", input="hi")
        assert unknown.value.status_code == 404
        assert api.core.store.active("all-minilm-l6-v2-int8") is None


def test_openai_error_classes(api: Api) -> None:
    with pytest.raises(openai.AuthenticationError):
        api.openai("not-a-key").chat.completions.create(
            model="aurora/auto", messages=[{"role": "user", "content": "hi"}]
        )
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
    with pytest.raises(openai.BadRequestError, match="cannot call tools"):
        api.openai().chat.completions.create(
            model="aurora/auto", messages=[{"role": "user", "content": "hi"}], tools=[tool]
        )
    with pytest.raises(openai.BadRequestError, match="max_tokens"):
        api.openai().chat.completions.create(
            model="aurora/auto", messages=[{"role": "user", "content": "hi"}], max_tokens=0
        )
    with pytest.raises(openai.NotFoundError, match="not installed"):
        api.openai().chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )
    assert list(api.core.decisions.entries()) == []  # nothing ran for a refused request


# -- the ollama client ----------------------------------------------------------------------------


def test_ollama_chat_generate_embed(api: Api) -> None:
    client = api.ollama()
    chat = client.chat(
        model=api.default_model,
        messages=[{"role": "user", "content": "Say hello in one short sentence."}],
        options={"num_predict": 24, "temperature": 0},
        stream=False,
    )
    assert chat.message.content and chat.done and chat.eval_count
    pieces = [
        part.message.content or ""
        for part in client.chat(
            model=f"{api.default_model}:latest",
            messages=[{"role": "user", "content": "Say hello in one short sentence."}],
            options={"num_predict": 24, "temperature": 0},
            stream=True,
        )
    ]
    assert len(pieces) > 2 and "".join(pieces) == chat.message.content  # the same, streamed
    generated = client.generate(
        model="aurora/auto",
        prompt="Write one word that means happy.",
        system="Answer with one word.",
        options={"num_predict": 8},
    )
    assert generated.response and generated.done_reason in ("stop", "length")
    embedded = client.embed(model="all-minilm-l6-v2-int8", input=["a cat", "a dog"])
    assert len(embedded.embeddings) == 2 and len(embedded.embeddings[0]) == 384
    with pytest.raises(ollama.ResponseError, match="cannot call tools") as refused:
        client.chat(
            model=api.default_model,
            messages=[{"role": "user", "content": "hi"}],
            tools=[{"type": "function", "function": {"name": "f", "parameters": {}}}],
        )
    assert refused.value.status_code == 400


def test_ollama_keep_alive_per_request(api: Api) -> None:
    client = api.ollama()
    name = api.default_model
    client.chat(
        model=name, messages=[{"role": "user", "content": "Hi"}],
        options={"num_predict": 4}, keep_alive="5m", stream=False,
    )  # fmt: skip
    (state,) = api.loaded()
    assert state.ttl_s == 300.0
    client.generate(model=name, prompt="Hi", options={"num_predict": 4}, keep_alive=0, stream=False)
    assert wait_until(lambda: not api.loaded()), "keep_alive 0 did not unload the model"
    loaded = client.generate(model=name, keep_alive="1h")  # no prompt: load it, as Ollama does
    assert loaded.done_reason == "load" and [s.ttl_s for s in api.loaded()] == [3600.0]
    assert client.generate(model=name, keep_alive=0).done_reason == "unload"
    assert wait_until(lambda: not api.loaded())


# -- a client that goes away ------------------------------------------------------------------


def test_a_disconnect_mid_stream_stops_the_generation(api: Api) -> None:
    body = {
        "model": api.default_model,
        "messages": [{"role": "user", "content": "Write a very long story about the sea."}],
        "max_tokens": 4000,
        "stream": True,
    }
    headers = {"Authorization": f"Bearer {api.token}", **CHAT}
    events = 0
    with (
        httpx.Client(timeout=CLIENT_TIMEOUT_S) as http,
        http.stream("POST", f"{api.url}/v1/chat/completions", json=body, headers=headers) as r,
    ):
        assert r.status_code == 200
        for line in r.iter_lines():
            events += line.startswith("data: ")
            if events >= 6:
                break  # leaves the block: the connection closes mid-stream
    assert events >= 6
    assert wait_until(lambda: not api.core.metrics.live.snapshot(), 20.0), "still generating"
    assert wait_until(lambda: all(s.refs == 0 for s in api.core.scheduler.snapshot()), 20.0)
    assert wait_until(lambda: len(list(api.core.decisions.entries())) == 1, 20.0)
    (row,) = api.core.decisions.entries()
    assert row["outcome"] == "cancelled" and row["tokens_out"] < 4000
    # the engine is free: the next request is answered at once
    again = api.openai().chat.completions.create(
        model=api.default_model, messages=[{"role": "user", "content": "Hi"}], max_tokens=4,
        extra_headers=CHAT,
    )  # fmt: skip
    assert again.choices[0].finish_reason in ("stop", "length")


def test_a_client_that_stops_waiting_stops_a_whole_answer(api: Api) -> None:
    """Not streamed: the client gives up (its read timeout) and the generation stops."""
    body = {
        "model": api.default_model,
        "messages": [{"role": "user", "content": "Write a very long story about the sea."}],
        "max_tokens": 4000,
        "stream": False,
    }
    headers = {"Authorization": f"Bearer {api.token}", **CHAT}
    with pytest.raises(httpx.ReadTimeout), httpx.Client(timeout=httpx.Timeout(3.0)) as http:
        http.post(f"{api.url}/api/chat", json=body, headers=headers)
    assert wait_until(lambda: len(list(api.core.decisions.entries())) == 1, 30.0)
    (row,) = api.core.decisions.entries()
    assert row["outcome"] == "cancelled" and row["tokens_out"] < 4000
    assert wait_until(lambda: all(s.refs == 0 for s in api.core.scheduler.snapshot()), 20.0)


# -- the cloud: risk, masking, consent -----------------------------------------------------------


def test_high_risk_never_reaches_the_cloud(cloud_api: tuple[Api, OpenAIStub]) -> None:
    api, stub = cloud_api
    raw = api.openai().chat.completions.with_raw_response.create(
        model="aurora/auto",
        messages=[{"role": "user", "content": f"Summarise my account {EMAIL}."}],
        max_tokens=16,
        extra_headers={**CHAT, "x-aurora-risk": "high"},
    )
    assert raw.headers["x-aurora-route"] == "local" and raw.headers["x-aurora-rule"] == "1"
    risky = ollama.Client(
        host=api.url,
        headers={"Authorization": f"Bearer {api.token}", "x-aurora-risk": "high", **CHAT},
        timeout=CLIENT_TIMEOUT_S,
    )
    pieces = risky.chat(
        model="aurora/auto",
        messages=[{"role": "user", "content": f"Call me on {PHONE}."}],
        options={"num_predict": 8},
        stream=True,
    )
    assert "".join(p.message.content or "" for p in pieces)
    with httpx.Client(timeout=CLIENT_TIMEOUT_S) as http:  # the same as body fields
        answered = http.post(
            f"{api.url}/api/chat",
            json={
                "model": "aurora/auto",
                "risk": "high",
                "task": "chat",
                "stream": False,
                "messages": [{"role": "user", "content": "Hello"}],
                "options": {"num_predict": 8},
            },
            headers={"Authorization": f"Bearer {api.token}"},
        )
    assert answered.status_code == 200 and answered.headers["x-aurora-route"] == "local"
    assert answered.json()["aurora"]["rule"] == 1
    rows = list(api.core.decisions.entries())
    assert len(rows) == 3 and {(r["risk"], r["target"]) for r in rows} == {("high", "local")}
    tight = api.openai().chat.completions.with_raw_response.create(
        model="aurora/auto",
        messages=[{"role": "user", "content": "Hello"}],
        max_tokens=4,
        extra_headers={**CHAT, "x-aurora-slo-ms": "500"},
    )
    assert tight.headers["x-aurora-route"] == "local" and tight.headers["x-aurora-rule"] == "3"
    assert stub.requests == [] and api.asked == []  # nothing reached the stand-in


def test_denied_consent_names_the_app_and_nothing_leaves(full_home: AuroraHome) -> None:
    """The policy's default route is the cloud with no fallback: "no" is a 403 the clients
    raise, in each one's dialect; the app was named each time it was asked."""
    policy = {**DEFAULT_POLICY, "defaults": {"target": "cloud", "fallback": "none"}}
    full_home.router_file.write_text(json.dumps(policy), encoding="utf-8")
    with serve_openai_stub() as stub, running_api(ConsentAnswer.DENY) as api:
        api.core.providers.add(
            ProviderConfig(name="recorder", base_url=stub.base_url, model="m"), None
        )
        ask = [{"role": "user", "content": f"Write to {EMAIL}."}]
        with pytest.raises(openai.PermissionDeniedError, match=r"Consent for cloud\.send"):
            api.openai().chat.completions.create(
                model="aurora/auto", messages=ask, max_tokens=8, extra_headers=CHAT
            )
        with pytest.raises(ollama.ResponseError, match=r"Consent for cloud\.send") as refused:
            list(api.ollama().chat(model="aurora/auto", messages=ask, stream=True))
        assert refused.value.status_code == 403
        assert stub.chat_count == 0
        # each request was asked (its escalation may ask again), always naming the app
        assert len(api.asked) >= 2 and {a.app for a in api.asked} == {APP}
        assert all(EMAIL not in a.preview for a in api.asked)
        rows = list(api.core.decisions.entries(app=APP))
        assert len(rows) >= 2 and all(r["outcome"].startswith("refused") for r in rows)


def test_personal_data_leaves_as_placeholders_and_returns_restored(
    cloud_api: tuple[Api, OpenAIStub],
) -> None:
    api, stub = cloud_api
    stub.enqueue(
        StubReply.sse("I will write to ", "<EMA", "IL_1> and call <PHONE_1>", "."),
        StubReply.sse("Mail ", "<EMAIL_1>", " today."),
    )
    prompt = f"Please contact {EMAIL} or call {PHONE} about the invoice."
    raw = api.openai().chat.completions.with_raw_response.create(
        model="aurora/auto",
        messages=[{"role": "user", "content": prompt}],
        max_tokens=32,
        extra_headers=CHAT,
    )
    completion = raw.parse()
    assert completion.choices[0].message.content == f"I will write to {EMAIL} and call {PHONE}."
    assert raw.headers["x-aurora-route"] == "cloud"
    assert raw.headers["x-aurora-masked"] == "EMAIL=1,PHONE=1"
    wire = stub.chat_requests[-1].text
    assert EMAIL not in wire and PHONE not in wire
    assert "<EMAIL_1>" in wire and "<PHONE_1>" in wire
    # streamed: placeholders split across pieces are restored too
    raw_stream = api.openai().chat.completions.with_raw_response.create(
        model="aurora/auto",
        messages=[{"role": "user", "content": f"Mail {EMAIL}"}],
        stream=True,
        extra_headers=CHAT,
    )
    assert raw_stream.headers["x-aurora-route"] == "cloud"  # known at the first piece
    chunks = list(raw_stream.parse())
    pieces = [c.choices[0].delta.content or "" for c in chunks if c.choices]
    assert "".join(pieces) == f"Mail {EMAIL} today."
    facts = (chunks[-1].model_extra or {})["aurora"]  # the last chunk says where and why
    assert facts["route"] == "cloud" and facts["masked"] == {"EMAIL": 1}
    assert EMAIL not in stub.chat_requests[-1].text
    # the consent dialog was asked, naming the app; the ledger names it too
    assert [a.app for a in api.asked] == [APP, APP]
    assert EMAIL not in api.asked[0].preview
    assert {r["app"] for r in api.core.decisions.entries()} == {APP}


# -- the parts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pieces", "stop", "shown"),
    [
        (["Hello", " wor", "ld"], [], "Hello world"),
        (["one, two"], [","], "one"),
        (["one", "\n", "two"], ["\n"], "one"),
        (["ab", "cE", "ND more"], ["END"], "abc"),  # a stop split across pieces
        (["a <", "b"], ["<x>"], "a <b"),  # a held beginning that was not a stop
        (["x"], ["xy", "x"], ""),
    ],
)
def test_stop_filter(pieces: list[str], stop: list[str], shown: str) -> None:
    stops = StopFilter(stop)
    out = "".join(stops.feed(p) for p in pieces)
    text = "".join(pieces)
    # what is held back at the end comes with the Ending's tail (the text cut at the stop)
    assert cut_at_stop(text, stop).startswith(out) and cut_at_stop(text, stop) == shown


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None), (0, 0.0), (300, 300.0), ("5m", 300.0), ("1h30m", 5400.0),
        ("300ms", 0.3), ("90", 90.0), ("2.5s", 2.5), (-1, float(MAX_KEEP_ALIVE_S)),
        ("-1m", float(MAX_KEEP_ALIVE_S)), ("999h", float(MAX_KEEP_ALIVE_S)),
    ],
)  # fmt: skip
def test_keep_alive_durations(value: object, seconds: float | None) -> None:
    assert keep_alive_seconds(value) == seconds


@pytest.mark.parametrize("value", ["5 minutes", "m", True, [], "1d", "nan"])
def test_keep_alive_refuses_what_is_not_a_duration(value: object) -> None:
    with pytest.raises(HTTPException) as refused:
        keep_alive_seconds(value)
    assert refused.value.status_code == 400


def test_model_names() -> None:
    def installed() -> list[str]:
        return ["smollm2-135m-instruct"]

    assert model_ref(None, installed) == "auto" == model_ref("aurora/auto", installed)
    assert model_ref("smollm2-135m-instruct:latest", installed) == "local://smollm2-135m-instruct"
    assert model_ref("cloud://acme/big", installed) == "cloud://acme/big"
    with pytest.raises(HTTPException) as missing:
        model_ref("llama3", installed)
    assert missing.value.status_code == 404


def test_response_formats() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert response_schema(None) is None and response_schema({"type": "text"}) is None
    assert response_schema({"type": "json_object"}) == {"type": "object"}
    spec = {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    assert response_schema(spec) == schema
    for bad in ({"type": "json_schema"}, {"type": "xml"}, "json"):
        with pytest.raises(HTTPException):
            response_schema(bad)


def test_error_statuses() -> None:
    assert status_of(RequestError("x")) == 400
    assert status_of(ConsentDenied("x")) == status_of(PolicyDenied("x")) == 403
    assert status_of(MaskingError("x")) == 403 and status_of(CancelledError("x")) == 499
    assert status_of(ProviderUnavailableError("x")) == 503 and status_of(EngineError("x")) == 500
