"""`aurora route`, `aurora mask`, `aurora audit`, `aurora consent` as a user runs them."""

from __future__ import annotations

import json

import pytest

from aurora_desktop.core.paths import AuroraHome
from tests.support.cli import aurora


def route(request: dict) -> dict:
    proc = aurora("route", "--json", json.dumps(request))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize(
    ("request_", "target", "rule"),
    [
        ({"prompt": "x", "risk": "high", "task": "generate_long"}, "local", 1),
        ({"prompt": "Is this spam?", "task": "intent"}, "local", 2),
        ({"prompt": "go", "task": "chat", "slo_ms": 800}, "local", 3),
        ({"prompt": "Write an essay.", "task": "generate_long"}, "cloud", None),
        ({"prompt": "word " * 7000, "task": "classify"}, "cloud", None),  # ≥ 1,500 tokens
    ],
)
def test_route_explains_the_seed_policy(request_: dict, target: str, rule: int | None) -> None:
    decision = route(request_)
    assert decision["target"] == target and decision["rule"] == rule
    assert decision["why"] and decision["tokens_in"] > 0
    assert decision["tokens_counted_by"].startswith("estimate")  # no model installed here


@pytest.mark.model
def test_route_counts_with_the_model_tokenizer_when_installed(model_home: AuroraHome) -> None:
    decision = route({"prompt": "Hello there, how are you today?", "task": "intent"})
    assert decision["tokens_counted_by"] == "model tokenizer"
    assert 5 <= decision["tokens_in"] <= 12


def test_route_rejects_bad_requests_naming_the_field() -> None:
    for bad, field in (
        ({"prompt": "x", "risk": "extreme"}, "risk"),
        ({"prompt": "x", "tasks": "intent"}, "tasks"),
        ({"prompt": ""}, "prompt"),
    ):
        proc = aurora("route", "--json", json.dumps(bad))
        assert proc.returncode != 0 and field in proc.stderr and "Traceback" not in proc.stderr
    proc = aurora("route", "{not json")
    assert proc.returncode != 0 and "not valid JSON" in proc.stderr


def test_an_invalid_router_file_is_refused_and_the_last_good_policy_applies(
    aurora_home: AuroraHome,
) -> None:
    route({"prompt": "x"})  # creates the default file
    aurora_home.router_file.write_text('{"router_version": "1.0", "rules": []}')
    proc = aurora("route", "--json", json.dumps({"prompt": "x", "task": "intent"}))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["rule"] == 2  # the built-in policy still decides
    assert "defaults" in proc.stderr and "stays in force" in proc.stderr


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Contact kim@example.com or +82 10-1234-5678.", {"EMAIL", "PHONE"}),
        ("제 이메일은 hong@example.co.kr이고 번호는 010-9876-5432입니다.", {"EMAIL", "PHONE"}),
        ("Card 4111 1111 1111 1111, server 192.168.0.12", {"CARD", "IP"}),
        ("주민등록번호 900101-1234568 입니다", {"RRN"}),
        ("key sk-proj-abcdefghijklmnopqrstuvwx123456 and password: hunter2", {"SECRET"}),
    ],
)
def test_mask_handles_each_entity_in_both_languages(text: str, kinds: set[str]) -> None:
    proc = aurora("mask", "--json", text)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out["counts"]) == kinds
    for entity in out["entities"]:
        assert text[entity["start"] : entity["end"]] not in out["text"]
    plain = aurora("mask", "-", stdin=text)
    assert plain.returncode == 0 and "masked:" in plain.stderr


def test_consent_grant_list_revoke_and_audit(aurora_home: AuroraHome) -> None:
    assert aurora("consent", "grant", "cloud.send:acme", "--days", "1").returncode == 0
    listed = aurora("consent", "list").stdout
    assert "cloud.send:acme" in listed and "until 20" in listed
    assert aurora("consent", "revoke", "cloud.send:acme").returncode == 0
    again = aurora("consent", "revoke", "cloud.send:acme")
    assert again.returncode != 0 and "nothing to revoke" in again.stderr
    audit = aurora("audit", "--json", "--since", "1h")
    assert audit.returncode == 0 and json.loads(audit.stdout) == []
    bad = aurora("audit", "--since", "yesterday-ish")
    assert bad.returncode != 0 and "--since" in bad.stderr
