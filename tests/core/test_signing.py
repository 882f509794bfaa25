"""Signatures over model entries: DSSE pre-authentication encoding, ed25519, key files."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from aurora_desktop.core.errors import SignatureError
from aurora_desktop.core.models.keys import make_key_file, read_key_file
from aurora_desktop.core.models.signing import (
    PAYLOAD_TYPE,
    dsse_envelope,
    key_id_of,
    pae,
    sign_entry,
    signed_body,
    verify_entry,
)

ENTRY = {
    "name": "m",
    "version": "1.0.0",
    "kind": "llm",
    "format": "gguf",
    "hash": "sha256:" + "a" * 64,
    "size": 3,
    "files": [{"path": "w.gguf", "size": 3, "sha256": "a" * 64}],
    "ram_gb": 0.5,
    "vram_gb": 0,
    "max_context": 512,
    "tasks": ["chat"],
}


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_round_trip(key: Ed25519PrivateKey) -> None:
    signed = sign_entry(ENTRY, key)
    assert signed["signature"].startswith("ed25519:")
    assert verify_entry(signed, {key_id_of(key.public_key()): key.public_key()}) == signed["key_id"]


def test_pae_matches_the_dsse_definition() -> None:
    assert pae("t", b"body") == b"DSSEv1 1 t 4 body"


def test_dsse_envelope_verifies_on_its_own(key: Ed25519PrivateKey) -> None:
    envelope = dsse_envelope(sign_entry(ENTRY, key))
    body = base64.b64decode(envelope["payload"])
    sig = base64.b64decode(envelope["signatures"][0]["sig"])
    key.public_key().verify(sig, pae(envelope["payloadType"], body))  # raises if wrong
    assert envelope["payloadType"] == PAYLOAD_TYPE
    assert json.loads(body)["name"] == "m"


def test_body_is_canonical_regardless_of_key_order(key: Ed25519PrivateKey) -> None:
    shuffled = dict(reversed(list(ENTRY.items())))
    assert signed_body(shuffled) == signed_body(ENTRY)


def test_sources_are_not_signed_but_hashes_are(key: Ed25519PrivateKey) -> None:
    with_source = {**ENTRY, "files": [{**ENTRY["files"][0], "source": {"type": "url"}}]}
    assert signed_body(with_source) == signed_body(ENTRY)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "n"),
        ("version", "1.0.1"),
        ("ram_gb", 0.1),
        ("vram_gb", 8),
        ("max_context", 9),
        ("tasks", ["x"]),
        ("format", "onnx"),
        ("hash", "sha256:" + "b" * 64),
        ("size", 4),
    ],
)
def test_every_signed_field_is_covered(key: Ed25519PrivateKey, field: str, value: object) -> None:
    signed = sign_entry(ENTRY, key)
    trusted = {signed["key_id"]: key.public_key()}
    with pytest.raises(SignatureError, match="does not match its signature"):
        verify_entry({**signed, field: value}, trusted)


def test_file_hash_and_size_are_covered(key: Ed25519PrivateKey) -> None:
    signed = sign_entry(ENTRY, key)
    trusted = {signed["key_id"]: key.public_key()}
    for change in ({"sha256": "c" * 64}, {"size": 4}, {"path": "x.gguf"}):
        edited = {**signed, "files": [{**signed["files"][0], **change}]}
        with pytest.raises(SignatureError, match="does not match its signature"):
            verify_entry(edited, trusted)


def test_unsigned_and_untrusted_entries(key: Ed25519PrivateKey) -> None:
    with pytest.raises(SignatureError, match="carries no ed25519 signature"):
        verify_entry(ENTRY, {})
    with pytest.raises(SignatureError, match="not a trusted key"):
        verify_entry(sign_entry(ENTRY, key), {})


def test_expiry(key: Ed25519PrivateKey) -> None:
    now = datetime(2026, 11, 24, tzinfo=UTC)
    signed = sign_entry({**ENTRY, "expires": "2026-11-01T00:00:00Z"}, key)
    trusted = {signed["key_id"]: key.public_key()}
    with pytest.raises(SignatureError, match="expired on 2026-11-01"):
        verify_entry(signed, trusted, now=now)
    assert verify_entry(signed, trusted, now=now - timedelta(days=30))


def test_key_file_round_trip_and_defects(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    path = tmp_path / "k.pub.json"
    path.write_text(make_key_file(key.public_key(), "me").to_json())
    assert read_key_file(path).key_id == key_id_of(key.public_key())
    data = json.loads(path.read_text())
    for broken, reason in (
        ({**data, "key_id": "0" * 16}, "names key"),
        ({**data, "public_key": "!!"}, "not a valid ed25519 public key"),
        ({**data, "format": "pem"}, "is not an Aurora public key"),
    ):
        path.write_text(json.dumps(broken))
        with pytest.raises(SignatureError, match=reason):
            read_key_file(path)
    path.write_text("x" * 5000)
    with pytest.raises(SignatureError, match="too large"):
        read_key_file(path)
