"""Finds and parses the evaluation sets in a folder (intent, PII and RAG files), line by line.

A folder holds any of:

* intent files `intent_NAME.jsonl` (lines `{"text", "label", "labels"}`), each with an optional
  few-shot file `intent_NAME_examples.json` (`{"label": [texts]}`); a `_dev` or `_test` suffix
  of NAME is dropped when looking for the examples file;
* PII files `pii*.jsonl` (lines `{"text", "entities": [{"type", "start", "end"}], ...}`);
* RAG sets: a folder `X/` of documents beside `X_questions*.jsonl` (lines `{"question",
  "doc", "lang", "answer"}`; a null `answer` marks a question the documents cannot answer).

With a `MANIFEST.json` (`sha256` or `sha256_16` maps of relative path to digest), every file it
lists is checked first. Every problem is one sentence naming the file and, for a bad line, the
line number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import read_named_bytes
from aurora_desktop.core.userinput import load_json

MANIFEST = "MANIFEST.json"
MAX_FILE_BYTES = 50_000_000
SET_SUFFIXES = ("_dev", "_test", "_eval")
KINDS = ("intent", "pii", "rag")


@dataclass(frozen=True, slots=True)
class IntentRow:
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class IntentSet:
    """One intent file: its rows, the label names in order, and the few-shot examples if any."""

    name: str
    path: Path
    labels: tuple[str, ...]
    rows: tuple[IntentRow, ...]
    examples: Mapping[str, tuple[str, ...]] | None = None


@dataclass(frozen=True, slots=True)
class PiiSet:
    """One PII file; rows stay the parsed JSON objects (checked) for `pii_score`."""

    name: str
    path: Path
    rows: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class RagSet:
    """A folder of documents and its question files (answerable rows have a gold `doc`)."""

    name: str
    folder: Path
    questions: Mapping[str, tuple[Mapping[str, Any], ...]]  # file name -> rows

    def answerable(self) -> list[Mapping[str, Any]]:
        return [r for rows in self.questions.values() for r in rows if r.get("answer") is not None]

    def unanswerable(self) -> list[Mapping[str, Any]]:
        return [r for rows in self.questions.values() for r in rows if r.get("answer") is None]


@dataclass(frozen=True, slots=True)
class EvalData:
    folder: Path
    intents: tuple[IntentSet, ...]
    pii: tuple[PiiSet, ...]
    rag: tuple[RagSet, ...]
    verified: int  # files checked against MANIFEST.json (0 without one)

    @property
    def empty(self) -> bool:
        return not (self.intents or self.pii or self.rag)


def load_folder(folder: Path, only: Sequence[str] = KINDS) -> EvalData:
    """Every set of the `only` kinds in `folder`, checked; `ConfigError` for any problem."""
    if not folder.is_dir():
        raise ConfigError(
            phrase("{folder} is not a folder; give a folder of evaluation files.", folder=folder)
        )
    verified = verify_manifest(folder)
    intents = (
        tuple(load_intent(p) for p in sorted(folder.glob("intent_*.jsonl")))
        if "intent" in only
        else ()
    )
    pii = tuple(load_pii(p) for p in sorted(folder.glob("pii*.jsonl"))) if "pii" in only else ()
    rag = tuple(load_rag(d) for d in _rag_folders(folder)) if "rag" in only else ()
    data = EvalData(folder, intents, pii, rag, verified)
    if data.empty:
        raise ConfigError(
            phrase(
                "{folder} holds no evaluation set ({join_only}); see "
                "bench/eval-data/README.md for the file names and formats.",
                folder=folder,
                join_only=", ".join(only),
            )
        )
    return data


def verify_manifest(folder: Path) -> int:
    """Check every file `MANIFEST.json` lists against its sha256; the number checked."""
    path = folder / MANIFEST
    if not path.exists():
        return 0
    manifest = load_json(read_named_bytes(path, what=str(path)), what=str(path))
    digests = (
        manifest.get("sha256") or manifest.get("sha256_16") if isinstance(manifest, dict) else None
    )
    if not isinstance(digests, dict) or not all(isinstance(v, str) for v in digests.values()):
        raise ConfigError(
            phrase(
                "{path} has no 'sha256' (or 'sha256_16') map of file names to digests.", path=path
            )
        )
    for name, expected in digests.items():
        target = folder / name
        if not target.is_file():
            raise ConfigError(
                phrase("{target} is listed in {path} but missing.", target=target, path=path)
            )
        actual = hashlib.sha256(read_named_bytes(target, limit=MAX_FILE_BYTES)).hexdigest()
        if not expected or not actual.startswith(expected.lower()):
            raise ConfigError(
                phrase(
                    "{target} does not match its sha256 in {path} ({actual_16} is not "
                    "{expected_16}); restore the file or update the manifest.",
                    target=target,
                    path=path,
                    actual_16=actual[:16],
                    expected_16=expected[:16],
                )
            )
    return len(digests)


def set_name(path: Path) -> str:
    """`intent_en_clinc_dev.jsonl` -> `intent_en_clinc`."""
    stem = path.name.removesuffix(".jsonl")
    for suffix in SET_SUFFIXES:
        if stem.endswith(suffix):
            return stem.removesuffix(suffix)
    return stem


def load_intent(path: Path) -> IntentSet:
    labels: tuple[str, ...] | None = None
    rows: list[IntentRow] = []
    for number, row in _json_lines(path):
        text, label, names = row.get("text"), row.get("label"), row.get("labels")
        if not isinstance(text, str) or not text.strip():
            raise _bad_line(path, number, "has no 'text'")
        if (
            not isinstance(names, list)
            or len(names) < 2
            or not all(isinstance(n, str) and n for n in names)
        ):
            raise _bad_line(path, number, "needs 'labels', a list of at least two label names")
        if labels is None:
            labels = tuple(names)
        elif tuple(names) != labels:
            raise _bad_line(path, number, "lists other 'labels' than line 1")
        if not isinstance(label, str) or label not in labels:
            raise _bad_line(path, number, f"has the label {label!r}, which is not in its 'labels'")
        rows.append(IntentRow(text, label))
    if labels is None:
        raise ConfigError(
            phrase("{path} has no lines; an intent file needs at least one.", path=path)
        )
    name = set_name(path)
    examples_path = path.with_name(f"{name}_examples.json")
    examples = load_examples(examples_path, labels) if examples_path.exists() else None
    return IntentSet(name, path, labels, tuple(rows), examples)


def load_examples(path: Path, labels: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """A few-shot file: every label of the set (and only those) with a list of texts."""
    data = load_json(read_named_bytes(path, limit=MAX_FILE_BYTES, what=str(path)), what=str(path))
    if not isinstance(data, dict):
        raise ConfigError(
            phrase("{path} must be a JSON object of label names to lists of examples.", path=path)
        )
    for label, texts in data.items():
        if label not in labels:
            raise ConfigError(
                phrase(
                    "{path} has examples for {label}, which is not a label of the set.",
                    path=path,
                    label=repr(label),
                )
            )
        if not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
            raise ConfigError(
                phrase(
                    "{path}: the examples of {label} must be a list of texts.",
                    path=path,
                    label=repr(label),
                )
            )
    return {label: tuple(data.get(label, ())) for label in labels}


def load_pii(path: Path) -> PiiSet:
    rows: list[Mapping[str, Any]] = []
    for number, row in _json_lines(path):
        text = row.get("text")
        if not isinstance(text, str):
            raise _bad_line(path, number, "has no 'text'")
        for key in ("entities", "other_entities"):
            spans = row.get(key, [])
            if not isinstance(spans, list):
                raise _bad_line(path, number, f"has '{key}' that is not a list")
            for span in spans:
                _check_span(path, number, text, span)
        if "entities" not in row:
            raise _bad_line(path, number, "has no 'entities' list (use [] for none)")
        rows.append(row)
    if not rows:
        raise ConfigError(phrase("{path} has no lines; a PII file needs at least one.", path=path))
    return PiiSet(path.name.removesuffix(".jsonl"), path, tuple(rows))


def _check_span(path: Path, number: int, text: str, span: object) -> None:
    if not isinstance(span, dict) or not isinstance(span.get("type"), str):
        raise _bad_line(path, number, "has an entity without a 'type'")
    start, end = span.get("start"), span.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise _bad_line(path, number, f"has a {span['type']} span outside its text")
    value = span.get("value")
    if value is not None and value != text[start:end]:
        raise _bad_line(path, number, f"has a {span['type']} value that is not text[{start}:{end}]")


def load_rag(folder: Path) -> RagSet:
    questions: dict[str, tuple[Mapping[str, Any], ...]] = {}
    for path in sorted(folder.parent.glob(f"{folder.name}_questions*.jsonl")):
        rows: list[Mapping[str, Any]] = []
        for number, row in _json_lines(path):
            question, doc = row.get("question"), row.get("doc")
            if not isinstance(question, str) or not question.strip():
                raise _bad_line(path, number, "has no 'question'")
            needs_doc = row.get("answer") is not None or doc is not None
            if needs_doc and (not isinstance(doc, str) or not (folder / doc).is_file()):
                raise _bad_line(
                    path, number, f"names the document {doc!r}, which is not in {folder.name}/"
                )
            if "lang" in row and not isinstance(row["lang"], str):
                raise _bad_line(path, number, "has a 'lang' that is not text")
            rows.append(row)
        if not rows:
            raise ConfigError(
                phrase("{path} has no lines; a question file needs at least one.", path=path)
            )
        questions[path.name] = tuple(rows)
    return RagSet(folder.name, folder, questions)


def _rag_folders(folder: Path) -> list[Path]:
    return [
        d
        for d in sorted(folder.iterdir())
        if d.is_dir() and any(folder.glob(f"{d.name}_questions*.jsonl"))
    ]


def _json_lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; a line that is not an object fails."""
    raw = read_named_bytes(path, limit=MAX_FILE_BYTES, what=str(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            phrase(
                "{path} is not UTF-8 text (bad byte at offset {exc_start}).",
                path=path,
                exc_start=exc.start,
            )
        ) from exc
    out: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        row = load_json(line, what=f"{path} line {number}")
        if not isinstance(row, dict):
            raise _bad_line(path, number, "is not a JSON object")
        out.append((number, row))
    return out


def _bad_line(path: Path, number: int, problem: str) -> ConfigError:
    return ConfigError(
        phrase("{path} line {number} {problem}.", path=path, number=number, problem=problem)
    )
