"""Hybrid routing end to end: a real model behind a recording "cloud", real CLI processes.

The cloud peer is the recording stub forwarding to a real `python -m llama_cpp.server` on
127.0.0.1, so the test sees byte for byte what left the machine and still gets a real answer.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurora_desktop.core.paths import AuroraHome
from tests.support.cli import aurora
from tests.support.llama_server import LlamaServer, run_llama_server
from tests.support.openai_stub import OpenAIStub, serve_openai_stub

pytestmark = [pytest.mark.integration, pytest.mark.model]
PII_PROMPT = (
    "Write a short friendly reminder to Kim Minsu (kim.minsu@example.com, "
    "010-1234-5678) about the meeting on Friday."
)


@pytest.fixture
def real_server(model_home: AuroraHome, tmp_path: Path) -> Iterator[LlamaServer]:
    gguf = next(model_home.models.rglob("*.gguf"))
    with run_llama_server(gguf, log_dir=tmp_path / "server-log") as server:
        yield server


@pytest.fixture
def cloud(real_server: LlamaServer, model_home: AuroraHome) -> Iterator[OpenAIStub]:
    with serve_openai_stub(upstream=real_server.root_url) as stub:
        added = aurora(
            "providers",
            "add",
            "standin",
            "--base-url",
            stub.base_url,
            "--model",
            "smollm2",
            "--no-key",
        )
        assert added.returncode == 0, added.stderr
        yield stub


def test_low_risk_long_request_goes_to_the_cloud_with_pii_replaced(
    cloud: OpenAIStub, model_home: AuroraHome
) -> None:
    assert aurora("consent", "grant", "cloud.send:standin").returncode == 0
    proc = aurora("ask", "--json", "--task", "generate_long", "--max-tokens", "40", PII_PROMPT)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["target"] == "cloud" and answer["model"] == "standin/smollm2"
    assert answer["rule"] is None and "default target cloud" in answer["why"]
    assert answer["masked"] == {"EMAIL": 1, "PHONE": 1}
    assert answer["text"].strip() and answer["tokens_out"] > 0
    # generate_long is planned: the plan and every step are requests of their own, and
    # each one is masked on its way out
    sent = cloud.chat_requests
    assert len(sent) >= 2 and len(answer["plan"]) == len(sent) - 1
    for request in sent:
        assert "kim.minsu@example.com" not in request.text and "010-1234-5678" not in request.text
    assert "<EMAIL_1>" in sent[0].text and "<PHONE_1>" in sent[0].text
    assert answer["bytes_sent"] == sum(len(r.body) for r in sent)
    rows = json.loads(aurora("audit", "--json").stdout)
    assert len(rows) == len(sent)
    assert sum(row["bytes_sent"] for row in rows) == answer["bytes_sent"]
    for row in rows:
        assert row["target"] == "cloud" and row["consent"] == "stored"
        assert "kim.minsu" not in json.dumps(row)
    assert {"EMAIL": 1, "PHONE": 1} in [row["masked"] for row in rows]


def test_without_consent_nothing_is_sent(cloud: OpenAIStub, model_home: AuroraHome) -> None:
    proc = aurora("ask", "--json", "--task", "generate_long", "--max-tokens", "8", PII_PROMPT)
    assert proc.returncode == 0, proc.stderr  # denied (no terminal) → ran locally instead
    assert json.loads(proc.stdout)["target"] == "local"
    assert "needs your consent" in proc.stderr
    assert cloud.chat_count == 0


def test_high_risk_stays_local_even_when_the_local_engine_fails(
    cloud: OpenAIStub, model_home: AuroraHome
) -> None:
    assert aurora("consent", "grant", "cloud.send:standin").returncode == 0
    gguf = next(model_home.models.rglob("*.gguf"))
    broken = gguf.with_suffix(".broken")
    shutil.copyfile(gguf, broken)  # a private copy: the test model is shared by hard links
    with broken.open("r+b") as handle:
        handle.seek(40_000_000)
        handle.write(b"\x00" * 64)
    broken.replace(gguf)
    high = aurora("ask", "--json", "--risk", "high", "--task", "generate_long", PII_PROMPT)
    assert high.returncode != 0 and high.stdout == ""
    assert "high risk, so it may only run on this device" in high.stderr
    assert cloud.chat_count == 0
    # the same request at low risk may use the cloud when the local model is broken
    low = aurora("ask", "--json", "--task", "intent", "--max-tokens", "8", PII_PROMPT)
    assert low.returncode == 0, low.stderr
    answer = json.loads(low.stdout)
    assert answer["target"] == "cloud" and "local:" in answer["fallbacks"][0]
    assert "kim.minsu@example.com" not in cloud.chat_requests[0].text
