"""The routing decision: first matching rule wins. A pure function; it must not log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aurora_desktop.core.routing.policy import RouterPolicy, Rule, Target
from aurora_desktop.core.text import phrase


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteFeatures:
    """What the rules look at; `tokens_counted_by` says how tokens_in was measured."""

    task: str
    risk: str
    tokens_in: int
    slo_ms: int | None
    tokens_counted_by: str = "estimate"


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutingDecision:
    target: Target
    model: str | None
    rule: int | None  # 1-based rule number, None when the defaults applied
    rule_name: str
    fallback: str | None
    why: str
    tokens_in: int
    tokens_counted_by: str
    slo_ms: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "model": self.model,
            "rule": self.rule,
            "rule_name": self.rule_name,
            "fallback": self.fallback,
            "why": self.why,
            "tokens_in": self.tokens_in,
            "tokens_counted_by": self.tokens_counted_by,
            "slo_ms": self.slo_ms,
        }


def route(policy: RouterPolicy, features: RouteFeatures) -> RoutingDecision:
    slo = features.slo_ms if features.slo_ms is not None else policy.default_slo_ms
    values: dict[str, Any] = {
        "task": features.task,
        "risk": features.risk,
        "tokens_in": features.tokens_in,
        "slo_ms": slo,
    }
    for rule in policy.rules:
        if _matches(rule.when, values):
            return _decision(rule, features, slo)
    return RoutingDecision(
        target=policy.default_target,
        model=policy.default_model,
        rule=None,
        rule_name="defaults",
        fallback=policy.default_fallback,
        why=phrase(
            "No rule matched ({facts_values}), so the default target "
            "{policy_default_target} applies.",
            facts_values=_facts(values),
            policy_default_target=policy.default_target,
        ),
        tokens_in=features.tokens_in,
        tokens_counted_by=features.tokens_counted_by,
        slo_ms=slo,
    )


def _decision(rule: Rule, features: RouteFeatures, slo: int | None) -> RoutingDecision:
    return RoutingDecision(
        target=rule.target,
        model=rule.model,
        rule=rule.index,
        rule_name=rule.name,
        fallback=rule.fallback,
        why=phrase(
            'Rule {rule_index} "{rule_name}" matched ({facts__matched_rule_features_slo}).',
            rule_index=rule.index,
            rule_name=rule.name,
            facts__matched_rule_features_slo=_facts(_matched(rule, features, slo)),
        ),
        tokens_in=features.tokens_in,
        tokens_counted_by=features.tokens_counted_by,
        slo_ms=slo,
    )


def _matches(when: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    for key, cond in when.items():
        value = values[key]
        if isinstance(cond, Mapping):
            if value is None or not all(_compare(op, value, bound) for op, bound in cond.items()):
                return False
        elif isinstance(cond, list):
            if value not in cond:
                return False
        elif key in ("tokens_in", "slo_ms"):
            if value != cond:
                return False
        elif value != cond:
            return False
    return True


def _compare(op: str, value: int, bound: int) -> bool:
    return {"lt": value < bound, "lte": value <= bound, "gt": value > bound, "gte": value >= bound}[
        op
    ]


def _matched(rule: Rule, features: RouteFeatures, slo: int | None) -> dict[str, Any]:
    facts = {
        "task": features.task,
        "risk": features.risk,
        "tokens_in": features.tokens_in,
        "slo_ms": slo,
    }
    return {k: facts[k] for k in rule.when} or facts


def _facts(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items() if v is not None)
