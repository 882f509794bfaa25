"""The tamper matrix: every way the bytes or the record can be changed is refused, with why."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from aurora_desktop.core.errors import IntegrityError, ManifestError, ModelError, SignatureError
from aurora_desktop.core.models.signing import sign_entry
from tests.support.signing import entry_of, make_publisher
from tests.support.store_kit import StoreKit

NAME = "tiny"


def weights(kit: StoreKit, version: str = "1.0.0") -> Path:
    return kit.home.models / "llm" / NAME / version / "weights.gguf"


def edit_manifest(kit: StoreKit, change: Callable[[dict], None], version: str = "1.0.0") -> None:
    path = kit.store.manifest_path
    data = json.loads(path.read_text())
    change(data["models"][NAME]["versions"][version]["entry"])
    path.write_text(json.dumps(data))


def flip_byte(kit: StoreKit) -> None:
    path = weights(kit)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def truncate(kit: StoreKit) -> None:
    path = weights(kit)
    path.write_bytes(path.read_bytes()[:-1])


def extend(kit: StoreKit) -> None:
    with weights(kit).open("ab") as handle:
        handle.write(b"\0")


def field_edit(field: str, value: object) -> Callable[[StoreKit], None]:
    def apply(kit: StoreKit) -> None:
        edit_manifest(kit, lambda entry: entry.__setitem__(field, value))

    return apply


def hash_edit_consistent(kit: StoreKit) -> None:
    """Change the hash everywhere it appears, so only the signature can notice."""
    fake = "d" * 64

    def change(entry: dict) -> None:
        entry["hash"] = "sha256:" + fake
        entry["files"][0]["sha256"] = fake

    edit_manifest(kit, change)


def swap_signature(kit: StoreKit) -> None:
    other = kit.record("9.9.9")
    edit_manifest(kit, lambda entry: entry.__setitem__("signature", other["signature"]))


def sign_with_unknown_key(kit: StoreKit) -> None:
    stranger = make_publisher(kit.home.root.parent / "stranger-keys", "stranger")

    def change(entry: dict) -> None:
        resigned = sign_entry(entry, stranger.private)
        entry.update(key_id=resigned["key_id"], signature=resigned["signature"])

    edit_manifest(kit, change)


def remove_signing_key(kit: StoreKit) -> None:
    kit.trust.remove(kit.publisher.key_id)


def expire(kit: StoreKit) -> None:
    """The publisher signed an entry that has since expired (re-signed, so only time fails)."""

    def change(entry: dict) -> None:
        resigned = sign_entry({**entry, "expires": "2020-01-01T00:00:00Z"}, kit.publisher.private)
        entry.update(resigned)

    edit_manifest(kit, change)


def mix_in_other_version(kit: StoreKit) -> None:
    kit.install("2.0.0")  # same sizes, different bytes
    kit.store.switch(NAME, "1.0.0")
    shutil.copy(weights(kit, "2.0.0"), weights(kit))


def add_unlisted_file(kit: StoreKit) -> None:
    (weights(kit).parent / "extra.bin").write_bytes(b"surprise")


CASES: list[tuple[str, Callable[[StoreKit], None], type[Exception], str]] = [
    ("one byte flipped", flip_byte, IntegrityError, "does not match its signed sha256"),
    ("truncated", truncate, IntegrityError, "was truncated"),
    ("extended", extend, IntegrityError, "was extended"),
    ("name edited", field_edit("name", "tiny2"), SignatureError, "does not match its signature"),
    ("version edited", field_edit("version", "1.0.1"), SignatureError, "does not match"),
    ("ram_gb edited", field_edit("ram_gb", 0.01), SignatureError, "does not match its signature"),
    ("hash edited", hash_edit_consistent, SignatureError, "does not match its signature"),
    (
        "hash edited alone",
        field_edit("hash", "sha256:" + "e" * 64),
        ManifestError,
        "not its first file's sha256",
    ),
    ("signature from another entry", swap_signature, SignatureError, "does not match its sig"),
    ("signed by an unknown key", sign_with_unknown_key, SignatureError, "not a trusted key"),
    ("signed by a removed key", remove_signing_key, SignatureError, "not a trusted key"),
    ("expired entry", expire, SignatureError, "expired on 2020-01-01"),
    ("file from another version", mix_in_other_version, IntegrityError, "signed sha256"),
    ("extra unlisted file", add_unlisted_file, IntegrityError, "not part of the signed model"),
]


@pytest.mark.parametrize(("case", "tamper", "error", "reason"), CASES, ids=[c[0] for c in CASES])
def test_tampering_is_refused_with_its_reason(
    kit: StoreKit,
    case: str,
    tamper: Callable[[StoreKit], None],
    error: type[Exception],
    reason: str,
) -> None:
    kit.install("1.0.0")
    kit.store.verify(NAME, "1.0.0")  # clean before tampering
    tamper(kit)
    with pytest.raises(error, match=reason):
        kit.store.verify(NAME, "1.0.0")
    with pytest.raises(error, match=reason):  # and the engine would never be handed the file
        kit.store.ready_for_load(NAME)
    if error is not ManifestError:  # an unreadable record cannot be named in the ledger
        failures = list(kit.ledger.events("model.verify_failed"))
        assert reason in failures[-1]["reason"]


def test_a_tampered_catalog_entry_is_refused_before_any_byte_moves(kit: StoreKit) -> None:
    record = kit.record()
    record["ram_gb"] = 0.01
    with pytest.raises(SignatureError, match="does not match its signature"):
        kit.store.install(entry_of(record))
    assert not (kit.home.models / "llm" / NAME).exists()
    assert not any((kit.home.models / ".staging").glob("*/*"))


def test_a_model_signed_by_nobody_we_trust_is_not_installed(kit: StoreKit) -> None:
    stranger = make_publisher(kit.home.root.parent / "stranger", "stranger")
    record = kit.record()
    resigned = sign_entry(
        {k: v for k, v in record.items() if k != "files"}
        | {"files": [{k: f[k] for k in ("path", "size", "sha256")} for f in record["files"]]},
        stranger.private,
    )
    record.update(key_id=resigned["key_id"], signature=resigned["signature"])
    with pytest.raises(SignatureError, match="not a trusted key"):
        kit.store.install(entry_of(record))
    with pytest.raises(ModelError):
        kit.store.verify(NAME)
