"""The cloud path for real: a real llama.cpp server and a scriptable stub, both on 127.0.0.1.

The real server (`python -m llama_cpp.server` with SmolLM2) proves streaming, byte counts
and a mid-stream crash; the stub (tests/support/openai_stub.py) scripts 429, 5xx,
Retry-After, hangs and drops, and counts every request so "no retry" is checked, not hoped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import GenerationResult
from aurora_desktop.core.engines.cloud import CloudEngine
from aurora_desktop.core.errors import ProviderError, ProviderUnavailableError
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.providers.breaker import CircuitBreaker
from aurora_desktop.core.providers.openai_compat import parse_retry_after
from aurora_desktop.core.providers.registry import ProviderConfig
from tests.support.llama_server import LlamaServer, free_port, run_llama_server
from tests.support.openai_stub import StubReply, serve_openai_stub

pytestmark = pytest.mark.integration

QUESTION = (
    Message("system", "You are a helpful assistant."),
    Message("user", "Name three colours of the rainbow."),
)
STORY = (
    Message(
        "user", "Write a very long story about a lighthouse keeper and the sea, with many chapters."
    ),
)
KEY = "sk-test-1f2e3d4c5b6a79880123456789abcdef"
RESULT_WAIT_S = 60.0

MakeEngine = Callable[..., CloudEngine]


class CountingTransport(httpx.HTTPTransport):
    """The real transport, counting the requests that went out through it."""

    def __init__(self) -> None:
        super().__init__()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return super().handle_request(request)


@pytest.fixture(scope="module")
def gguf(seeded_home: AuroraHome) -> Path:
    return next(seeded_home.models.rglob("*.gguf"))


@pytest.fixture(scope="module")
def llama(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """One real server for the module (tests that kill a server start their own)."""
    with run_llama_server(gguf, log_dir=tmp_path_factory.mktemp("llama-server")) as server:
        yield server


@pytest.fixture
def make_engine() -> Iterator[MakeEngine]:
    made: list[CloudEngine] = []

    def make(
        base_url: str,
        *,
        key: str | None = None,
        timeout_s: float = 10.0,
        max_retries: int = 2,
        breaker: CircuitBreaker | None = None,
        transport: httpx.BaseTransport | None = None,
        model: str = "smollm2",
    ) -> CloudEngine:
        config = ProviderConfig(
            name="testcloud",
            base_url=base_url,
            model=model,
            timeout_s=timeout_s,
            max_retries=max_retries,
        )
        engine = CloudEngine(config, key, breaker=breaker, transport=transport)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        assert engine.close(10.0), "a cloud engine's worker did not stop"


def ask(
    engine: CloudEngine,
    messages: tuple[Message, ...] = QUESTION,
    *,
    max_tokens: int = 32,
    pieces: list[str] | None = None,
) -> GenerationResult:
    future = engine.generate(
        messages,
        max_tokens=max_tokens,
        temperature=0.0,
        on_token=pieces.append if pieces is not None else None,
    )
    return future.result(RESULT_WAIT_S)


def failure(engine: CloudEngine, **kwargs: object) -> tuple[Exception, float]:
    started = time.monotonic()
    with pytest.raises(ProviderError) as err:
        ask(engine, **kwargs)  # type: ignore[arg-type]
    message = str(err.value)
    assert "\n" not in message and message.endswith("."), message
    return err.value, time.monotonic() - started


# -- the real llama.cpp server ------------------------------------------------------------


def test_real_server_streams_an_answer_in_pieces(
    llama: LlamaServer, make_engine: MakeEngine
) -> None:
    engine = make_engine(llama.base_url)
    pieces: list[str] = []
    result = ask(engine, pieces=pieces)
    assert len(pieces) >= 3 and result.text == "".join(pieces) and result.text.strip()
    assert result.tokens_out > 0 and result.finish_reason in ("stop", "length")
    body = engine._client.request_body(QUESTION, max_tokens=32, temperature=0.0)
    assert result.bytes_sent == len(body)
    assert result.bytes_received > len(result.text.encode())
    assert result.ttft_ms > 0 and result.decode_ms >= 0


def test_the_real_server_receives_exactly_the_messages(
    llama: LlamaServer, make_engine: MakeEngine
) -> None:
    with serve_openai_stub(upstream=llama.root_url) as relay:  # records, then forwards
        engine = make_engine(relay.base_url)
        pieces: list[str] = []
        result = ask(engine, pieces=pieces)
        (request,) = relay.chat_requests
    assert len(pieces) >= 3 and result.tokens_out > 0
    sent = request.json()
    assert sent["messages"] == [{"role": m.role, "content": m.content} for m in QUESTION]
    assert sent["stream"] is True and sent["max_tokens"] == 32 and sent["model"] == "smollm2"
    assert result.bytes_sent == len(request.body) == int(request.headers["content-length"])
    assert "authorization" not in request.headers  # no key configured, none sent


def test_server_killed_mid_stream_is_not_retried(
    gguf: Path, tmp_path: Path, make_engine: MakeEngine
) -> None:
    transport = CountingTransport()
    with run_llama_server(gguf, log_dir=tmp_path / "doomed") as server:
        engine = make_engine(server.base_url, transport=transport, max_retries=3)
        first, killed = threading.Event(), threading.Event()

        def on_token(piece: str) -> None:
            first.set()
            killed.wait(10)  # hold the stream open until the server is gone

        future = engine.generate(STORY, max_tokens=1500, temperature=0.7, on_token=on_token)
        assert first.wait(30), "no first token from the real server"
        server.kill()
        killed.set()
        started = time.monotonic()
        with pytest.raises(ProviderUnavailableError, match="mid-answer") as err:
            future.result(RESULT_WAIT_S)
        elapsed = time.monotonic() - started
    assert elapsed < 5.0
    assert "interrupted" in str(err.value) and str(err.value).endswith(".")
    assert transport.requests == 1  # the dropped stream was not sent again


def test_nothing_listening_fails_quickly(make_engine: MakeEngine) -> None:
    transport = CountingTransport()
    engine = make_engine(f"http://127.0.0.1:{free_port()}/v1", transport=transport, max_retries=2)
    error, elapsed = failure(engine)
    assert isinstance(error, ProviderUnavailableError)
    assert "testcloud could not be reached at" in str(error) and "3 attempts" in str(error)
    assert elapsed < 5.0 and transport.requests == 3


# -- the scripted stub -------------------------------------------------------------------


def test_429_with_retry_after_waits_then_succeeds(make_engine: MakeEngine) -> None:
    with serve_openai_stub(
        StubReply.error(429, "slow down", headers={"Retry-After": "1"}), StubReply.sse("Hel", "lo")
    ) as stub:
        engine = make_engine(stub.base_url)
        started = time.monotonic()
        result = ask(engine)
        elapsed = time.monotonic() - started
        first, second = stub.chat_requests
    assert result.text == "Hello" and stub.chat_count == 2
    assert elapsed >= 1.0 and second.at - first.at >= 1.0
    assert result.bytes_sent == len(first.body) + len(second.body)


def test_retry_after_as_an_http_date(make_engine: MakeEngine) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    with serve_openai_stub(
        StubReply.error(503, headers={"Retry-After": when}), StubReply.sse("ok")
    ) as stub:
        result = ask(make_engine(stub.base_url))
        first, second = stub.chat_requests
    assert result.text == "ok" and second.at - first.at >= 0.9


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:07 GMT", now=now) == 7.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0.0  # in the past
    for junk in (None, "", "soon", "inf", "nan"):
        assert parse_retry_after(junk) is None
    assert parse_retry_after("-4") == 0.0


def test_two_server_errors_then_success(make_engine: MakeEngine) -> None:
    with serve_openai_stub(
        StubReply.error(500), StubReply.error(502), StubReply.sse("fine")
    ) as stub:
        result = ask(make_engine(stub.base_url, max_retries=2))
        bodies = [r.body for r in stub.chat_requests]
    assert result.text == "fine" and len(bodies) == 3 and len(set(bodies)) == 1
    assert result.bytes_sent == 3 * len(bodies[0])


def test_server_errors_forever_give_up_after_the_retries(make_engine: MakeEngine) -> None:
    with serve_openai_stub(default=StubReply.error(500, "boom")) as stub:
        error, elapsed = failure(make_engine(stub.base_url, max_retries=2))
        count = stub.chat_count
    assert isinstance(error, ProviderUnavailableError)
    assert "server error (500: boom; 3 attempts)" in str(error)
    assert count == 3 and elapsed < 5.0


def test_a_400_fails_at_once_without_retrying(make_engine: MakeEngine) -> None:
    with serve_openai_stub(default=StubReply.error(400, "context too long")) as stub:
        error, elapsed = failure(make_engine(stub.base_url, max_retries=3))
        count = stub.chat_count
    assert type(error) is ProviderError and "rejected the request (400: context too long)" in str(
        error
    )
    assert count == 1 and elapsed < 3.0


def test_a_refused_key_says_so_and_the_key_is_sent_as_bearer(make_engine: MakeEngine) -> None:
    with serve_openai_stub(default=StubReply.error(401, "bad key")) as stub:
        error, _ = failure(make_engine(stub.base_url, key=KEY))
        (request,) = stub.chat_requests
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert type(error) is ProviderError and "refused the API key" in str(error)
    assert KEY not in str(error)


def test_a_hung_server_times_out(make_engine: MakeEngine) -> None:
    with serve_openai_stub(default=StubReply.hanging()) as stub:
        error, elapsed = failure(make_engine(stub.base_url, timeout_s=1.0, max_retries=1))
        count = stub.chat_count
    assert isinstance(error, ProviderUnavailableError)
    assert "did not answer within 1 s" in str(error)
    assert count == 2 and 2.0 <= elapsed < 6.0


def test_retry_after_longer_than_the_deadline_gives_up_at_once(make_engine: MakeEngine) -> None:
    with serve_openai_stub(default=StubReply.error(429, headers={"Retry-After": "120"})) as stub:
        error, elapsed = failure(make_engine(stub.base_url, timeout_s=5.0, max_retries=1))
        count = stub.chat_count
    assert isinstance(error, ProviderUnavailableError)
    assert "asks Aurora to wait 120 s" in str(error) and count == 1 and elapsed < 2.0


def test_repeated_failures_open_the_breaker(make_engine: MakeEngine) -> None:
    breaker = CircuitBreaker(failure_threshold=2, cooldown_s=60.0)
    with serve_openai_stub(default=StubReply.error(503, "down")) as stub:
        engine = make_engine(stub.base_url, max_retries=0, breaker=breaker)
        for _ in range(2):
            failure(engine)
        assert stub.chat_count == 2 and breaker.state == "open" and not engine.available()
        error, elapsed = failure(engine)
        count = stub.chat_count
    assert isinstance(error, ProviderUnavailableError)
    assert "try it again in 60 s" in str(error) and elapsed < 0.5
    assert count == 2  # the third call never reached the network


def test_a_drop_after_text_is_not_retried(make_engine: MakeEngine) -> None:
    with serve_openai_stub(
        StubReply.sse("one ", "two ", "three", drop_after=2), StubReply.sse("never")
    ) as stub:
        pieces: list[str] = []
        error, _ = failure(make_engine(stub.base_url), pieces=pieces)
        count = stub.chat_count
    assert isinstance(error, ProviderUnavailableError) and "mid-answer" in str(error)
    assert pieces == ["one ", "two "] and count == 1


def test_a_drop_before_any_text_is_retried(make_engine: MakeEngine) -> None:
    with serve_openai_stub(StubReply.sse("lost", drop_after=0), StubReply.sse("second")) as stub:
        result = ask(make_engine(stub.base_url))
        count = stub.chat_count
    assert result.text == "second" and count == 2


def test_usage_from_the_server_wins_over_counting(make_engine: MakeEngine) -> None:
    with serve_openai_stub(StubReply.sse("a", "b", "c", usage=(17, 9))) as stub:
        result = ask(make_engine(stub.base_url))
        sent = stub.chat_requests[0].json()
    assert (result.tokens_in, result.tokens_out) == (17, 9)
    assert sent["stream_options"] == {"include_usage": True}


def test_cancel_from_the_callback_closes_the_stream(make_engine: MakeEngine) -> None:
    chunks = tuple(f"w{i} " for i in range(20))
    with serve_openai_stub(StubReply.sse(*chunks, chunk_delay_s=0.1)) as stub:
        engine = make_engine(stub.base_url)
        seen: list[str] = []

        def on_token(piece: str) -> bool:
            seen.append(piece)
            return len(seen) < 3

        started = time.monotonic()
        result = engine.generate(
            QUESTION, max_tokens=50, temperature=0.0, on_token=on_token
        ).result(RESULT_WAIT_S)
    assert result.finish_reason == "cancelled" and result.text == "w0 w1 w2 "
    assert time.monotonic() - started < 3.0


def test_cancel_event_stops_the_stream(make_engine: MakeEngine) -> None:
    chunks = tuple(f"w{i} " for i in range(50))
    with serve_openai_stub(StubReply.sse(*chunks, chunk_delay_s=0.1)) as stub:
        cancel = threading.Event()
        future = make_engine(stub.base_url).generate(
            QUESTION, max_tokens=50, temperature=0.0, on_token=lambda _p: None, cancel=cancel
        )
        time.sleep(0.35)
        cancel.set()
        result = future.result(RESULT_WAIT_S)
    assert result.finish_reason == "cancelled" and 0 < len(result.text.split()) < 20


SSE = {"Content-Type": "text/event-stream"}
UNREADABLE = [
    StubReply.json_body({"unexpected": True}),
    StubReply(body=b"data: {not json}\n\n", headers=SSE),
    StubReply(body=b'data: {"choices": 3}\n\n', headers=SSE),
    StubReply(body=b"data: [1, 2]\n\n", headers=SSE),
]


@pytest.mark.parametrize(
    "reply", UNREADABLE, ids=["no-choices", "not-json", "bad-choices", "not-object"]
)
def test_unreadable_replies_are_a_provider_error(make_engine: MakeEngine, reply: StubReply) -> None:
    with serve_openai_stub(default=reply) as stub:
        error, _ = failure(make_engine(stub.base_url))
        count = stub.chat_count
    assert type(error) is ProviderError and "cannot read" in str(error) and count == 1


def test_a_plain_json_answer_is_accepted(make_engine: MakeEngine) -> None:
    reply = {
        "choices": [
            {"message": {"role": "assistant", "content": "whole"}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 4, "completion_tokens": 1},
    }
    with serve_openai_stub(StubReply.json_body(reply)) as stub:
        pieces: list[str] = []
        result = ask(make_engine(stub.base_url), pieces=pieces)
    assert result.text == "whole" and pieces == ["whole"] and result.tokens_out == 1


# -- `aurora providers …` as a user runs it ------------------------------------------------


def aurora(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aurora_desktop", "providers", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=dict(os.environ),
        timeout=120,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("aurora: ")
    return lines[0]


def test_providers_cli_add_list_test_remove(aurora_home: AuroraHome, file_keyring: Path) -> None:
    with serve_openai_stub(default=StubReply.sse("O", "K", usage=(12, 2))) as stub:
        added = aurora("add", "stubby", "--base-url", stub.base_url, "--model", "tiny", "--no-key")
        assert added.returncode == 0, added.stderr
        assert "Added stubby" in added.stdout and "needs no API key" in added.stdout

        keyed = aurora(
            "add",
            "keyed",
            "--base-url",
            stub.base_url,
            "--model",
            "big",
            "--key-stdin",
            stdin=KEY + "\n",
        )
        assert keyed.returncode == 0, keyed.stderr
        assert KEY not in keyed.stdout + keyed.stderr and "sk-…cdef" in keyed.stdout

        rows = json.loads(aurora("list", "--json").stdout)
        assert [(r["name"], r["model"], r["key"]) for r in rows] == [
            ("stubby", "tiny", None),
            ("keyed", "big", "sk-…cdef"),
        ]
        listed = aurora("list")
        assert "no key" in listed.stdout and KEY not in listed.stdout

        tested = aurora("test", "keyed")
        assert tested.returncode == 0, tested.stderr
        assert "keyed/big answered in" in tested.stdout and tested.stdout.strip().endswith("OK")
        (request,) = stub.chat_requests
        assert request.headers["authorization"] == f"Bearer {KEY}"  # read back from the keyring
        assert request.json()["messages"] == [{"role": "user", "content": "Say OK."}]
        assert request.json()["max_tokens"] == 5

    leaks = [
        p for p in aurora_home.root.rglob("*") if p.is_file() and KEY.encode() in p.read_bytes()
    ]
    assert leaks == [] and KEY in file_keyring.read_text()

    down = aurora("test", "keyed")  # the stub is gone now
    assert "keyed could not be reached" in one_line_error(down)

    assert aurora("remove", "keyed").returncode == 0
    assert KEY not in file_keyring.read_text()
    assert [r["name"] for r in json.loads(aurora("list", "--json").stdout)] == ["stubby"]
    assert "no cloud provider called 'keyed'" in one_line_error(aurora("remove", "keyed"))


def test_providers_cli_refuses_bad_input_in_one_line() -> None:
    bad_name = aurora(
        "add", "Bad Name", "--base-url", "https://x.test/v1", "--model", "m", "--no-key"
    )
    assert "provider name" in one_line_error(bad_name)
    bad_url = aurora("add", "ok", "--base-url", "x.test/v1", "--model", "m", "--no-key")
    assert "base URL" in one_line_error(bad_url)
    no_key = aurora("add", "ok", "--base-url", "https://x.test/v1", "--model", "m", stdin="")
    assert "--key-stdin" in one_line_error(no_key)
    empty = aurora(
        "add", "ok", "--base-url", "https://x.test/v1", "--model", "m", "--key-stdin", stdin="\n"
    )
    assert "held no key" in one_line_error(empty)
    assert json.loads(aurora("list", "--json").stdout) == []
