"""Finding the text files in a folder and reading them; anything else is skipped with a reason."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from aurora_desktop.core.text import phrase

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
_MARKUP = re.compile(
    r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>", re.S | re.I
)


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
    """The file's text, or why it cannot be used (binary, not UTF-8, too large, unreadable)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return Skipped(str(path), phrase(f"cannot be read ({exc.strerror or type(exc).__name__})"))
    if len(data) > max_bytes:
        return Skipped(str(path), phrase(f"larger than {max_bytes // (1024 * 1024)} MB"))
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
    """Tags, scripts, styles and comments become spaces, so offsets stay those of the file."""
    return _MARKUP.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _reason_to_skip(path: Path, max_bytes: int) -> str | None:
    if path.name.startswith("."):
        return phrase("hidden file")
    if path.is_symlink():
        return phrase("symbolic link")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        kind = path.suffix or phrase("no extension")
        return phrase(f"not a text file type ({kind})")
    try:
        size = path.stat().st_size
    except OSError as exc:
        return phrase(f"cannot be read ({exc.strerror or type(exc).__name__})")
    if size > max_bytes:
        return phrase(f"larger than {max_bytes // (1024 * 1024)} MB")
    return None
