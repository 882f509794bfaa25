"""Recall and over-masking of a PII detector on labelled rows (the `pii_dev.jsonl` format).

An entity counts as found when masked spans of its kind (after the dataset-to-Aurora type
mapping) together cover every letter and digit of its value; punctuation and spaces around or
inside it (`(`, `+`, `-`, ` `) may stay. A masked span that overlaps neither an `entities` nor an
`other_entities` span is over-masking. Words are runs of non-space characters; a word is masked
when any of its characters is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.text import phrase

Detection = tuple[str, int, int]  # (Aurora kind, start, end)
Detect = Callable[[str], Sequence[Detection]]

TYPE_TO_KIND: dict[str, str] = {
    "EMAIL": "EMAIL",
    "PHONE": "PHONE",
    "CREDIT_CARD": "CARD",
    "IP_ADDRESS": "IP",
    "KR_RRN": "RRN",
    "SECRET": "SECRET",
}


@dataclass(frozen=True, slots=True)
class Miss:
    row_id: str
    type: str
    value: str
    masked_as: tuple[str, ...]  # kinds of masked spans that overlap it (empty: untouched)


@dataclass(frozen=True, slots=True)
class OverMask:
    row_id: str
    kind: str
    value: str
    hard_negative: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PiiScore:
    found: dict[str, int]  # dataset type -> entities found
    total: dict[str, int]  # dataset type -> entities
    misses: tuple[Miss, ...]
    over_masks: tuple[OverMask, ...]
    empty_lines: int  # lines with no span at all
    empty_words: int
    empty_words_masked: int
    hard_negative_lines: int
    hard_negative_lines_over_masked: int

    def recall(self, type_: str) -> float:
        return self.found.get(type_, 0) / self.total[type_] if self.total.get(type_) else 1.0

    @property
    def overall_recall(self) -> float:
        total = sum(self.total.values())
        return sum(self.found.values()) / total if total else 1.0

    @property
    def empty_words_masked_share(self) -> float:
        return self.empty_words_masked / self.empty_words if self.empty_words else 0.0

    def over_masks_by_kind(self) -> dict[str, int]:
        return dict(Counter(item.kind for item in self.over_masks))

    def as_json(self) -> dict[str, Any]:
        """Plain numbers for `--json` and tables."""
        return {
            "recall": {t: round(self.recall(t), 4) for t in sorted(self.total)},
            "found": dict(sorted(self.found.items())),
            "total": dict(sorted(self.total.items())),
            "overall_recall": round(self.overall_recall, 4),
            "over_masked_spans": len(self.over_masks),
            "over_masked_by_kind": self.over_masks_by_kind(),
            "hard_negative_lines": self.hard_negative_lines,
            "hard_negative_lines_over_masked": self.hard_negative_lines_over_masked,
            "empty_lines": self.empty_lines,
            "empty_words_masked_share": round(self.empty_words_masked_share, 4),
        }


def score_pii(rows: Iterable[Mapping[str, Any]], detect: Detect) -> PiiScore:
    """Run `detect` over every row's text and compare with the row's labelled spans."""
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[Miss] = []
    over: list[OverMask] = []
    empty_lines = empty_words = empty_masked = hard_lines = hard_over = 0
    for number, row in enumerate(rows, 1):
        text, entities, others = _checked_row(row, number)
        row_id = str(row.get("id", number))
        detections = list(detect(text))
        for entity in entities:
            type_, start, end = entity["type"], entity["start"], entity["end"]
            total[type_] += 1
            if _covered(text, start, end, detections, TYPE_TO_KIND[type_]):
                found[type_] += 1
            else:
                kinds = tuple(k for k, s, e in detections if s < end and e > start)
                misses.append(Miss(row_id, type_, text[start:end], kinds))
        labelled = [(e["start"], e["end"]) for e in [*entities, *others]]
        hard = bool(row.get("hard_negative"))
        extra = [
            OverMask(row_id, kind, text[start:end], hard)
            for kind, start, end in detections
            if not any(start < e and end > s for s, e in labelled)
        ]
        over += extra
        hard_lines += hard
        hard_over += hard and bool(extra)
        if not labelled:
            empty_lines += 1
            words, masked = _words_masked(text, detections)
            empty_words += words
            empty_masked += masked
    return PiiScore(
        found=dict(found),
        total=dict(total),
        misses=tuple(misses),
        over_masks=tuple(over),
        empty_lines=empty_lines,
        empty_words=empty_words,
        empty_words_masked=empty_masked,
        hard_negative_lines=hard_lines,
        hard_negative_lines_over_masked=hard_over,
    )


def _checked_row(
    row: Mapping[str, Any], number: int
) -> tuple[str, list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    text = row.get("text")
    entities = row.get("entities", [])
    others = row.get("other_entities", [])
    if not isinstance(text, str) or not isinstance(entities, list) or not isinstance(others, list):
        raise ConfigError(
            phrase("PII row {number} needs a text and lists of entities.", number=number)
        )
    for entity in [*entities, *others]:
        start, end = entity.get("start"), entity.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ConfigError(
                phrase("PII row {number} has a span outside its text.", number=number)
            )
    for entity in entities:
        if entity.get("type") not in TYPE_TO_KIND:
            raise ConfigError(
                phrase(
                    "PII row {number} has the type {entity_get_type}; use one of "
                    "{join_TYPE_TO_KIND}.",
                    number=number,
                    entity_get_type=repr(entity.get("type")),
                    join_TYPE_TO_KIND=", ".join(TYPE_TO_KIND),
                )
            )
    return text, entities, others


def _covered(text: str, start: int, end: int, detections: Sequence[Detection], kind: str) -> bool:
    masked = [(s, e) for k, s, e in detections if k == kind and s < end and e > start]
    if not masked:
        return False
    return all(
        any(s <= index < e for s, e in masked)
        for index in range(start, end)
        if text[index].isalnum()
    )


def _words_masked(text: str, detections: Sequence[Detection]) -> tuple[int, int]:
    words = masked = 0
    index = 0
    for word in text.split():
        start = text.index(word, index)
        index = start + len(word)
        words += 1
        masked += any(s < index and e > start for _, s, e in detections)
    return words, masked
