"""api_keys.json: keys shown once and stored hashed, verified, revoked, and every change audited."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from aurora_desktop.core.api_keys import FILE_NAME, SCOPES, ApiKeyStore
from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.errors import ConfigError


def _store(tmp_path: Path) -> tuple[ApiKeyStore, AuditLedger]:
    ledger = AuditLedger(tmp_path / "ledger.jsonl")
    return ApiKeyStore(tmp_path / FILE_NAME, ledger), ledger


def test_a_new_key_verifies_and_only_its_hash_is_stored(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    key, token = store.create("Obsidian", ["chat", "models"])
    assert token.startswith("aurora_") and len(token) > 40
    assert key.name == "Obsidian" and key.scopes == frozenset({"chat", "models"})
    assert store.verify(token) == key
    text = (tmp_path / FILE_NAME).read_text(encoding="utf-8")
    assert token not in text and token.removeprefix("aurora_") not in text
    assert hashlib.sha256(token.encode()).hexdigest() in text
    assert store.list() == [key]


def test_two_keys_are_different_and_each_verifies_as_itself(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    first, first_token = store.create("editor", ["chat"])
    second, second_token = store.create("notes", ["embeddings"])
    assert first.key_id != second.key_id and first_token != second_token
    assert store.verify(first_token) == first
    assert store.verify(second_token) == second
    assert ApiKeyStore(store.path, AuditLedger(tmp_path / "other.jsonl")).list() == [first, second]


@pytest.mark.parametrize(
    "token",
    ["", "aurora_", "aurora_wrong", "Bearer aurora_x", "sk-1234", "aurora_" + "a" * 500],
)
def test_wrong_tokens_verify_as_nothing(tmp_path: Path, token: str) -> None:
    store, _ = _store(tmp_path)
    store.create("editor", ["chat"])
    assert store.verify(token) is None


def test_a_revoked_key_no_longer_verifies_but_stays_listed(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    key, token = store.create("editor", ["chat"])
    kept, kept_token = store.create("notes", ["chat"])
    revoked = store.revoke(key.key_id)
    assert revoked.revoked and revoked.key_id == key.key_id
    assert store.verify(token) is None
    assert store.verify(kept_token) == kept
    assert [k.revoked for k in store.list()] == [True, False]
    with pytest.raises(ConfigError, match="no active API key"):
        store.revoke(key.key_id)  # twice
    with pytest.raises(ConfigError, match="no active API key"):
        store.revoke("nope")


def test_a_revocation_by_another_process_applies_at_once(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    key, token = store.create("editor", ["chat"])
    assert store.verify(token) == key  # read and remembered
    other = ApiKeyStore(store.path, AuditLedger(tmp_path / "ledger.jsonl"))
    other.revoke(key.key_id)
    assert store.verify(token) is None


def test_changes_go_to_the_audit_ledger_without_the_token(tmp_path: Path) -> None:
    store, ledger = _store(tmp_path)
    key, token = store.create("editor", ["models", "chat"])
    store.revoke(key.key_id)
    events = list(ledger.events())
    assert [e["event"] for e in events] == ["api_key.create", "api_key.revoke"]
    assert events[0]["key_id"] == key.key_id and events[0]["name"] == "editor"
    assert events[0]["scopes"] == ["chat", "models"]
    assert token not in ledger.path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "scopes"),
    [
        ("", ["chat"]),
        ("   ", ["chat"]),
        ("two\nlines", ["chat"]),
        ("x" * 81, ["chat"]),
        ("editor", []),
        ("editor", ["chat", "root"]),
    ],
)
def test_invalid_names_and_scopes_are_refused_and_nothing_changes(
    tmp_path: Path, name: str, scopes: list[str]
) -> None:
    store, ledger = _store(tmp_path)
    with pytest.raises(ConfigError) as caught:
        store.create(name, scopes)
    assert str(caught.value).endswith(".")
    assert not store.path.exists()
    assert list(ledger.events()) == []


def test_every_scope_can_be_given() -> None:
    assert SCOPES == ("chat", "embeddings", "models", "admin")


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"version": 2, "keys": []}', '{"version": 1, "keys": [{"id": 1}]}'],
)
def test_a_damaged_file_accepts_no_key_and_is_not_overwritten(tmp_path: Path, content: str) -> None:
    store, _ = _store(tmp_path)
    _, token = store.create("editor", ["chat"])
    store.path.write_text(content, encoding="utf-8")
    assert store.verify(token) is None
    with pytest.raises(ConfigError):
        store.list()
    with pytest.raises(ConfigError):
        store.create("notes", ["chat"])
    assert store.path.read_text(encoding="utf-8") == content


def test_writes_are_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = _store(tmp_path)
    key, token = store.create("editor", ["chat"])
    before = store.path.read_bytes()

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        store.revoke(key.key_id)
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert store.verify(token) == key
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_the_file_holds_what_the_list_shows(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    key, _ = store.create("editor", ["admin", "chat"])
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    (row,) = data["keys"]
    assert row["id"] == key.key_id and row["scopes"] == ["chat", "admin"]
    assert row["revoked"] is False and len(row["sha256"]) == 64
