"""The cloud providers the user configured: settings in providers.json, API keys in the keyring.

providers.json never holds a key. Each key is stored by `keyring` under the service
"Aurora cloud provider" with the provider's name as the user name, so it lives in Windows
Credential Manager / GNOME Keyring / KWallet and nowhere in Aurora's data folder. `keyring`
is imported when a key is first read or written (it is slow to import).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aurora_desktop.core.errors import ConfigError, KeyringError
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import locked_update, read_user_bytes

KEYRING_SERVICE = "Aurora cloud provider"
FILE_VERSION = 1
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
MODEL_PATTERN = re.compile(r"\S{1,200}")
MAX_TIMEOUT_S = 600.0
MAX_RETRIES = 10
MAX_FILE_BYTES = 1_000_000
_LOOPBACK_NAMES = ("localhost",)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderConfig:
    """One OpenAI-compatible endpoint and the model to ask there."""

    name: str
    base_url: str  # e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1
    model: str
    timeout_s: float = 60.0
    max_retries: int = 2
    anonymous: bool = False  # added with no API key, so the keyring is never asked

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not NAME_PATTERN.fullmatch(self.name):
            raise ConfigError(
                phrase(
                    "The provider name {shown_name} is not allowed; use 1-40 "
                    "lower-case letters, digits, '.', '_' or '-', starting with a "
                    "letter or digit.",
                    shown_name=_shown(self.name),
                )
            )
        object.__setattr__(self, "base_url", _check_url(self.base_url))
        if not isinstance(self.model, str) or not MODEL_PATTERN.fullmatch(self.model):
            raise ConfigError(
                phrase(
                    "The model name {shown_model} is not allowed; give the provider's "
                    "model name (1-200 characters, no spaces).",
                    shown_model=_shown(self.model),
                )
            )
        timeout = self.timeout_s
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, int | float)
            or not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT_S)
        ):
            raise ConfigError(
                phrase(
                    "The timeout must be between 0 and {MAX_TIMEOUT_S} seconds, not {timeout}.",
                    MAX_TIMEOUT_S=format(MAX_TIMEOUT_S, ".0f"),
                    timeout=repr(timeout),
                )
            )
        retries = self.max_retries
        if (
            isinstance(retries, bool)
            or not isinstance(retries, int)
            or not (0 <= retries <= MAX_RETRIES)
        ):
            raise ConfigError(
                phrase(
                    "max_retries must be a whole number from 0 to {MAX_RETRIES}.",
                    MAX_RETRIES=MAX_RETRIES,
                )
            )
        if not isinstance(self.anonymous, bool):
            raise ConfigError(phrase("anonymous must be true or false."))
        object.__setattr__(self, "timeout_s", float(timeout))

    @property
    def is_loopback(self) -> bool:
        """True when the endpoint is on this machine (nothing leaves it)."""
        return _is_loopback(urlsplit(self.base_url).hostname or "")


Configs = list[ProviderConfig]  # named here: inside the class, `list` is the method


class ProviderRegistry:
    """Reads and writes providers.json; keeps each provider's API key in the OS keyring.

    Changes go through `userfile.locked_update` (an inter-process lock, a bounded read, an
    atomic replace). A damaged file never stops a local request: `list()` then gives no
    providers and `problem` says why (a cloud hop that was planned reports it as its
    fallback reason).
    """

    def __init__(self, path: Path, keyring_service: str = KEYRING_SERVICE) -> None:
        self.path = path
        self.keyring_service = keyring_service
        self.problem: ConfigError | None = None

    def add(self, config: ProviderConfig, api_key: str | None) -> bool:
        """Add or replace a provider (True: it replaced one); `api_key=None` means it needs
        none (any old key goes)."""
        if api_key is not None:
            api_key = api_key.strip()
            if not api_key or any(c.isspace() for c in api_key):
                raise ConfigError(
                    phrase(
                        "The API key is empty or contains spaces; paste the key exactly "
                        "as the provider shows it."
                    )
                )
            if urlsplit(config.base_url).scheme == "http" and not config.is_loopback:
                raise ConfigError(
                    phrase(
                        "{config_base_url} is plain http, which would send the API key "
                        "unencrypted; use its https:// address.",
                        config_base_url=config.base_url,
                    )
                )
        config = replace(config, anonymous=api_key is None)
        existed = False

        def change(configs: Configs) -> Configs:
            nonlocal existed
            existed = any(c.name == config.name for c in configs)
            if api_key is None:
                # the file says no key is needed, so an old key left in a keyring that
                # cannot be opened now is never sent
                with contextlib.suppress(KeyringError):
                    self._delete_key(config.name)
            else:
                self._set_key(config.name, api_key)
            return [*(c for c in configs if c.name != config.name), config]

        self._update(change)
        return existed

    def remove(self, name: str) -> None:
        """Forget a provider and delete its key from the keyring."""

        def change(configs: Configs) -> Configs:
            found = self._require(configs, name)
            if not found.anonymous:
                self._delete_key(name)
            return [c for c in configs if c.name != name]

        self._update(change)

    def list(self) -> Configs:
        """The providers; none when the file is damaged (`problem` says why)."""
        try:
            configs = self._read()
        except ConfigError as exc:
            self.problem = exc
            return []
        self.problem = None
        return configs

    def configured(self) -> Configs:
        """The providers, or `ConfigError` when the file is damaged (for the commands that
        show or change them)."""
        return self._read()

    def get(self, name: str) -> ProviderConfig:
        return self._require(self._read(), name)

    def api_key(self, name: str) -> str | None:
        import keyring.errors  # imported when a key is used, not at start-up

        try:
            return keyring.get_password(self.keyring_service, name)
        except keyring.errors.KeyringError as exc:
            raise KeyringError(
                phrase(
                    "The OS keyring cannot be read ({exc}); unlock or install a keyring and retry.",
                    exc=exc,
                )
            ) from exc

    def key_for(self, config: ProviderConfig) -> str | None:
        """The API key to send to `config`'s server (None when it was added with no key)."""
        return None if config.anonymous else self.api_key(config.name)

    @staticmethod
    def masked_key(key: str) -> str:
        """A hint of which key is stored ("sk-…a1b2"), never enough to use it."""
        if len(key) < 12:
            return "…"
        prefix = re.match(r"^[A-Za-z]{1,4}[-_]", key)
        head = prefix.group(0) if prefix and len(key) >= 20 else ""
        tail = key[-4:] if len(key) >= 16 else key[-2:]
        return f"{head}…{tail}"

    # -- file and keyring ---------------------------------------------------------------

    def _update(self, change: Callable[[Configs], Configs]) -> None:
        locked_update(
            self.path,
            change,
            load=self._load,
            dump=_dump,
            limit=MAX_FILE_BYTES,
            what=str(self.path),
        )
        self.problem = None

    def _require(self, configs: Configs, name: str) -> ProviderConfig:
        for config in configs:
            if config.name == name:
                return config
        known = ", ".join(c.name for c in configs) or phrase("none yet")
        raise ConfigError(
            phrase(
                "There is no cloud provider called {name} (configured: {known}); "
                "add it with 'aurora providers add'.",
                name=repr(name),
                known=known,
            )
        )

    def _read(self) -> Configs:
        return self._load(read_user_bytes(self.path, limit=MAX_FILE_BYTES, what=str(self.path)))

    def _load(self, raw: bytes | None) -> Configs:
        if raw is None:
            return []
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise TypeError(phrase("it is not a JSON object"))
            rows = data["providers"]
            if not isinstance(rows, list):
                raise TypeError(phrase("providers is not a list"))
            configs = [_config_from(row) for row in rows]
        except (ValueError, KeyError, TypeError, RecursionError, ConfigError) as exc:
            raise ConfigError(
                phrase(
                    "{path} is damaged ({problem_exc}), so no cloud provider can be "
                    "used; fix it or delete it and add the providers again.",
                    path=self.path,
                    problem_exc=_problem(exc),
                )
            ) from exc
        names = [c.name for c in configs]
        if len(set(names)) != len(names):
            raise ConfigError(
                phrase(
                    "{path} names a provider twice, so no cloud provider can be used; "
                    "fix it or delete it and add the providers again.",
                    path=self.path,
                )
            )
        return configs

    def _set_key(self, name: str, key: str) -> None:
        import keyring.errors  # imported when a key is used, not at start-up

        try:
            keyring.set_password(self.keyring_service, name, key)
        except keyring.errors.KeyringError as exc:
            raise KeyringError(
                phrase(
                    "No usable OS keyring can hold the API key for {name} ({exc}); "
                    "install or unlock one (Windows Credential Manager, GNOME "
                    "Keyring, KWallet) and retry.",
                    name=name,
                    exc=exc,
                )
            ) from exc

    def _delete_key(self, name: str) -> None:
        import keyring.errors  # imported when a key is used, not at start-up

        try:
            if keyring.get_password(self.keyring_service, name) is None:
                return
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(self.keyring_service, name)
        except keyring.errors.KeyringError as exc:
            raise KeyringError(
                phrase(
                    "The API key for {name} could not be removed from the OS keyring "
                    "({exc}); unlock the keyring and retry.",
                    name=name,
                    exc=exc,
                )
            ) from exc


def _dump(configs: Configs) -> str:
    data = {"version": FILE_VERSION, "providers": [asdict(c) for c in configs]}
    return json.dumps(data, indent=2) + "\n"


def _problem(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return phrase("it is not UTF-8 text")
    if isinstance(exc, RecursionError):
        return phrase("it is nested too deeply")
    if isinstance(exc, KeyError):
        return phrase("it has no {exc_args_0}", exc_args_0=repr(exc.args[0]))
    return str(exc).rstrip(".")


def _config_from(row: Any) -> ProviderConfig:
    if not isinstance(row, dict):
        raise TypeError(phrase("a provider entry is not an object"))
    allowed = {"name", "base_url", "model", "timeout_s", "max_retries", "anonymous"}
    return ProviderConfig(**{k: v for k, v in row.items() if k in allowed})


def _check_url(url: object) -> str:
    hint = phrase("give it like https://api.example.com/v1 or http://127.0.0.1:8080/v1.")
    if not isinstance(url, str) or not url or len(url) > 500 or any(c.isspace() for c in url):
        raise ConfigError(
            phrase(
                "The base URL {shown_url} is not a web address; {hint}",
                shown_url=_shown(url),
                hint=hint,
            )
        )
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
        raise ConfigError(
            phrase(
                "The base URL {shown_url} is not an http(s) address; {hint}",
                shown_url=_shown(url),
                hint=hint,
            )
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ConfigError(
            phrase(
                "The base URL {shown_url} must not hold a user name, password, "
                "query or fragment; {hint}",
                shown_url=_shown(url),
                hint=hint,
            )
        )
    return url.rstrip("/")


def _shown(value: object) -> str:
    """A value quoted for an error message, cut short so the sentence stays readable."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}…"


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
