"""The local API under load and at its limits, with the official openai client: 100 streams
at once are bounded (the rest get 429, which the SDK raises as RateLimitError), every stream
that runs ends, the engine is free afterwards, and an oversized body is the SDK's 413."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.server.options import MAX_CONCURRENT, MAX_CONCURRENT_PER_KEY
from tests.integration.test_api_clients import CHAT, Api, running_api, wait_until
from tests.integration.test_api_clients import cloud_api as cloud_api
from tests.support.openai_stub import OpenAIStub

pytestmark = pytest.mark.integration
STREAMS = 100
APPS = 25  # 4 streams per app's key: the per-key limit and the total both come into play


@pytest.fixture
def api(full_home: AuroraHome) -> Iterator[Api]:
    with running_api() as running:
        yield running


def test_a_hundred_streams_at_once_are_bounded_and_all_end(api: Api) -> None:
    tokens = [api.core.api_keys.create(f"app {i}", ["chat"])[1] for i in range(APPS)]
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(STREAMS, timeout=60)

    def one(index: int) -> None:
        client = api.openai(tokens[index % APPS])
        start.wait()
        try:
            stream = client.chat.completions.create(
                model=api.default_model,
                messages=[{"role": "user", "content": f"Say hello number {index}."}],
                max_tokens=8,
                temperature=0.0,
                stream=True,
                extra_headers=CHAT,
            )
            pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
            outcome = "answered" if "".join(pieces) else "empty"
        except openai.RateLimitError as exc:
            assert exc.response.headers.get("retry-after") == "1"
            outcome = "429"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=one, args=(i,), name=f"stream-{i}") for i in range(STREAMS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(240)
    assert not any(t.is_alive() for t in threads), "a stream never ended"
    assert len(outcomes) == STREAMS and "empty" not in outcomes
    # at most MAX_CONCURRENT run at once (4 per app): the others are told to come back
    # (429 with Retry-After) at once instead of queueing without bound
    assert MAX_CONCURRENT_PER_KEY * APPS > MAX_CONCURRENT  # the total limit is reached
    print(
        f"{STREAMS} streams: {outcomes.count('answered')} answered, {outcomes.count('429')} got 429"
    )
    assert outcomes.count("answered") >= 1 and outcomes.count("429") >= 1
    assert time.monotonic() - started < 240
    assert wait_until(lambda: all(s.refs == 0 for s in api.core.scheduler.snapshot()))
    after = api.openai().chat.completions.create(
        model=api.default_model,
        messages=[{"role": "user", "content": "Still there?"}],
        max_tokens=4,
        extra_headers=CHAT,
    )
    assert after.choices[0].message.content is not None  # the engine is free again


def test_an_oversized_body_is_the_sdks_413(api: Api) -> None:
    huge = "word " * 1_000_000  # 5 MB, over the 4 MB limit
    with pytest.raises(openai.APIStatusError) as caught:
        api.openai().chat.completions.create(
            model=api.default_model, messages=[{"role": "user", "content": huge}], max_tokens=4
        )
    error: Any = caught.value
    assert error.status_code == 413 and error.message  # a sentence, in OpenAI's shape
    assert not api.core.decisions.bytes_sent_total()


def test_a_prompt_longer_than_the_model_reads_is_a_400_sentence(api: Api) -> None:
    """Over the model's context (here 2,048 tokens) the answer is the SDK's BadRequestError
    with the engine's sentence, and over 200,000 characters the request is refused before
    any model work."""
    client = api.openai()
    long_prompt = "lighthouse " * 6_000  # about 6,000 tokens
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model=api.default_model,
            messages=[{"role": "user", "content": long_prompt}],
            max_tokens=4,
            extra_headers=CHAT,
        )
    assert "tokens" in str(caught.value.message)
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model=api.default_model,
            messages=[{"role": "user", "content": "x" * 200_001}],
            max_tokens=4,
        )
    assert "200,000 characters" in str(caught.value.message)


def test_an_app_whose_key_is_high_risk_never_reaches_the_cloud(
    cloud_api: tuple[Api, OpenAIStub],
) -> None:
    """A request that names no risk takes its app's: high, so it stays on this computer."""
    api, stub = cloud_api
    _key, token = api.core.api_keys.create("diary", ["chat"], risk="high")
    answer = api.openai(token).chat.completions.with_raw_response.create(
        model="aurora/auto",
        messages=[{"role": "user", "content": "Write a long story about my day."}],
        max_tokens=8,
        extra_headers={"x-aurora-task": "generate_long"},  # the default policy sends it out
    )
    assert answer.headers["x-aurora-route"] == "local"
    assert stub.chat_count == 0 and not api.asked
