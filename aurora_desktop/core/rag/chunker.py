"""Splits a text into overlapping chunks that end at natural breaks, keeping char offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_CHUNK_CHARS = 600  # about 130 MiniLM tokens of English prose: the length it was tuned on
DEFAULT_OVERLAP_CHARS = 100
_SENTENCE_END = re.compile("[.!?\u3002\uff01\uff1f][\"')\\]]*\\s")  # also CJK full stops


@dataclass(frozen=True, slots=True)
class Chunk:
    """`text` is `source[start:end]` of the text it was cut from."""

    ordinal: int
    start: int
    end: int
    text: str


def chunk_text(
    text: str,
    *,
    max_chars: int = DEFAULT_CHUNK_CHARS,
    overlap: int = DEFAULT_OVERLAP_CHARS,
) -> list[Chunk]:
    """Windows of at most `max_chars`, each starting `overlap` chars before the last ended.

    A window ends at the last paragraph break in its second half, else the last sentence
    end, else the last whitespace, else it is cut hard. Chunks never start or end with
    whitespace, and a text with no visible characters gives no chunks.
    """
    if max_chars < 20 or not 0 <= overlap < max_chars // 2:
        raise ValueError("max_chars must be at least 20 and overlap under half of it")
    chunks: list[Chunk] = []
    start = _skip_space(text, 0)
    while start < len(text):
        end = _break_at(text, start, max_chars)
        piece_end = _trim_end(text, start, end)
        if piece_end > start:
            chunks.append(Chunk(len(chunks), start, piece_end, text[start:piece_end]))
        if end >= len(text):
            break
        start = _next_start(text, start, end, overlap)
    return chunks


def _break_at(text: str, start: int, max_chars: int) -> int:
    limit = start + max_chars
    if limit >= len(text):
        return len(text)
    floor = start + max_chars // 2
    window = text[floor:limit]
    paragraph = window.rfind("\n\n")
    if paragraph >= 0:
        return floor + paragraph + 2
    sentence = [m.end() for m in _SENTENCE_END.finditer(window)]
    if sentence:
        return floor + sentence[-1]
    space = max(window.rfind(" "), window.rfind("\n"), window.rfind("\t"))
    if space >= 0:
        return floor + space + 1
    return limit


def _next_start(text: str, start: int, end: int, overlap: int) -> int:
    """Back up `overlap` chars from `end`, then forward to the start of a word."""
    candidate = max(start + 1, end - overlap)
    if overlap and not text[candidate - 1].isspace():
        candidate = next((i for i in range(candidate, end) if text[i].isspace()), end)
    return _skip_space(text, min(candidate, end))


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
