"""Rule checks on a model's output: pure functions of the text and a `VerifySpec`.

Each rule gives one `Check` with a short sentence, so a failed verdict can be shown to the
user, written to telemetry and turned into a repair prompt. A spec that cannot be checked
(a bad regex, an invalid JSON Schema, crossed bounds) fails when it is built, not later.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema
import jsonschema.exceptions
import jsonschema.validators

from aurora_desktop.core.errors import RequestError
from aurora_desktop.core.policy.banned import BannedWord, BannedWords
from aurora_desktop.core.text import phrase

BannedCheck = Callable[[str], list[str]]
LABEL_STRIP = " \t\r\n\"'`\u201c\u201d\u2018\u2019「」『』*"
LABEL_TAIL = ".。!"
APOSTROPHE = "['\u2019]"
REFUSALS = re.compile(
    rf"\bI{APOSTROPHE}?m\s+sorry\b|\bI\s+am\s+sorry\b|\bI\s+apologi[sz]e\b|\bas\s+an\s+AI\b"
    rf"|\bI\s+(?:cannot|can\s*not|can{APOSTROPHE}t|am\s+unable|won{APOSTROPHE}t\s+be\s+able)\b"
    rf"|\bI{APOSTROPHE}m\s+(?:unable|not\s+able)\b"
    r"|죄송|미안합니다|할\s*수\s*(?:가\s*)?없|AI\s*(?:언어\s*모델|로서)",
    re.IGNORECASE,
)
FENCE = re.compile(r"^```[a-zA-Z]*\s*\n(.*?)\n?```$", re.DOTALL)
SHORT_SUMMARY_WORDS = 60
SUMMARY_WORDS = 400


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifySpec:
    """What an output must satisfy; every field left as None is not checked.

    `regex` must be found somewhere in the output (anchor it with ^…$ for the whole text).
    `labels`: the output is exactly one label once whitespace, quotes and a trailing period
    are stripped; case is ignored and the verdict reports the label as written here.
    `banned`: words that must not appear, or a function returning the banned words it finds.
    """

    regex: str | None = None
    json_schema: Mapping[str, Any] | None = None
    min_chars: int | None = None
    max_chars: int | None = None
    min_words: int | None = None
    max_words: int | None = None
    labels: tuple[str, ...] | None = None
    banned: BannedCheck | tuple[str, ...] | None = None
    non_empty: bool = True
    no_refusal: bool = False
    grounded_in: str | None = None  # a summary's words must mostly come from this text

    def __post_init__(self) -> None:
        if self.regex is not None:
            try:
                re.compile(self.regex)
            except re.error as exc:
                raise RequestError(
                    phrase(
                        "The output pattern {regex} is not a valid regex ({exc}).",
                        regex=repr(self.regex),
                        exc=exc,
                    )
                ) from exc
        if self.json_schema is not None:
            check_json_schema(self.json_schema)
        for low, high, unit in (
            (self.min_chars, self.max_chars, phrase("characters")),
            (self.min_words, self.max_words, phrase("words")),
        ):
            if (low is not None and low < 0) or (high is not None and high < 0):
                raise RequestError(
                    phrase("Output length bounds in {unit} cannot be negative.", unit=unit)
                )
            if low is not None and high is not None and low > high:
                raise RequestError(
                    phrase(
                        "The minimum output length ({low} {unit}) is above the maximum ({high}).",
                        low=low,
                        unit=unit,
                        high=high,
                    )
                )
        if self.labels is not None:
            cleaned = [_clean_label(label) for label in self.labels]
            if not cleaned or not all(cleaned):
                raise RequestError(
                    phrase("A label set needs at least one label, and no label may be blank.")
                )
            if len({label.casefold() for label in cleaned}) != len(cleaned):
                raise RequestError(
                    phrase("The label set names the same label twice; make each label unique.")
                )


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    checks: tuple[Check, ...]
    value: Any = None  # the parsed JSON, or the label as the spec wrote it

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.ok)

    def summary(self) -> str:
        if self.ok:
            count = len(self.checks)
            return (
                phrase("passed 1 check")
                if count == 1
                else phrase("passed {count} checks", count=count)
            )
        if len(self.failures) == 1:
            (check,) = self.failures
            return phrase(
                "failed: {check_name} ({check_detail})",
                check_name=check.name,
                check_detail=check.detail,
            )
        names = ", ".join(check.name for check in self.failures)  # each detail is in .checks
        return phrase(
            "failed {len_failures} checks: {names}", len_failures=len(self.failures), names=names
        )


def verify(text: str, spec: VerifySpec) -> Verdict:
    """Run every rule the spec names against the text."""
    text = unicodedata.normalize("NFC", text)
    body = text.strip()
    checks: list[Check] = []
    value: Any = None
    parsed: tuple[bool, Any] = _parse_json(body) if spec.json_schema is not None else (False, None)
    if spec.non_empty:
        checks.append(
            Check(
                "non_empty",
                bool(body),
                phrase("The output has text.") if body else phrase("The output is empty."),
            )
        )
    if spec.no_refusal:
        checks.append(_refusal_check(body, is_data=parsed[0]))
    if spec.labels is not None:
        check, label = _label_check(body, spec.labels)
        checks.append(check)
        value = label
    if spec.json_schema is not None:
        check = _schema_check(parsed, spec.json_schema)
        checks.append(check)
        if check.ok:
            value = parsed[1]
    if spec.regex is not None:
        found = re.search(spec.regex, body) is not None
        detail = (
            phrase("The output matches the pattern.")
            if found
            else phrase("The output does not match {spec_regex}.", spec_regex=repr(spec.regex))
        )
        checks.append(Check("regex", found, detail))
    checks.extend(_length_checks(body, spec))
    if spec.grounded_in is not None and body:
        checks.append(_grounded_check(body, spec.grounded_in))
    if spec.banned is not None:
        checks.append(_banned_check(text, spec.banned))
    return Verdict(all(check.ok for check in checks), tuple(checks), value)


GROUNDED_SHARE = 0.4  # of a summary's content words that must occur in its source
_WORD = re.compile(r"[^\W\d_]{4,}")


def _grounded_check(body: str, source: str) -> Check:
    """Most content words of a summary come from the text it summarises (catches an
    answer about something else, such as "I'm ready to help, what is your question?")."""
    words = [w.casefold() for w in _WORD.findall(body)]
    if not words:
        return Check("grounded", True, phrase("The output has no content words to compare."))
    known = source.casefold()
    share = sum(1 for w in words if w in known) / len(words)
    if share >= GROUNDED_SHARE:
        return Check(
            "grounded",
            True,
            phrase("{share} of its words come from the source text.", share=format(share, ".0%")),
        )
    return Check(
        "grounded",
        False,
        phrase(
            "Only {share} of its words come from the text it was given.", share=format(share, ".0%")
        ),
    )


def spec_for(
    task: str,
    *,
    labels: tuple[str, ...] | None = None,
    json_schema: Mapping[str, Any] | None = None,
    source: str | None = None,
    banned: BannedCheck | tuple[str, ...] | None = None,
) -> VerifySpec:
    """Sensible rules for a task; `source` is the text a summary must be shorter than."""
    if task in ("intent", "classify") and labels:
        return VerifySpec(labels=labels, no_refusal=True, banned=banned)
    if task == "extract" or json_schema is not None:
        schema = json_schema if json_schema is not None else {"type": "object"}
        return VerifySpec(json_schema=schema, no_refusal=True, banned=banned)
    if task in ("summarize", "short_summarize"):
        limit = SHORT_SUMMARY_WORDS if task == "short_summarize" else SUMMARY_WORDS
        shorter = max(1, len(source.strip()) - 1) if source and source.strip() else None
        return VerifySpec(
            min_words=2,
            max_words=limit,
            max_chars=shorter,
            banned=banned,
            grounded_in=source if source and source.strip() else None,
        )
    if task in ("intent", "classify"):
        return VerifySpec(max_words=8, no_refusal=True, banned=banned)
    return VerifySpec(banned=banned)


def canonical_label(text: str, labels: tuple[str, ...]) -> str | None:
    """The label the text names, as the label set spells it, or None."""
    wanted = _clean_label(text).casefold()
    return next((label for label in labels if _clean_label(label).casefold() == wanted), None)


def _clean_label(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip(LABEL_STRIP)
    return text.rstrip(LABEL_TAIL).strip(LABEL_STRIP)


def _label_check(body: str, labels: tuple[str, ...]) -> tuple[Check, str | None]:
    label = canonical_label(body, labels)
    if label is not None:
        return Check(
            "label", True, phrase("The output is the label {label}.", label=repr(label))
        ), label
    shown = ", ".join(labels[:8]) + (", …" if len(labels) > 8 else "")
    said = body if len(body) <= 40 else body[:37] + "…"
    return Check(
        "label",
        False,
        phrase("The output {said} is not one of: {shown}.", said=repr(said), shown=shown),
    ), None


def _parse_json(body: str) -> tuple[bool, Any]:
    fenced = FENCE.match(body)
    try:
        return True, json.loads(fenced.group(1) if fenced else body)
    except ValueError:
        return False, None


def _schema_check(parsed: tuple[bool, Any], schema: Mapping[str, Any]) -> Check:
    is_json, data = parsed
    if not is_json:
        return Check("json_schema", False, phrase("The output is not valid JSON."))
    validator = jsonschema.validators.validator_for(schema)(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return Check("json_schema", True, phrase("The output is JSON that matches the schema."))
    where = "/".join(str(part) for part in error.absolute_path) or phrase("the top level")
    message = error.message if len(error.message) <= 120 else error.message[:117] + "…"
    return Check(
        "json_schema", False, phrase("At {where}: {message}.", where=where, message=message)
    )


def check_json_schema(schema: Mapping[str, Any]) -> None:
    """RequestError, in one sentence, if the schema breaks its own metaschema."""
    if not isinstance(schema, Mapping):
        raise RequestError(phrase("A JSON Schema must be a JSON object."))
    try:
        jsonschema.validators.validator_for(schema).check_schema(dict(schema))
    except jsonschema.exceptions.SchemaError as exc:
        raise RequestError(
            phrase("The JSON Schema is invalid ({exc}); fix it and try again.", exc=exc.message)
        ) from exc


def _refusal_check(body: str, *, is_data: bool) -> Check:
    if is_data:  # JSON that parsed is data, whatever words its strings quote
        return Check("no_refusal", True, phrase("The output is data, not a refusal."))
    found = REFUSALS.search(body)
    if found is None:
        return Check("no_refusal", True, phrase("The output is not a refusal."))
    return Check(
        "no_refusal",
        False,
        phrase(
            "The output refuses or apologises ({found_group_0}).",
            found_group_0=repr(found.group(0)),
        ),
    )


def _length_checks(body: str, spec: VerifySpec) -> list[Check]:
    checks: list[Check] = []
    for name, size, unit, low, high in (
        ("chars", len(body), phrase("characters"), spec.min_chars, spec.max_chars),
        ("words", len(body.split()), phrase("words"), spec.min_words, spec.max_words),
    ):
        if low is None and high is None:
            continue
        if low is not None and size < low:
            checks.append(
                Check(
                    name,
                    False,
                    phrase(
                        "The output has {size} {unit}; at least {low} are needed.",
                        size=size,
                        unit=unit,
                        low=low,
                    ),
                )
            )
        elif high is not None and size > high:
            checks.append(
                Check(
                    name,
                    False,
                    phrase(
                        "The output has {size} {unit}; at most {high} are allowed.",
                        size=size,
                        unit=unit,
                        high=high,
                    ),
                )
            )
        else:
            checks.append(
                Check(
                    name,
                    True,
                    phrase("The output has {size} {unit}, within bounds.", size=size, unit=unit),
                )
            )
    return checks


def _banned_check(text: str, banned: BannedCheck | tuple[str, ...]) -> Check:
    if callable(banned):
        hits = list(banned(text))
    else:
        hits = list(BannedWords(BannedWord(word, "block") for word in banned).check(text).hits)
    if not hits:
        return Check("banned", True, phrase("The output has no banned words."))
    words = ", ".join(repr(hit) for hit in hits)
    if len(hits) == 1:
        return Check(
            "banned", False, phrase("The output contains the banned word {words}.", words=words)
        )
    return Check(
        "banned", False, phrase("The output contains the banned words {words}.", words=words)
    )
