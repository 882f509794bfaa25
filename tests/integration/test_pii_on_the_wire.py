"""What actually reaches the cloud peer: placeholders, never the personal data.

Every sample of the generated corpus (each entity type, Korean and English) goes through
the real request path to the recording stub on 127.0.0.1; the test reads the bytes the stub
received. Near misses (Luhn-invalid numbers, dates, order ids, …) count as false positives
when a placeholder shows up for them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurora_desktop.app.wiring import Core, build_core
from aurora_desktop.core.contract import Request
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.providers.registry import ProviderConfig
from tests.support.openai_stub import OpenAIStub, serve_openai_stub
from tests.support.pii_corpus import KINDS, near_misses, positives

pytestmark = pytest.mark.integration
PER_KIND = 200
PLACEHOLDER = re.compile(r"<(EMAIL|PHONE|CARD|RRN|IP|SECRET)_[0-9]+>")


@pytest.fixture
def wired(aurora_home: AuroraHome) -> Iterator[tuple[Core, OpenAIStub]]:
    with serve_openai_stub() as stub:
        core = build_core()
        core.providers.add(ProviderConfig(name="recorder", base_url=stub.base_url, model="m"), None)
        core.consents.grant("cloud.send:recorder")
        try:
            yield core, stub
        finally:
            core.close()


def sent_user_text(stub: OpenAIStub) -> str:
    body = stub.chat_requests[-1].json()
    return "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")


def test_only_placeholders_reach_the_cloud(wired: tuple[Core, OpenAIStub]) -> None:
    core, stub = wired
    table: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        spans = leaked = found = 0
        for sample in positives(kind, PER_KIND, seed=7):
            request = Request.from_prompt(sample.text, task="generate_long", max_tokens=8)
            response = core.pipeline.run(request)
            assert response.target == "cloud"
            wire = sent_user_text(stub)
            for span_kind, value in sample.spans:
                spans += 1
                leaked += value in wire
                found += span_kind == kind and value not in wire
        table[kind] = {
            "samples": PER_KIND,
            "spans": spans,
            "leaked": leaked,
            "recall_on_wire": round(found / spans, 4),
        }
    false_positives = 0
    misses = near_misses(PER_KIND, seed=7)
    for sample in misses:
        core.pipeline.run(Request.from_prompt(sample.text, task="generate_long", max_tokens=8))
        false_positives += len(PLACEHOLDER.findall(sent_user_text(stub)))
    table["near_misses"] = {"samples": len(misses), "false_positives": false_positives}
    out = Path(os.environ.get("AURORA_TEST_OUTPUT", Path(__file__).parents[2] / "test-output"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "pii-on-the-wire.json").write_text(json.dumps(table, indent=2))
    print(json.dumps(table, indent=2))
    rows = list(core.decisions.entries(limit=10_000))
    assert sum(r["bytes_sent"] for r in rows) == sum(len(r.body) for r in stub.chat_requests)
    for kind in KINDS:
        assert table[kind]["recall_on_wire"] >= 0.98, (kind, table[kind])
