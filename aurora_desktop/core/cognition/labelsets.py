"""`labels.json`: the label sets and example utterances the intent classifier learns from.

Labels are data, not code: the user's copy lives in the data folder (created from the one
shipped in `aurora_desktop/resources/cognition/`), is re-read when it changes, and an invalid
edit is refused with the schema error while the last valid sets stay in force (also in a new
process: they are kept in `labels.json.last-good`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from aurora_desktop.core.contract import TASKS
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.text import phrase
from aurora_desktop.core.watched import WatchedFile, WatchedUser, parse_json_bytes

MAX_FILE_BYTES = 2_000_000
LABELS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Aurora label sets (labels.json)",
    "type": "object",
    "required": ["version", "sets"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "sets": {
            "type": "object",
            "required": ["task"],
            "additionalProperties": {
                "type": "object",
                "required": ["labels"],
                "additionalProperties": False,
                "properties": {
                    "description": {"type": "string", "maxLength": 300},
                    "labels": {
                        "type": "object",
                        "minProperties": 2,
                        "maxProperties": 50,
                        "propertyNames": {"minLength": 1, "maxLength": 60},
                        "additionalProperties": {
                            "type": "array",
                            "maxItems": 500,
                            "items": {"type": "string", "minLength": 1, "maxLength": 2000},
                        },
                    },
                },
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(LABELS_SCHEMA)


@dataclass(frozen=True, slots=True)
class LabelSet:
    """One named set: each label with its example utterances (possibly none)."""

    name: str
    description: str
    examples: Mapping[str, tuple[str, ...]]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.examples)


@dataclass(frozen=True, slots=True)
class LabelSets:
    sets: Mapping[str, LabelSet]

    def get(self, name: str) -> LabelSet:
        try:
            return self.sets[name]
        except KeyError:
            known = ", ".join(sorted(self.sets))
            raise ConfigError(
                phrase(
                    "There is no label set {name} in labels.json; known: {known}.",
                    name=repr(name),
                    known=known,
                )
            ) from None

    def adhoc(self, labels: tuple[str, ...]) -> LabelSet:
        """A set for labels a request names: examples from any set that has the label."""
        pool: dict[str, tuple[str, ...]] = {}
        for label in labels:
            found: list[str] = []
            for label_set in self.sets.values():
                for known, examples in label_set.examples.items():
                    if known.casefold() == label.casefold():
                        found.extend(examples)
            pool[label] = tuple(dict.fromkeys(found))
        return LabelSet("request", "the labels given with the request", pool)


def parse_label_sets(data: object, *, source: str = "labels.json") -> LabelSets:
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or phrase("the top level")
        raise ConfigError(
            phrase(
                "{source} is not a valid label file ({where}: {error}).",
                source=source,
                where=where,
                error=error.message,
            )
        )
    assert isinstance(data, dict)
    sets = {
        name: LabelSet(
            name,
            str(raw.get("description", "")),
            {label: tuple(examples) for label, examples in raw["labels"].items()},
        )
        for name, raw in data["sets"].items()
    }
    unknown = sorted(set(sets["task"].examples) - set(TASKS))
    if unknown:
        raise ConfigError(
            phrase(
                "{source}: the task set may only use task names ({join_TASKS}), not {unknown_0}.",
                source=source,
                join_TASKS=", ".join(TASKS),
                unknown_0=repr(unknown[0]),
            )
        )
    return LabelSets(sets)


def _kept(reason: str) -> str:
    return phrase(
        "{reason}; the last valid label sets stay in force until it is fixed.", reason=reason
    )


def _shipped(reason: str) -> str:
    return phrase(
        "{reason}; the shipped label sets are used until the file is fixed.", reason=reason
    )


class LabelSetsFile(WatchedUser[LabelSets]):
    """The live label sets, read from `path` whenever the file has changed (see
    `core.watched`: the last valid sets are kept in `labels.json.last-good`)."""

    def __init__(self, path: Path, default_path: Path) -> None:
        self._default_path = default_path
        self._file = WatchedFile(
            path,
            parse=self._parse,
            default=self._shipped,
            seed=default_path.read_bytes,
            limit=MAX_FILE_BYTES,
            kept=_kept,
            defaulted=_shipped,
        )

    def current(self) -> LabelSets:
        """The label sets in force: the file's if valid, else the last valid (or shipped) ones."""
        return self._file.current()

    def _parse(self, raw: bytes) -> LabelSets:
        name = self.path.name
        return parse_label_sets(parse_json_bytes(raw, name), source=name)

    def _shipped(self) -> LabelSets:
        shipped = json.loads(self._default_path.read_text(encoding="utf-8"))
        return parse_label_sets(shipped, source=phrase("the shipped labels.json"))
