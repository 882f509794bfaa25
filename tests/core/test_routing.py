"""Routing over the seed's default policy and edited ones, every boundary included."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.routing.plan import attempt_plan, local_only
from aurora_desktop.core.routing.policy import DEFAULT_POLICY, parse_policy
from aurora_desktop.core.routing.policy_file import PolicyFile
from aurora_desktop.core.routing.router import RouteFeatures, route

DEFAULT = parse_policy(DEFAULT_POLICY)


def decide(
    task: str = "chat", risk: str = "low", tokens: int = 100, slo: int | None = None, policy=DEFAULT
):
    return route(policy, RouteFeatures(task=task, risk=risk, tokens_in=tokens, slo_ms=slo))


@pytest.mark.parametrize(
    ("task", "risk", "tokens", "slo", "target", "rule"),
    [
        # seed §4: high risk → local only, whatever else is true
        ("generate_long", "high", 90_000, 60_000, "local", 1),
        ("chat", "high", 10, None, "local", 1),
        # tokens_in < 1.5k and a small task → local
        ("intent", "low", 1_499, None, "local", 2),
        ("intent", "low", 1_500, None, "cloud", None),
        ("intent", "low", 1_501, None, "cloud", None),
        ("classify", "medium", 0, None, "local", 2),
        ("extract", "low", 1_499, 5_000, "local", 2),
        ("short_summarize", "low", 1_499, None, "local", 2),
        ("summarize", "low", 10, None, "cloud", None),  # not in the small-task set
        # latency target under 1.5 s → local
        ("chat", "low", 5_000, 1_499, "local", 3),
        ("chat", "low", 5_000, 1_500, "cloud", None),
        ("chat", "low", 5_000, 1_501, "cloud", None),
        ("intent", "low", 1_500, 1_499, "local", 3),  # rule 2 misses, rule 3 catches
        # otherwise → cloud (the defaults' slo of 1500 is not under 1500)
        ("generate_long", "low", 100, None, "cloud", None),
        ("plan", "medium", 100, None, "cloud", None),
    ],
)
def test_default_policy_reproduces_the_seed(task, risk, tokens, slo, target, rule) -> None:
    decision = decide(task, risk, tokens, slo)
    assert (decision.target, decision.rule) == (target, rule)
    assert decision.why
    if rule:
        assert f"Rule {rule}" in decision.why
    else:
        assert "default target cloud" in decision.why


def test_decision_says_how_tokens_were_counted() -> None:
    features = RouteFeatures(
        task="chat", risk="low", tokens_in=3, slo_ms=None, tokens_counted_by="model tokenizer"
    )
    assert route(DEFAULT, features).tokens_counted_by == "model tokenizer"


def edited(**changes) -> object:
    data = copy.deepcopy(DEFAULT_POLICY)
    data.update(changes)
    return parse_policy(data)


@pytest.mark.parametrize(
    ("rules", "features", "target", "rule"),
    [
        (
            [
                {
                    "if": {"task": "summarize", "tokens_in": {"lte": 1500}},
                    "then": {"target": "local"},
                }
            ],
            ("summarize", "low", 1500, None),
            "local",
            1,
        ),
        (
            [
                {
                    "if": {"task": "summarize", "tokens_in": {"lte": 1500}},
                    "then": {"target": "local"},
                }
            ],
            ("summarize", "low", 1501, None),
            "cloud",
            None,
        ),
        (
            [{"if": {"tokens_in": {"gt": 100, "lt": 200}}, "then": {"target": "local"}}],
            ("chat", "low", 100, None),
            "cloud",
            None,
        ),
        (
            [{"if": {"tokens_in": {"gt": 100, "lt": 200}}, "then": {"target": "local"}}],
            ("chat", "low", 150, None),
            "local",
            1,
        ),
        (
            [{"if": {"tokens_in": {"gte": 100}}, "then": {"target": "local"}}],
            ("chat", "low", 100, None),
            "local",
            1,
        ),
        (
            [{"if": {"risk": ["medium", "high"]}, "then": {"target": "local"}}],
            ("chat", "medium", 1, None),
            "local",
            1,
        ),
        (
            [
                {"if": {"task": "generate_long"}, "then": {"target": "cloud", "model": "gpt"}},
                {"if": {}, "then": {"target": "local"}},
            ],
            ("chat", "low", 1, None),
            "local",
            2,
        ),
        ([], ("chat", "low", 1, None), "cloud", None),
    ],
)
def test_edited_policies(rules, features, target, rule) -> None:
    decision = decide(*features, policy=edited(rules=rules))
    assert (decision.target, decision.rule) == (target, rule)


def test_first_matching_rule_wins_and_carries_its_model() -> None:
    policy = edited(
        rules=[
            {"if": {"task": "intent"}, "then": {"target": "local", "model": "phi3-mini-gguf"}},
            {"if": {"task": "intent"}, "then": {"target": "cloud"}},
        ]
    )
    decision = decide("intent", policy=policy)
    assert (decision.target, decision.model, decision.rule) == ("local", "phi3-mini-gguf", 1)


@pytest.mark.parametrize(
    ("target", "fallback", "risk", "plan"),
    [
        ("cloud", "local", "low", ("cloud", "local")),
        ("cloud", None, "low", ("cloud", "local")),
        ("cloud", "none", "low", ("cloud",)),
        ("local", "cloud", "low", ("local", "cloud")),
        ("local", None, "low", ("local",)),
        ("local", "cloud", "high", ("local",)),
        ("cloud", "local", "high", ("local",)),
        ("cloud", "none", "high", ("local",)),
    ],
)
def test_attempt_plan(target, fallback, risk, plan) -> None:
    policy = edited(
        rules=[
            {"if": {}, "then": {"target": target, **({"fallback": fallback} if fallback else {})}}
        ]
    )
    assert attempt_plan(decide(policy=policy), risk=risk) == plan


def test_local_only_removes_cloud_hops() -> None:
    assert local_only(("cloud", "local")) == ("local",)
    assert local_only(("cloud",)) == ("local",)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"router_version": "2.0", "defaults": {"target": "local"}, "rules": []}, "router_version"),
        ({"router_version": "1.0", "defaults": {"target": "moon"}, "rules": []}, "defaults/target"),
        (
            {
                "router_version": "1.0",
                "defaults": {"target": "local"},
                "rules": [{"if": {"task": "dance"}, "then": {"target": "local"}}],
            },
            "rules/0/if/task",
        ),
        (
            {
                "router_version": "1.0",
                "defaults": {"target": "local"},
                "rules": [{"if": {"tokens_in": {"about": 3}}, "then": {"target": "local"}}],
            },
            "tokens_in",
        ),
        (
            {
                "router_version": "1.0",
                "defaults": {"target": "local"},
                "rules": [{"if": {}, "then": {}}],
            },
            "rules/0/then",
        ),
    ],
)
def test_invalid_policies_name_the_field(data, fragment) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_policy(data)


def test_policy_file_is_created_reloaded_and_keeps_the_last_good(tmp_path: Path) -> None:
    path = tmp_path / "model_router.json"
    live = PolicyFile(path)
    assert live.current().default_target == "cloud"
    assert json.loads(path.read_text()) == DEFAULT_POLICY  # created with the seed's policy
    mine = copy.deepcopy(DEFAULT_POLICY)
    mine["defaults"]["target"] = "local"
    path.write_text(json.dumps(mine))
    assert live.current().default_target == "local"  # picked up without a restart
    path.write_text('{"router_version": "1.0", "defaults": {"target": "sky"}, "rules": []}')
    assert live.current().default_target == "local"  # the bad edit is refused
    assert "defaults/target" in live.last_error and "last valid" in live.last_error
    path.write_text("{broken")
    assert live.current().default_target == "local"
    assert "not valid JSON" in live.last_error
    path.write_text(json.dumps(DEFAULT_POLICY))
    assert live.current().default_target == "cloud" and live.last_error is None


def test_save_refuses_an_invalid_policy(tmp_path: Path) -> None:
    live = PolicyFile(tmp_path / "model_router.json")
    live.current()
    before = live.path.read_text()
    with pytest.raises(ConfigError):
        live.save('{"router_version": "1.0"}')
    assert live.path.read_text() == before
