"""Finding the text files in a folder and reading them; anything else is skipped with a reason."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import NotRegularFile, is_regular_file, read_regular_at_most

_TEXT_SUFFIXES = """
.txt .text .md .markdown .rst .org .adoc .tex .py .pyi .js .ts .tsx .jsx .java .c .h .cc .cpp
.hpp .cs .go .rs .rb .php .swift .kt .scala .sh .ps1 .bat .sql .r .lua .pl .json .jsonl .yaml
.yml .toml .ini .cfg .conf .xml .csv .tsv .log .html .htm .css
"""
TEXT_SUFFIXES = frozenset(_TEXT_SUFFIXES.split())
HTML_SUFFIXES = frozenset({".html", ".htm", ".xml"})
DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024
SNIFF_BYTES = 8192
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv"})
_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")
_RAW_TEXT_OPEN = re.compile(r"<(script|style)\b", re.I)
_RAW_TEXT_CLOSE = {
    "script": re.compile(r"</script\s*>", re.I),
    "style": re.compile(r"</style\s*>", re.I),
}
_NOT_NEWLINE = re.compile(r"[^\n]")


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceText:
    """A file's text as chunked (markup blanked out, same length) and its content hash."""

    text: str
    sha256: str


def discover(
    folder: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> tuple[list[Path], list[Skipped]]:
    """Text-like files under `folder` (sorted), and the files passed over with why."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            reason = _reason_to_skip(path, max_bytes)
            if reason:
                skipped.append(Skipped(str(path), reason))
            else:
                found.append(path)
    return found, skipped


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> SourceText | Skipped:
    """The file's text, or why it cannot be used (binary, not UTF-8, too large, unreadable).

    Only a regular file is read (a named pipe or device in its place is skipped without
    blocking), and never more than `max_bytes` of it, whatever its size claims.
    """
    try:
        data = read_regular_at_most(path, max_bytes)
    except NotRegularFile as exc:
        return Skipped(str(path), phrase("not a regular file ({exc_kind})", exc_kind=exc.kind))
    except OSError as exc:
        return Skipped(
            str(path),
            phrase(
                "cannot be read ({exc_strerror_or_type_exc___name})",
                exc_strerror_or_type_exc___name=exc.strerror or type(exc).__name__,
            ),
        )
    if data is None:
        return Skipped(str(path), _too_large(max_bytes))
    if b"\x00" in data[:SNIFF_BYTES]:
        return Skipped(str(path), phrase("binary content"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Skipped(str(path), phrase("not UTF-8 text"))
    if path.suffix.lower() in HTML_SUFFIXES:
        text = blank_markup(text)
    return SourceText(text, hashlib.sha256(data).hexdigest())


def blank_markup(text: str) -> str:
    """Tags, scripts, styles and comments become spaces, so offsets stay those of the file.

    One pass in linear time, whatever the input: a terminator searched for once and not
    found is never searched for again. (`html.parser` is not used: the one of Python 3.11.7
    takes quadratic time on unclosed tags; 20 KB of `<a b='` took 1.2 s, 1 MB of `<a` over
    five minutes.)
    """
    pieces: list[str] = []
    kept = 0
    for start, end in _markup_spans(text):
        pieces.append(text[kept:start])
        pieces.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        kept = end
    pieces.append(text[kept:])
    return "".join(pieces)


def _markup_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each tag, comment, script and style element, in order."""
    missing: set[str] = set()  # terminators known to be absent from here to the end
    pos = 0
    while (opened := _TAG_OPEN.search(text, pos)) is not None:
        start = opened.start()
        end = -1
        if text.startswith("<!--", start) and "-->" not in missing:
            close = text.find("-->", start + 4)
            if close < 0:
                missing.add("-->")
            else:
                end = close + 3
        elif (raw := _RAW_TEXT_OPEN.match(text, start)) is not None:
            name = raw.group(1).lower()
            if name not in missing:
                closing = _RAW_TEXT_CLOSE[name].search(text, raw.end())
                if closing is None:
                    missing.add(name)
                else:
                    end = closing.end()
        if end < 0:  # a plain tag, or a comment or script never closed: up to the next ">"
            close = text.find(">", start + 1)
            if close < 0:
                return  # no ">" anywhere after: nothing further can be a tag
            end = close + 1
        yield start, end
        pos = end


def _too_large(max_bytes: int) -> str:
    return phrase(
        "larger than {max_bytes_1024_1024} MB", max_bytes_1024_1024=max_bytes // (1024 * 1024)
    )


def _reason_to_skip(path: Path, max_bytes: int) -> str | None:
    if path.name.startswith("."):
        return phrase("hidden file")
    if path.is_symlink():
        return phrase("symbolic link")
    if not is_regular_file(path):
        return phrase("not a regular file")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        kind = path.suffix or phrase("no extension")
        return phrase("not a text file type ({kind})", kind=kind)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return phrase(
            "cannot be read ({exc_strerror_or_type_exc___name})",
            exc_strerror_or_type_exc___name=exc.strerror or type(exc).__name__,
        )
    if size > max_bytes:
        return _too_large(max_bytes)
    return None
