"""The request path's decisions: masking before the cloud, consent, fallbacks, fail-closed."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aurora_desktop.core.contract import Message, Request
from aurora_desktop.core.errors import (
    AuroraError,
    ConsentDenied,
    EngineError,
    PolicyDenied,
)
from aurora_desktop.core.policy.banned import BannedWord
from aurora_desktop.core.policy.consent import (
    ConsentAnswer,
    ConsentReply,
    ConsentRequest,
)
from aurora_desktop.core.policy.pii import PiiMasker
from tests.support.pipelines import build

PII_PROMPT = "Mail kim.minsu@example.com or call 010-1234-5678 about the plan."


class BrokenMasker(PiiMasker):
    def mask(self, text, vault=None):
        raise RuntimeError("regex engine exploded")


def ask(prompt: str = PII_PROMPT, **kwargs: Any) -> Request:
    return Request(messages=(Message("user", prompt),), **kwargs)


def test_cloud_sees_placeholders_and_the_user_sees_the_data(tmp_path: Path) -> None:
    pipeline, local, cloud = build(tmp_path)
    shown: list[str] = []
    response = pipeline.run(ask(task="generate_long"), on_token=shown.append)
    assert response.target == "cloud" and not local.calls
    sent = cloud.sent[0][-1].content
    assert "kim.minsu@example.com" not in sent and "010-1234-5678" not in sent
    assert "<EMAIL_1>" in sent and "<PHONE_1>" in sent
    assert "kim.minsu@example.com" in response.text  # restored for the local user only
    assert "".join(shown) == response.text
    assert response.masked == {"EMAIL": 1, "PHONE": 1}
    assert response.bytes_sent > 0 and response.consent == "once"
    (row,) = pipeline.decisions.entries()
    assert row["target"] == "cloud" and row["masked"] == {"EMAIL": 1, "PHONE": 1}
    assert row["bytes_sent"] == response.bytes_sent
    assert "kim.minsu" not in str(row) and len(row["prompt_sha256"]) == 64


def test_high_risk_stays_local_even_when_local_fails(tmp_path: Path) -> None:
    pipeline, local, cloud = build(tmp_path, local_fails=True)
    with pytest.raises(EngineError, match="high risk, so it may only run on this device"):
        pipeline.run(ask(task="generate_long", risk="high"))
    assert cloud.sent == [] and len(local.calls) == 1
    (row,) = pipeline.decisions.entries()
    assert row["outcome"].startswith("failed") and row["bytes_sent"] == 0


def test_high_risk_cannot_name_a_cloud_model(tmp_path: Path) -> None:
    pipeline, _, cloud = build(tmp_path)
    with pytest.raises(PolicyDenied, match="high-risk request cannot be sent"):
        pipeline.run(ask(risk="high", model="cloud://acme/big"))
    assert cloud.sent == []


def test_local_failure_falls_over_to_cloud_when_allowed(tmp_path: Path) -> None:
    pipeline, local, cloud = build(tmp_path, local_fails=True)
    response = pipeline.run(ask(task="intent"))
    assert response.target == "cloud" and local.calls and cloud.sent
    assert response.fallbacks and response.fallbacks[0].startswith("local:")


def test_cloud_failure_falls_back_to_local(tmp_path: Path) -> None:
    pipeline, local, _ = build(tmp_path, cloud_fails=True)
    response = pipeline.run(ask(task="generate_long"))
    assert response.target == "local" and local.calls
    assert "unreachable" in response.fallbacks[0] and "after" in response.why


def test_no_provider_configured_runs_locally_and_says_why(tmp_path: Path) -> None:
    pipeline, _local, _ = build(tmp_path, provider=False)
    response = pipeline.run(ask(task="generate_long"))
    assert response.target == "local"
    assert "No cloud provider is configured" in response.fallbacks[0]


def test_denied_consent_runs_locally(tmp_path: Path) -> None:
    pipeline, _local, cloud = build(tmp_path, consent=ConsentAnswer.DENY)
    response = pipeline.run(ask(task="generate_long"))
    assert response.target == "local" and cloud.sent == []
    assert "Consent for cloud.send:acme was not given" in response.fallbacks[0]


def test_denied_consent_without_a_local_route_fails_clearly(tmp_path: Path) -> None:
    policy = {
        "router_version": "1.0",
        "defaults": {"target": "cloud", "fallback": "none"},
        "rules": [],
    }
    pipeline, local, cloud = build(tmp_path, policy=policy, consent=ConsentAnswer.DENY)
    with pytest.raises(ConsentDenied, match="nothing was sent"):
        pipeline.run(ask())
    assert cloud.sent == [] and local.calls == []


def test_masking_failure_is_high_risk(tmp_path: Path) -> None:
    pipeline, _local, cloud = build(tmp_path, masker=BrokenMasker())
    response = pipeline.run(ask(task="generate_long"))
    assert response.target == "local" and cloud.sent == []
    assert "could not be masked" in response.fallbacks[0]


def test_banned_word_blocks_before_anything_runs(tmp_path: Path) -> None:
    pipeline, local, cloud = build(tmp_path, banned=[BannedWord("project falcon", "block")])
    with pytest.raises(PolicyDenied, match="project falcon"):
        pipeline.run(ask("Tell me about Project Falcon please", task="generate_long"))
    with pytest.raises(PolicyDenied):
        pipeline.run(ask("Tell me about project falcon", task="intent"))
    assert cloud.sent == [] and local.calls == []


def test_local_only_switch_keeps_everything_local(tmp_path: Path) -> None:
    pipeline, _local, cloud = build(tmp_path)
    pipeline.local_only.set()
    assert pipeline.run(ask(task="generate_long")).target == "local"
    assert cloud.sent == []


# -- the property: a high-risk request never produces a cloud call --------------------------

TASKS = ["chat", "intent", "classify", "extract", "summarize", "generate_long", "plan"]
conditions = st.fixed_dictionaries(
    {},
    optional={
        "task": st.one_of(
            st.sampled_from(TASKS),
            st.lists(st.sampled_from(TASKS), min_size=1, max_size=3, unique=True),
        ),
        "risk": st.one_of(
            st.sampled_from(["low", "medium", "high"]),
            st.lists(
                st.sampled_from(["low", "medium", "high"]), min_size=1, max_size=3, unique=True
            ),
        ),
        "tokens_in": st.fixed_dictionaries(
            {}, optional={op: st.integers(0, 3000) for op in ("lt", "lte", "gt", "gte")}
        ).filter(bool),
        "slo_ms": st.fixed_dictionaries(
            {}, optional={op: st.integers(1, 3000) for op in ("lt", "gte")}
        ).filter(bool),
    },
)
outcome = st.fixed_dictionaries(
    {"target": st.sampled_from(["local", "cloud"])},
    optional={"fallback": st.sampled_from(["local", "cloud", "none"])},
)
policies = st.fixed_dictionaries(
    {
        "router_version": st.just("1.0"),
        "defaults": outcome,
        "rules": st.lists(st.fixed_dictionaries({"if": conditions, "then": outcome}), max_size=5),
    }
)
PROPERTY_EXAMPLES = 400


def test_property_high_risk_never_reaches_the_cloud(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Random policies, requests and injected faults; the count of cases is written out."""
    cases = [0]

    @settings(
        max_examples=PROPERTY_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        policy=policies,
        task=st.sampled_from(TASKS),
        words=st.integers(1, 600),
        slo=st.one_of(st.none(), st.integers(1, 3000)),
        model=st.sampled_from(["auto", "local://smollm2-135m-instruct", "cloud://acme/big"]),
        local_fails=st.booleans(),
        cloud_fails=st.booleans(),
        consent=st.sampled_from(list(ConsentAnswer)),
        broken_masker=st.booleans(),
        local_only=st.booleans(),
    )
    def check(
        policy: dict[str, Any],
        task: str,
        words: int,
        slo: int | None,
        model: str,
        local_fails: bool,
        cloud_fails: bool,
        consent: ConsentAnswer,
        broken_masker: bool,
        local_only: bool,
    ) -> None:
        cases[0] += 1
        folder = tmp_path_factory.mktemp("prop")
        pipeline, _local, cloud = build(
            folder,
            policy=policy,
            local_fails=local_fails,
            cloud_fails=cloud_fails,
            consent=consent,
            masker=BrokenMasker() if broken_masker else None,
        )
        if local_only:
            pipeline.local_only.set()
        prompt = ("word " * words) + "kim@example.com"
        try:
            response = pipeline.run(ask(prompt, task=task, risk="high", slo_ms=slo, model=model))
            assert response.target == "local"
        except AuroraError:
            pass  # failing closed with a clear error is allowed; leaking is not
        assert cloud.sent == [], "a high-risk request reached the cloud"
        # the same request at low risk never sends the e-mail address unmasked either
        with contextlib.suppress(AuroraError):
            pipeline.run(ask(prompt, task=task, risk="low", slo_ms=slo, model=model))
        assert all("kim@example.com" not in m.content for sent in cloud.sent for m in sent)
        if broken_masker or local_only:
            assert cloud.sent == []

    check()
    out = Path(os.environ.get("AURORA_TEST_OUTPUT", Path(__file__).parents[2] / "test-output"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "property-cases.txt").write_text(f"{cases[0]}\n")
    print(f"property cases run: {cases[0]}")
    assert cases[0] >= PROPERTY_EXAMPLES * 0.9


def test_an_api_clients_request_names_the_app_to_consent_and_the_ledger(tmp_path: Path) -> None:
    asked: list[ConsentRequest] = []

    def ask_user(request: ConsentRequest) -> ConsentReply:
        asked.append(request)
        return ConsentReply(ConsentAnswer.ALLOW_ONCE)

    pipeline, _, _ = build(tmp_path, ask=ask_user)
    pipeline.run(ask(task="generate_long", client="Notes editor"))
    pipeline.run(ask(task="generate_long"))
    assert [a.app for a in asked] == ["Notes editor", None]
    rows = list(pipeline.decisions.entries())
    assert sorted(str(r["app"]) for r in rows) == ["None", "Notes editor"]
    (mine,) = pipeline.decisions.entries(app="Notes editor")
    assert mine["target"] == "cloud"


def test_a_ledger_from_before_api_clients_gains_the_app_column(tmp_path: Path) -> None:
    import sqlite3

    from aurora_desktop.core.decisions import SCHEMA, DecisionLedger, DecisionRecord

    path = tmp_path / "decisions.db"
    old = SCHEMA.replace(",\n    app TEXT", "")
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(old)
        db.execute(
            "INSERT INTO decisions (id, ts, task, risk, target, why, masked, bytes_sent, outcome,"
            " fallbacks, prompt_sha256) VALUES ('old', 1.0, 'chat', 'low', 'local', 'w', '{}',"
            " 0, 'ok', '[]', 'x')"
        )
        db.commit()
    ledger = DecisionLedger(path)
    ledger.record(
        DecisionRecord(id="new", task="chat", risk="low", target="local", model=None, rule=None,
                       why="w", outcome="ok", prompt_sha256="y", app="Notes editor")
    )  # fmt: skip
    rows = {r["id"]: r for r in ledger.entries()}
    assert rows["old"]["app"] is None and rows["new"]["app"] == "Notes editor"
    assert [r["id"] for r in DecisionLedger(path).entries(app="Notes editor")] == ["new"]


def test_an_apps_consent_is_its_own(tmp_path: Path) -> None:
    """A grant the user gave in Aurora's own window does not let an API app send; the app is
    asked for by name, and its answer covers only that app."""
    asked: list[ConsentRequest] = []

    def ask(request: ConsentRequest) -> ConsentReply:
        asked.append(request)
        return ConsentReply(ConsentAnswer.ALLOW_ALWAYS)

    pipeline, _local, cloud = build(tmp_path, ask=ask)
    pipeline.cloud.consent.store.grant("cloud.send:acme")  # the user's own, earlier
    assert pipeline.run(ask_request(client=None)).target == "cloud" and not asked
    assert pipeline.run(ask_request(client="Obsidian")).target == "cloud"
    assert [(a.scope, a.app) for a in asked] == [("cloud.send:acme for Obsidian", "Obsidian")]
    assert pipeline.run(ask_request(client="Obsidian")).consent == "stored"
    pipeline.run(ask_request(client="Another app"))
    assert [a.app for a in asked] == ["Obsidian", "Another app"]
    assert len(cloud.sent) == 4


def ask_request(client: str | None) -> Request:
    return Request.from_prompt("Write a long story about lighthouses.", task="generate_long",
                               client=client)  # fmt: skip
