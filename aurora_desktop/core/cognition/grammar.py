"""GBNF grammars for constrained decoding: one label of a set, a JSON Schema, a step list.

llama.cpp samples only tokens its grammar accepts, so a label set or a schema is met by
construction even by a 135M model. `check_grammar` runs llama.cpp's own GBNF parser (no
model needed), because `LlamaGrammar.from_string` defers parsing to the first generation.
"""

from __future__ import annotations

import contextlib
import copy
import json
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from aurora_desktop.core.cognition.verifier import check_json_schema
from aurora_desktop.core.errors import RequestError
from aurora_desktop.core.text import phrase

STRING_CAP = 200  # characters per JSON string the grammar lets a model write
ITEMS_CAP = 20  # items per JSON array
STEP_CHARS = 80  # characters per planner step line
_PLAIN = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CONSTANT_KEYS = ("enum", "const", "default", "examples")
_FORMATS = ("date", "time", "date-time")  # string formats the converter bounds by itself


def gbnf_literal(text: str) -> str:
    """`text` as a quoted GBNF literal; every non-ASCII or control character escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in _PLAIN:
            out.append(_PLAIN[char])
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04X}")
        else:
            out.append(f"\\U{code:08X}")
    return '"' + "".join(out) + '"'


def labels_grammar(labels: Sequence[str]) -> str:
    """A grammar whose only sentences are the labels, each exactly as written."""
    cleaned: list[str] = []
    for label in labels:
        text = unicodedata.normalize("NFC", label).strip()
        if not text:
            raise RequestError(phrase("A label set cannot contain a blank label."))
        if text not in cleaned:
            cleaned.append(text)
    if not cleaned:
        raise RequestError(phrase("A label set needs at least one label."))
    return "root ::= " + " | ".join(gbnf_literal(label) for label in cleaned) + "\n"


def steps_grammar(max_steps: int, *, min_steps: int = 2, line_chars: int = STEP_CHARS) -> str:
    """A numbered list ("1. …\\n2. …") of min_steps to max_steps non-blank lines."""
    if not 1 <= min_steps <= max_steps <= 20:
        raise RequestError(
            phrase("A plan has 1 to 20 steps, and its minimum cannot pass its maximum.")
        )
    if line_chars < 4:
        raise RequestError(phrase("A plan step line must allow at least 4 characters."))
    required = " ".join(
        (f'"{n}. " line' if n == 1 else f'"\\n{n}. " line') for n in range(1, min_steps + 1)
    )
    optional = ""
    for n in range(max_steps, min_steps, -1):
        optional = f' ("\\n{n}. " line{optional})?'
    return (
        f"root ::= {required}{optional}\nline ::= [^\\n\\r\\t ] [^\\n\\r]{{2,{line_chars - 1}}}\n"
    )


def schema_grammar(
    schema: Mapping[str, Any], *, string_cap: int = STRING_CAP, items_cap: int = ITEMS_CAP
) -> str:
    """A grammar for JSON that the schema accepts.

    Strings without a maxLength get `string_cap` and arrays without a maxItems get
    `items_cap`, and no property the schema does not name is produced: a small model cannot
    then wander in an endless string, and every output still validates against the schema.
    """
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    check_json_schema(schema)
    bounded = _bounded(copy.deepcopy(dict(schema)), string_cap, items_cap)
    try:
        grammar: str = json_schema_to_gbnf(json.dumps(bounded))
    except (AssertionError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise RequestError(
            phrase(
                "This JSON Schema cannot be turned into an output grammar "
                "({reason}); simplify it or leave it to the verifier.",
                reason=reason,
            )
        ) from exc
    except RecursionError as exc:
        raise RequestError(
            phrase("This JSON Schema is nested too deeply to build a grammar.")
        ) from exc
    return grammar


def check_grammar(grammar: str) -> None:
    """Parse GBNF text with llama.cpp's own parser; RequestError if it does not parse."""
    import llama_cpp

    from aurora_desktop.core.engines.llama_logging import quiet_llama_logs

    quiet_llama_logs()
    sampler = llama_cpp.llama_sampler_init_grammar(None, grammar.encode("utf-8"), b"root")
    if not sampler:
        raise RequestError(
            phrase("The output grammar does not parse; fix the label set or schema.")
        )
    with contextlib.suppress(Exception):
        llama_cpp.llama_sampler_free(sampler)


def _bounded(node: Any, string_cap: int, items_cap: int) -> Any:
    """The schema with caps added where none is given (a tighter schema, never a looser one)."""
    if isinstance(node, list):
        return [_bounded(item, string_cap, items_cap) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: value if key in _CONSTANT_KEYS else _bounded(value, string_cap, items_cap)
        for key, value in node.items()
    }
    kind = out.get("type")
    if isinstance(kind, list):  # one branch per type, so each branch gets its own cap
        rest = {key: value for key, value in out.items() if key != "type"}
        return {"anyOf": [_bounded({**rest, "type": one}, string_cap, items_cap) for one in kind]}
    shaped = str(out.get("format", "")) in _FORMATS or str(out.get("format", "")).startswith("uuid")
    free_string = not shaped and not any(key in out for key in ("pattern", "enum", "const"))
    if kind == "string" and free_string and "maxLength" not in out:
        out["maxLength"] = max(string_cap, int(out.get("minLength", 0)))
    if kind == "array" and "items" in out and "maxItems" not in out:
        out["maxItems"] = max(items_cap, int(out.get("minItems", 0)))
    return out
