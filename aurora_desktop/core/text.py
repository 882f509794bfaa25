"""Sentences the core writes for people, as message values the UI can translate.

The core writes English and has no Qt. A sentence a person may read (an error's message, a
reason shown in the route badge or a consent dialog, a check's result, a scheduler
warning) is made with `phrase(template, **args)`: a `Message`, which is the English text
(a `str`, so the CLI, logs and stored records use it as they are) and also keeps its
template and arguments. The UI shows it in the user's language by translating the
template and filling in the arguments, each translated the same way (ui/core_text.py):
nothing parses English back. Qt's lupdate finds the templates in the core's source
(`-tr-function-alias QT_TR_NOOP+=phrase`, see installer/translations.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


class Message(str):
    """English text that remembers the template and arguments it was made from."""

    template: str
    args: Mapping[str, object]

    def __new__(cls, template: str, args: Mapping[str, object] | None = None) -> Message:
        values = dict(args or {})
        text = template.format_map({k: _english(v) for k, v in values.items()})
        made = super().__new__(cls, text)
        made.template = template
        made.args = values
        return made

    def __str__(self) -> str:
        return self  # str(error) of an error with a Message keeps the Message

    def strip(self, chars: str | None = None) -> str:
        """Itself when there is nothing to strip (it stays a Message); else plain text."""
        stripped = str.strip(self, chars)
        return self if len(stripped) == len(self) else stripped

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.template, self.args))

    def to_json(self) -> str:
        """The template and arguments (each in English) for a stored record."""
        return json.dumps({"template": self.template, "args": _plain(self.args)})

    @staticmethod
    def from_json(data: str, english: str) -> str:
        """A stored message again: a Message if `data` holds one that still gives
        `english`, else `english` as it was stored."""
        try:
            raw = json.loads(data)
            template, args = raw["template"], raw["args"]
            if isinstance(template, str) and isinstance(args, dict):
                made = Message(template, {k: _revived(v) for k, v in args.items()})
                if made == english:
                    return made
        except (ValueError, KeyError, TypeError, IndexError):
            pass
        return english


def phrase(template: str, /, **args: object) -> Message:
    """The sentence `template` with `args` filled in ("{name} is loaded.", name=...); a
    literal `{` or `}` in the template is written `{{` or `}}`, as for str.format."""
    if isinstance(template, Message) and not args:
        return template
    return Message(template, args)


def message_of(error: BaseException) -> str:
    """The message an error was raised with: a Message when the core made it one."""
    if error.args and isinstance(error.args[0], str):
        return error.args[0]
    return str(error)


def _english(value: object) -> str:
    if isinstance(value, BaseException):
        return str(message_of(value))
    return str(value)


def _plain(args: Mapping[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in args.items():
        if isinstance(value, BaseException):
            value = message_of(value)
        if isinstance(value, Message):
            out[name] = {"template": value.template, "args": _plain(value.args)}
        else:
            out[name] = str(value)
    return out


def _revived(value: object) -> object:
    if isinstance(value, dict) and isinstance(value.get("template"), str):
        args = value.get("args")
        if isinstance(args, dict):
            return Message(value["template"], {k: _revived(v) for k, v in args.items()})
    return str(value)
