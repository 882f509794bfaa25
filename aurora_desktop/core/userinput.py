"""What a user types or pipes in, made safe: JSON with a depth limit, text with no lone surrogates.

JSON from a flag, a file or standard input is checked for nesting before it is parsed (the
parser recurses once per level, so 5,000 nested arrays would end in RecursionError), and
NaN, Infinity and numbers too large for a float are refused. Text from the command line
may hold lone surrogates (invalid UTF-8 bytes that Python kept with `surrogateescape`, or a
`\\udcff` JSON escape); `clean_text` turns them into U+FFFD so no encoder downstream fails.
"""

from __future__ import annotations

import json
import math
import re
import sys
from itertools import accumulate
from typing import Any, BinaryIO

from aurora_desktop.core.errors import AuroraError, ConfigError

MAX_JSON_DEPTH = 64
MAX_INT_DIGITS = 4000  # below Python's own limit (4,300) so its message never shows
DEFAULT_STDIN_LIMIT = 4_000_000
# A string, closed or not (an unclosed one runs to the end, so the scan never restarts).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_depth(text: str) -> int:
    """How deeply `text`'s arrays and objects nest (brackets inside strings do not count)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def load_json(
    raw: bytes | str,
    *,
    what: str,
    max_depth: int = MAX_JSON_DEPTH,
    error: type[AuroraError] = ConfigError,
) -> Any:
    """`raw` parsed as JSON, or `error` with one sentence naming `what`."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise error(f"{what} is not UTF-8 text (bad byte at offset {exc.start}).") from exc
    else:
        text = raw
    if json_depth(text) > max_depth:
        raise error(f"{what} nests arrays or objects deeper than {max_depth} levels.")
    try:
        return json.loads(
            text, parse_constant=_no_constant, parse_float=_finite_float, parse_int=_bounded_int
        )
    except _BadNumber as exc:
        raise error(f"{what} holds {exc.args[0]}.") from exc
    except ValueError as exc:
        raise error(f"{what} is not valid JSON ({_reason(exc)}).") from exc
    except RecursionError as exc:  # the depth check above makes this unreachable in practice
        raise error(f"{what} nests arrays or objects too deeply.") from exc


def clean_text(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD (unchanged when it has none)."""
    if not _SURROGATE.search(text):
        return text
    try:  # bytes Python kept from invalid UTF-8: one U+FFFD per bad sequence
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte, e.g. from "\ud800"
        return _SURROGATE.sub("\ufffd", text)
    return raw.decode("utf-8", "replace")


def read_stdin_text(
    *,
    what: str,
    limit: int = DEFAULT_STDIN_LIMIT,
    error: type[AuroraError] = ConfigError,
    stream: BinaryIO | None = None,
) -> str:
    """Standard input as text, at most `limit` bytes; invalid UTF-8 becomes U+FFFD and line
    ends become "\\n" (as text-mode standard input gave them)."""
    source = stream if stream is not None else getattr(sys.stdin, "buffer", None)
    if source is None:
        raise error(f"There is no standard input to read {what.lower()} from.")
    data = source.read(limit + 1)
    if len(data) > limit:
        raise error(f"{what} on standard input is larger than {limit:,} bytes; shorten it.")
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _BadNumber(ValueError):
    """A number JSON allows but Aurora refuses (NaN, infinity, too large to hold)."""


def _no_constant(name: str) -> Any:
    raise _BadNumber(f"{name}; numbers must be finite")


def _finite_float(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value):
        raise _BadNumber(f"{raw[:20]}, a number too large to hold")
    return value


def _bounded_int(raw: str) -> int:
    if len(raw.lstrip("-")) > MAX_INT_DIGITS:
        raise _BadNumber(f"a whole number of more than {MAX_INT_DIGITS:,} digits")
    return int(raw)


def _reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    return str(exc.args[0]) if exc.args else type(exc).__name__
