"""The routing policy: `model_router.json` (seed §13), its schema, and the seed's default (§4)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import jsonschema

from aurora_desktop.core.contract import RISKS, TASKS
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.text import phrase

Target = Literal["local", "cloud"]
COMPARATORS = ("lt", "lte", "gt", "gte")
_RANGE = {
    "oneOf": [
        {"type": "integer", "minimum": 0},
        {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {op: {"type": "integer", "minimum": 0} for op in COMPARATORS},
        },
    ]
}


def _one_or_many(values: tuple[str, ...]) -> dict[str, Any]:
    return {
        "oneOf": [
            {"enum": list(values)},
            {"type": "array", "minItems": 1, "items": {"enum": list(values)}},
        ]
    }


ROUTER_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Aurora routing policy (model_router.json)",
    "type": "object",
    "required": ["router_version", "defaults", "rules"],
    "additionalProperties": False,
    "properties": {
        "router_version": {"const": "1.0"},
        "defaults": {
            "type": "object",
            "required": ["target"],
            "additionalProperties": False,
            "properties": {
                "target": {"enum": ["local", "cloud"]},
                "model": {"type": "string", "minLength": 1},
                "fallback": {"enum": ["local", "cloud", "none"]},
                "slo_ms": {"type": "integer", "minimum": 1},
            },
        },
        "rules": {
            "type": "array",
            "maxItems": 200,
            "items": {
                "type": "object",
                "required": ["if", "then"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "maxLength": 80},
                    "if": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "task": _one_or_many(TASKS),
                            "risk": _one_or_many(RISKS),
                            "tokens_in": _RANGE,
                            "slo_ms": _RANGE,
                        },
                    },
                    "then": {
                        "type": "object",
                        "required": ["target"],
                        "additionalProperties": False,
                        "properties": {
                            "target": {"enum": ["local", "cloud"]},
                            "model": {"type": "string", "minLength": 1},
                            "fallback": {"enum": ["local", "cloud", "none"]},
                        },
                    },
                },
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(ROUTER_SCHEMA)

DEFAULT_POLICY: dict[str, Any] = {
    "router_version": "1.0",
    "defaults": {"target": "cloud", "fallback": "local", "slo_ms": 1500},
    "rules": [
        {
            "name": "high risk stays on this device",
            "if": {"risk": "high"},
            "then": {"target": "local", "fallback": "none"},
        },
        {
            "name": "short classification work is local",
            "if": {
                "task": ["intent", "classify", "extract", "short_summarize"],
                "tokens_in": {"lt": 1500},
            },
            "then": {"target": "local", "fallback": "cloud"},
        },
        {
            "name": "tight latency target is local",
            "if": {"slo_ms": {"lt": 1500}},
            "then": {"target": "local", "fallback": "cloud"},
        },
    ],
}


@dataclass(frozen=True, slots=True)
class Rule:
    index: int  # 1-based, as people count rules
    name: str
    when: Mapping[str, Any]
    target: Target
    model: str | None
    fallback: str | None


@dataclass(frozen=True, slots=True)
class RouterPolicy:
    rules: tuple[Rule, ...]
    default_target: Target
    default_model: str | None
    default_fallback: str | None
    default_slo_ms: int | None
    raw: Mapping[str, Any]


def schema_error(data: object) -> str | None:
    """The most relevant schema violation as a sentence fragment, or None if valid."""
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(data))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or phrase("the top level")
    return phrase("{where}: {error}", where=where, error=error.message)


def parse_policy(data: object, *, source: str = "model_router.json") -> RouterPolicy:
    problem = schema_error(data)
    if problem is not None:
        raise ConfigError(
            phrase(
                "{source} is not a valid routing policy ({problem}).",
                source=source,
                problem=problem,
            )
        )
    assert isinstance(data, dict)
    defaults = data["defaults"]
    rules = tuple(
        Rule(
            index=i,
            name=str(raw.get("name") or _describe(raw["if"], raw["then"]["target"])),
            when=raw["if"],
            target=raw["then"]["target"],
            model=raw["then"].get("model"),
            fallback=raw["then"].get("fallback"),
        )
        for i, raw in enumerate(data["rules"], start=1)
    )
    return RouterPolicy(
        rules,
        defaults["target"],
        defaults.get("model"),
        defaults.get("fallback"),
        defaults.get("slo_ms"),
        data,
    )


def default_policy_text() -> str:
    return json.dumps(DEFAULT_POLICY, indent=2, ensure_ascii=False) + "\n"


def _describe(when: Mapping[str, Any], target: str) -> str:
    parts: list[str] = []
    for key, cond in when.items():
        if isinstance(cond, Mapping):
            signs = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}
            parts.extend(f"{key} {signs[op]} {value}" for op, value in cond.items())
        elif isinstance(cond, list):
            parts.append(f"{key} in {{{', '.join(cond)}}}")
        else:
            parts.append(f"{key}={cond}")
    return f"{' and '.join(parts) or 'always'} → {target}"
