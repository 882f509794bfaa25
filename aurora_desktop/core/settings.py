"""The user's settings (`settings.json` in the data folder): schema-checked, saved under a lock."""

from __future__ import annotations

import ipaddress
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.policy.pii import ALL_KINDS, PRIORITY
from aurora_desktop.core.text import phrase
from aurora_desktop.core.watched import WatchedFile, encode_text, parse_json_bytes

FILE_NAME = "settings.json"
LANGUAGE_CHOICES = ("system", "en", "ko")
IDLE_UNLOAD_RANGE = (1, 1440)  # minutes: one minute to one day
CONSENT_TIMEOUT_RANGE = (10, 600)  # seconds
THREADS_RANGE = (0, 256)  # 0: chosen by the load (core/threads.py)
MAX_WARM_MODELS = 16
MAX_BYTES = 100_000
# the local API's port: not Ollama's 11434, LM Studio's 1234, Jan's 1337, llama.cpp's 8080,
# nor in an ephemeral range (Linux 32768-60999, Windows 49152-65535)
API_PORT = 11470
API_PORT_RANGE = (1024, 65535)
MAX_API_ORIGINS = 32
# a browser origin: scheme://host[:port], no path; "null" and "*" never match
_ORIGIN_PATTERN = (
    r"^[A-Za-z][A-Za-z0-9+.-]{0,30}://"
    r"([A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}"
    r"[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$"
)

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
        "threads": {
            "type": "integer",
            "minimum": THREADS_RANGE[0],
            "maximum": THREADS_RANGE[1],
            "description": "CPU threads for local models; 0 chooses by how busy the machine is.",
        },
        "api_enabled": {
            "type": "boolean",
            "description": "Serve the local OpenAI- and Ollama-compatible API (off by default).",
        },
        "api_port": {
            "type": "integer",
            "minimum": API_PORT_RANGE[0],
            "maximum": API_PORT_RANGE[1],
            "description": "The TCP port of the local API.",
        },
        "api_require_key": {
            "type": "boolean",
            "description": "Every API request must carry a key; only while bound to loopback "
            "can this be turned off.",
        },
        "api_origins": {
            "type": "array",
            "items": {"type": "string", "maxLength": 200, "pattern": _ORIGIN_PATTERN},
            "uniqueItems": True,
            "maxItems": MAX_API_ORIGINS,
            "description": "Browser origins (scheme://host[:port]) allowed to call the API.",
        },
        "api_bind": {
            "type": "string",
            "minLength": 2,
            "maxLength": 45,
            "description": "The address the API listens on; anything but 127.0.0.1, ::1 or "
            "localhost lets other machines reach it.",
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
    threads: int = 0  # 0: automatic
    api_enabled: bool = False
    api_port: int = API_PORT
    api_require_key: bool = True
    api_origins: tuple[str, ...] = ()
    api_bind: str = "127.0.0.1"

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "language": self.language,
            "idle_unload_min": self.idle_unload_min,
            "warm_models": list(self.warm_models),
            "start_at_login": self.start_at_login,
            "pii_kinds": [kind for kind in PRIORITY if kind in self.pii_kinds],
            "consent_timeout_s": self.consent_timeout_s,
            "threads": self.threads,
            "api_enabled": self.api_enabled,
            "api_port": self.api_port,
            "api_require_key": self.api_require_key,
            "api_origins": list(self.api_origins),
            "api_bind": self.api_bind,
        }


FIELDS = frozenset(Settings.__dataclass_fields__)
Listener = Callable[[Settings, frozenset[str]], None]  # new settings, names that changed


THE_SETTINGS = phrase("The settings")


def settings_path(home: AuroraHome) -> Path:
    return home.root / FILE_NAME


def validate(data: Any, source: str = THE_SETTINGS, *, advice: bool = True) -> Settings:
    """Settings from JSON data, or ConfigError naming the first problem (and, with `advice`,
    telling to fix or reset them)."""
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(data))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or phrase("the top level")
        if not advice:
            raise ConfigError(
                phrase(
                    "{source} are not valid at {where} ({error}).",
                    source=source,
                    where=where,
                    error=error.message,
                )
            )
        raise ConfigError(
            phrase(
                "{source} are not valid at {where} ({error}); fix or reset them.",
                source=source,
                where=where,
                error=error.message,
            )
        )
    values = {key: value for key, value in data.items() if key in FIELDS}
    if "warm_models" in values:
        values["warm_models"] = tuple(values["warm_models"])
    if "pii_kinds" in values:
        values["pii_kinds"] = frozenset(values["pii_kinds"])
    if "api_origins" in values:
        values["api_origins"] = tuple(values["api_origins"])
    settings = Settings(**values)
    problem = _api_problem(settings)
    if problem is not None:
        where, message = problem
        if not advice:
            raise ConfigError(
                phrase(
                    "{source} are not valid at {where} ({message}).",
                    source=source,
                    where=where,
                    message=message,
                )
            )
        raise ConfigError(
            phrase(
                "{source} are not valid at {where} ({message}); fix or reset them.",
                source=source,
                where=where,
                message=message,
            )
        )
    return settings


def is_loopback(bind: str) -> bool:
    """Whether listening on `bind` keeps the API on this computer."""
    if bind == "localhost":
        return True
    try:
        return ipaddress.ip_address(bind).is_loopback
    except ValueError:
        return False


def api_bind_warning(settings: Settings) -> str | None:
    """The sentence to show while the API listens beyond this computer (None on loopback)."""
    if is_loopback(settings.api_bind):
        return None
    return phrase(
        "The API listens on {settings_api_bind}, so other machines on the "
        "network can reach it; keep its keys secret or set the address "
        "back to 127.0.0.1.",
        settings_api_bind=settings.api_bind,
    )


def _api_problem(settings: Settings) -> tuple[str, str] | None:
    """Where and why the API settings are unsafe or unusable, or None when they are fine."""
    bind = settings.api_bind
    if bind != "localhost":
        try:
            ipaddress.ip_address(bind)
        except ValueError:
            return "api_bind", phrase("{bind} is not an IP address", bind=repr(bind))
    if any(origin.endswith("\n") for origin in settings.api_origins):  # "$" allows one
        return "api_origins", phrase("an origin ends with a line break")
    if not settings.api_require_key and not is_loopback(bind):
        return "api_require_key", phrase(
            "keys may be turned off only while the API listens on 127.0.0.1"
        )
    return None


def _kept(reason: str) -> str:
    return phrase(
        "{reason}; the last valid settings stay in force until it is fixed.", reason=reason
    )


def _defaulted(reason: str) -> str:
    return phrase(
        "{reason}; Aurora uses the default settings until you fix or delete it.", reason=reason
    )


class SettingsFile:
    """Holds the current settings; `update` validates, saves under a lock, then tells listeners.

    A missing file means defaults. An unreadable or invalid file keeps the last valid settings
    (`settings.json.last-good`, also in a new process), else the defaults, and leaves its
    reason in `problem` (a sentence to show); the next `update` writes a valid file. A change
    made to the file by another process is picked up by `current` and heard by listeners.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.changed: list[Listener] = []
        self._file = WatchedFile(
            path,
            parse=self._parse,
            default=Settings,
            limit=MAX_BYTES,
            kept=_kept,
            defaulted=_defaulted,
            what=str(path),
        )
        self._lock = threading.Lock()
        self._seen = self._file.current()

    @classmethod
    def in_home(cls, home: AuroraHome) -> SettingsFile:
        return cls(settings_path(home))

    @property
    def problem(self) -> ConfigError | None:
        """Why the file is not what is in force (None while it is valid or missing)."""
        warning = self._file.warning
        return None if warning is None else ConfigError(warning)

    @property
    def warning(self) -> str | None:
        return self._file.warning

    def current(self) -> Settings:
        """The settings in force, re-read when the file changed (listeners hear changes)."""
        return self._announce(self._file.current())

    def reload(self) -> Settings:
        """Read the file again even if it looks unchanged; see `problem` for its state."""
        return self._announce(self._file.refresh())

    def update(self, **changes: Any) -> Settings:
        """Change some values: all are checked first, then saved together, or none is.

        The change applies to the file as it is under the inter-process lock, so a change
        another process made meanwhile is kept."""
        unknown = sorted(set(changes) - FIELDS)
        if unknown:
            raise ConfigError(
                phrase(
                    "There is no setting called {join_unknown}; known settings: "
                    "{join_sorted_FIELDS}.",
                    join_unknown=", ".join(unknown),
                    join_sorted_FIELDS=", ".join(sorted(FIELDS)),
                )
            )
        values = {key: _jsonable(value) for key, value in changes.items()}

        def change(current: Settings) -> bytes:
            data = current.to_json()
            data.update(values)
            new = validate(data, phrase("The new settings"))
            text = json.dumps(new.to_json(), indent=2, ensure_ascii=False) + "\n"
            return encode_text(text, phrase("The new settings"))

        return self._announce(self._file.update(change))

    def _parse(self, raw: bytes) -> Settings:
        data = parse_json_bytes(raw, str(self.path))
        return validate(data, phrase("The settings in {path}", path=self.path), advice=False)

    def _announce(self, new: Settings) -> Settings:
        with self._lock:
            old, self._seen = self._seen, new
        self._notify(old, new)
        return new

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
