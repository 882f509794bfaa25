"""The user's settings (`settings.json` in the data folder): schema-checked, written atomically."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.policy.pii import ALL_KINDS, PRIORITY
from aurora_desktop.core.text import phrase

FILE_NAME = "settings.json"
LANGUAGE_CHOICES = ("system", "en", "ko")
IDLE_UNLOAD_RANGE = (1, 1440)  # minutes: one minute to one day
CONSENT_TIMEOUT_RANGE = (10, 600)  # seconds
MAX_WARM_MODELS = 16
MAX_BYTES = 100_000

SETTINGS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Aurora settings",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "language": {
            "enum": list(LANGUAGE_CHOICES),
            "description": "The UI language; 'system' follows the operating system.",
        },
        "idle_unload_min": {
            "type": "integer",
            "minimum": IDLE_UNLOAD_RANGE[0],
            "maximum": IDLE_UNLOAD_RANGE[1],
            "description": "Minutes a local model may stay idle before it is unloaded.",
        },
        "warm_models": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 200},
            "uniqueItems": True,
            "maxItems": MAX_WARM_MODELS,
            "description": "Local models loaded at start and kept when memory allows.",
        },
        "start_at_login": {
            "type": "boolean",
            "description": "Start Aurora when the user logs in (opt-in).",
        },
        "pii_kinds": {
            "type": "array",
            "items": {"enum": list(PRIORITY)},
            "uniqueItems": True,
            "description": "The kinds of personal data masked before text leaves the machine.",
        },
        "consent_timeout_s": {
            "type": "integer",
            "minimum": CONSENT_TIMEOUT_RANGE[0],
            "maximum": CONSENT_TIMEOUT_RANGE[1],
            "description": "Seconds a consent question waits before it counts as 'no'.",
        },
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(SETTINGS_SCHEMA)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """One consistent set of values; change them with `SettingsFile.update`."""

    language: str = "system"
    idle_unload_min: int = 10  # the scheduler's default TTL of 600 s
    warm_models: tuple[str, ...] = ()
    start_at_login: bool = False
    pii_kinds: frozenset[str] = field(default_factory=lambda: ALL_KINDS)
    consent_timeout_s: int = 60

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "language": self.language,
            "idle_unload_min": self.idle_unload_min,
            "warm_models": list(self.warm_models),
            "start_at_login": self.start_at_login,
            "pii_kinds": [kind for kind in PRIORITY if kind in self.pii_kinds],
            "consent_timeout_s": self.consent_timeout_s,
        }


FIELDS = frozenset(Settings.__dataclass_fields__)
Listener = Callable[[Settings, frozenset[str]], None]  # new settings, names that changed


THE_SETTINGS = phrase("The settings")


def settings_path(home: AuroraHome) -> Path:
    return home.root / FILE_NAME


def validate(data: Any, source: str = THE_SETTINGS) -> Settings:
    """Settings from JSON data, or ConfigError naming the first problem."""
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(data))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or phrase("the top level")
        raise ConfigError(
            f"{source} are not valid at {where} ({error.message}); fix or reset them."
        )
    values = {key: value for key, value in data.items() if key in FIELDS}
    if "warm_models" in values:
        values["warm_models"] = tuple(values["warm_models"])
    if "pii_kinds" in values:
        values["pii_kinds"] = frozenset(values["pii_kinds"])
    return Settings(**values)


class SettingsFile:
    """Holds the current settings; `update` validates, saves atomically, then tells listeners.

    A missing file means defaults. An unreadable or invalid file keeps the defaults and leaves
    its reason in `problem` (a sentence to show); the next `update` writes a valid file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.changed: list[Listener] = []
        self.problem: ConfigError | None = None
        self._lock = threading.Lock()
        self._current = Settings()
        try:
            self.reload()
        except ConfigError as exc:
            self.problem = exc

    @classmethod
    def in_home(cls, home: AuroraHome) -> SettingsFile:
        return cls(settings_path(home))

    def current(self) -> Settings:
        with self._lock:
            return self._current

    def reload(self) -> Settings:
        """Read the file again; on ConfigError the settings in use stay as they were."""
        loaded = self._read()
        with self._lock:
            old, self._current = self._current, loaded
        self.problem = None
        self._notify(old, loaded)
        return loaded

    def update(self, **changes: Any) -> Settings:
        """Change some values: all are checked first, then saved together, or none is."""
        unknown = sorted(set(changes) - FIELDS)
        if unknown:
            raise ConfigError(
                f"There is no setting called {', '.join(unknown)}; "
                f"known settings: {', '.join(sorted(FIELDS))}."
            )
        with self._lock:
            old = self._current
            data = old.to_json()
            data.update({key: _jsonable(value) for key, value in changes.items()})
            new = validate(data, phrase("The new settings"))
            if new != old:
                atomic_write_text(
                    self.path, json.dumps(new.to_json(), indent=2, ensure_ascii=False) + "\n"
                )
            self._current = new
        self.problem = None
        self._notify(old, new)
        return new

    def _read(self) -> Settings:
        try:
            size = self.path.stat().st_size
            if size > MAX_BYTES:
                raise ConfigError(
                    f"{self.path} is larger than 100 kB; delete it to start from the defaults."
                )
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise ConfigError(
                f"{self.path} cannot be read ({reason}); Aurora uses the default settings "
                "until you fix or delete it."
            ) from exc
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise ConfigError(
                f"{self.path} is not valid JSON ({exc}); Aurora uses the default settings "
                "until you fix or delete it."
            ) from exc
        return validate(data, phrase(f"The settings in {self.path}"))

    def _notify(self, old: Settings, new: Settings) -> None:
        names = frozenset(
            name for name in sorted(FIELDS) if getattr(old, name) != getattr(new, name)
        )
        if not names:
            return
        for listener in list(self.changed):
            listener(new, names)


def _jsonable(value: Any) -> Any:
    """Tuples, sets and frozensets as JSON lists (sets in a stable order)."""
    if isinstance(value, frozenset | set):
        order = {kind: index for index, kind in enumerate(PRIORITY)}
        return sorted(value, key=lambda item: (order.get(item, len(order)), str(item)))
    if isinstance(value, tuple):
        return list(value)
    return value
