"""Provider settings in providers.json, their API keys only in the (file-backed test) keyring."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from aurora_desktop.core.errors import ConfigError, KeyringError
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.providers.registry import (
    KEYRING_SERVICE,
    ProviderConfig,
    ProviderRegistry,
)

KEY = "sk-test-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"
OTHER_KEY = "sk-other-00112233445566778899aabbccdd"


def one_sentence(message: str) -> None:
    assert "\n" not in message and message.endswith("."), message
    assert len(message) < 400, message


def config(name: str = "acme", **changes: object) -> ProviderConfig:
    values: dict[str, object] = {"name": name, "base_url": "https://api.acme.test/v1",
                                 "model": "acme-large"}  # fmt: skip
    values.update(changes)
    return ProviderConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def registry(aurora_home: AuroraHome) -> ProviderRegistry:
    return ProviderRegistry(aurora_home.root / "providers.json")


def files_holding(root: Path, secret: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_add_list_get_remove(registry: ProviderRegistry, aurora_home: AuroraHome,
                             file_keyring: Path) -> None:  # fmt: skip
    assert registry.list() == []
    registry.add(config(), KEY)
    registry.add(config("local", base_url="http://127.0.0.1:8080/v1/", model="smollm2"), None)
    assert [c.name for c in registry.list()] == ["acme", "local"]
    assert registry.get("local").base_url == "http://127.0.0.1:8080/v1"  # trailing slash gone
    assert registry.get("acme") == config()
    assert registry.api_key("acme") == KEY
    assert registry.api_key("local") is None

    # the key is in the keyring, under the provider's name, and in no file Aurora owns
    stored = json.loads(file_keyring.read_text())
    assert stored == {f"{KEYRING_SERVICE}\x00acme": KEY}
    assert files_holding(aurora_home.root, KEY) == []
    assert files_holding(aurora_home.root, KEY[-12:]) == []
    saved = json.loads(registry.path.read_text())
    assert saved["version"] == 1 and "key" not in json.dumps(saved).lower()

    registry.remove("acme")
    assert [c.name for c in registry.list()] == ["local"]
    assert registry.api_key("acme") is None
    assert json.loads(file_keyring.read_text()) == {}


def test_add_again_replaces_the_settings_and_the_key(registry: ProviderRegistry) -> None:
    registry.add(config(), KEY)
    registry.add(config(model="acme-small", timeout_s=5, max_retries=0), OTHER_KEY)
    (only,) = registry.list()
    assert only.model == "acme-small" and only.timeout_s == 5.0 and only.max_retries == 0
    assert registry.api_key("acme") == OTHER_KEY
    registry.add(config(), None)  # now it needs no key: the old one must not linger
    assert registry.api_key("acme") is None


def test_unknown_provider_names_the_known_ones(registry: ProviderRegistry) -> None:
    with pytest.raises(ConfigError) as empty:
        registry.get("acme")
    one_sentence(str(empty.value))
    assert "none yet" in str(empty.value)
    registry.add(config("alpha"), None)
    registry.add(config("beta"), None)
    with pytest.raises(ConfigError, match=r"'gamma' \(configured: alpha, beta\)") as err:
        registry.get("gamma")
    one_sentence(str(err.value))
    with pytest.raises(ConfigError, match="configured: alpha, beta"):
        registry.remove("gamma")


@pytest.mark.parametrize("key", [KEY, "sk-proj-" + "x" * 40 + "a1b2", "A" * 64, "abcdefghijklmnop",
                                 "short12345ab", "tiny", "ghp_" + "9" * 36])  # fmt: skip
def test_masked_key_never_shows_the_key(key: str) -> None:
    masked = ProviderRegistry.masked_key(key)
    assert key not in masked
    shown = masked.replace("…", "")
    assert len(shown) <= 8 and len(shown) <= len(key) // 3
    assert "…" in masked


def test_masked_key_hints_which_key_it_is() -> None:
    assert ProviderRegistry.masked_key("sk-" + "q" * 40 + "a1b2") == "sk-…a1b2"
    assert ProviderRegistry.masked_key("tiny") == "…"


@pytest.mark.parametrize("name", ["", "Acme", "-acme", "acme corp", "a" * 41, "acme/x", "ümlaut",
                                  "acme\n"])  # fmt: skip
def test_bad_names_are_refused_in_one_sentence(name: str) -> None:
    with pytest.raises(ConfigError, match="provider name") as err:
        config(name)
    one_sentence(str(err.value))


@pytest.mark.parametrize("url", [
    "", "api.acme.test/v1", "ftp://api.acme.test/v1", "https://", "https://user:pw@acme.test/v1",
    "https://acme.test/v1?key=1", "https://acme.test/v1#x", "http://acme.test:99999/v1",
    "https://acme test/v1", "file:///etc/passwd", "https://acme.test/" + "v" * 600,
])  # fmt: skip
def test_bad_urls_are_refused_in_one_sentence(url: str) -> None:
    with pytest.raises(ConfigError, match="base URL") as err:
        config(base_url=url)
    one_sentence(str(err.value))


@pytest.mark.parametrize(("field", "value"), [
    ("model", ""), ("model", "two words"), ("timeout_s", 0), ("timeout_s", -1),
    ("timeout_s", 601), ("timeout_s", float("nan")), ("max_retries", -1), ("max_retries", 11),
    ("max_retries", True), ("max_retries", 1.5),
])  # fmt: skip
def test_bad_settings_are_refused_in_one_sentence(field: str, value: object) -> None:
    with pytest.raises(ConfigError) as err:
        config(**{field: value})  # type: ignore[arg-type]
    one_sentence(str(err.value))


def test_a_key_never_travels_over_plain_http_to_another_machine(registry: ProviderRegistry) -> None:
    remote = config(base_url="http://api.acme.test/v1")
    with pytest.raises(ConfigError, match="https://") as err:
        registry.add(remote, KEY)
    one_sentence(str(err.value))
    assert registry.list() == [] and registry.api_key("acme") is None
    registry.add(remote, None)  # a LAN server without a key is fine
    for host in ("127.0.0.1", "localhost", "[::1]"):
        registry.add(config(base_url=f"http://{host}:8080/v1"), KEY)
        assert registry.api_key("acme") == KEY


@pytest.mark.parametrize("key", ["", "   ", "sk-abc def", "sk-abc\tdef"])
def test_blank_or_spaced_keys_are_refused(registry: ProviderRegistry, key: str) -> None:
    with pytest.raises(ConfigError, match="API key") as err:
        registry.add(config(), key)
    one_sentence(str(err.value))
    assert registry.list() == []


DAMAGED = [
    "{not json",
    '{"providers": 3}',
    "[]",
    '{"providers": [{"name": "BAD"}]}',
    '{"providers": [{"name": "ok", "base_url": "x", "model": "m"}]}',
]


@pytest.mark.parametrize("content", DAMAGED)
def test_a_damaged_file_is_reported(registry: ProviderRegistry, content: str) -> None:
    registry.path.parent.mkdir(parents=True, exist_ok=True)
    registry.path.write_text(content)
    with pytest.raises(ConfigError, match="damaged") as err:
        registry.configured()
    assert "\n" not in str(err.value)
    # a request only needs to know that no provider can be used, and why
    assert registry.list() == [] and str(registry.problem) == str(err.value)
    with pytest.raises(ConfigError, match="damaged"):
        registry.add(ProviderConfig(name="new", base_url="https://x.test/v1", model="m"), None)
    assert registry.path.read_text() == content  # never overwritten


class BrokenKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("no backend")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("the keyring is locked")


def test_a_broken_keyring_is_a_keyring_error_and_nothing_is_saved(
    registry: ProviderRegistry, file_keyring: Path
) -> None:
    broken = BrokenKeyring()  # type: ignore[no-untyped-call]
    keyring.set_keyring(broken)  # the file_keyring fixture restores the previous one
    with pytest.raises(KeyringError, match="keyring") as err:
        registry.add(config(), KEY)
    one_sentence(str(err.value))
    assert registry.list() == []
    with pytest.raises(KeyringError):
        registry.api_key("acme")
