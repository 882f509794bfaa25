"""Ed25519 signatures over model entries, in the DSSE signing format.

Format: DSSE (the Dead Simple Signing Envelope of secure-systems-lab, used by in-toto and
Sigstore). The signed bytes are DSSE's pre-authentication encoding

    PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body

where `type` is `PAYLOAD_TYPE` and `body` is the canonical JSON of the entry's signed
fields (keys sorted, no insignificant whitespace, UTF-8). Why DSSE and not minisign:
minisign signs a file, but what must be protected here is a record — name, version, every
file's sha256 and size, the resource figures — and DSSE binds a payload type into the
signature, so a signature over a model entry can never be replayed as a signature over
anything else. Canonical JSON makes the signed bytes reproducible from the manifest alone.
On disk the envelope is flattened into the entry (`key_id`, `signature: "ed25519:<b64>"`);
`dsse_envelope()` rebuilds the standard envelope for external tools.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from aurora_desktop.core.errors import SignatureError
from aurora_desktop.core.text import phrase

PAYLOAD_TYPE = "application/vnd.aurora.model-entry+json;version=1"
SIGNATURE_PREFIX = "ed25519:"
SIGNED_FIELDS = (
    "name",
    "display_name",
    "version",
    "kind",
    "format",
    "hash",
    "size",
    "files",
    "ram_gb",
    "vram_gb",
    "max_context",
    "tasks",
    "expires",
    "key_id",
)
SIGNED_FILE_FIELDS = ("path", "size", "sha256")


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def pae(payload_type: str, body: bytes) -> bytes:
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body)


def key_id_of(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signed_body(entry: Mapping[str, Any]) -> bytes:
    """The exact bytes a signature covers: the signed fields only, files reduced to hashes."""
    payload = {k: entry[k] for k in SIGNED_FIELDS if k in entry}
    payload["files"] = [{k: f[k] for k in SIGNED_FILE_FIELDS} for f in entry.get("files", [])]
    return canonical_json(payload)


def sign_entry(entry: Mapping[str, Any], private: Ed25519PrivateKey) -> dict[str, Any]:
    signed = dict(entry)
    signed["key_id"] = key_id_of(private.public_key())
    signed.pop("signature", None)
    signature = private.sign(pae(PAYLOAD_TYPE, signed_body(signed)))
    signed["signature"] = SIGNATURE_PREFIX + base64.b64encode(signature).decode("ascii")
    return signed


def verify_entry(
    entry: Mapping[str, Any],
    trusted: Mapping[str, Ed25519PublicKey],
    *,
    now: datetime | None = None,
) -> str:
    """Check an entry's signature and expiry; returns the key id or raises `SignatureError`."""
    label = f"{entry.get('name', '?')} {entry.get('version', '?')}"
    raw_sig = entry.get("signature")
    key_id = entry.get("key_id")
    if not isinstance(raw_sig, str) or not raw_sig.startswith(SIGNATURE_PREFIX):
        raise SignatureError(
            phrase("{label} carries no ed25519 signature, so it cannot be trusted.", label=label)
        )
    if not isinstance(key_id, str) or key_id not in trusted:
        raise SignatureError(
            phrase(
                "{label} is signed by key {key_id}, which is not a trusted key; "
                "add the publisher's key with 'aurora models trust add' if you "
                "trust it.",
                label=label,
                key_id=key_id,
            )
        )
    try:
        signature = base64.b64decode(raw_sig[len(SIGNATURE_PREFIX) :], validate=True)
        trusted[key_id].verify(signature, pae(PAYLOAD_TYPE, signed_body(entry)))
    except (InvalidSignature, binascii.Error, ValueError) as exc:
        raise SignatureError(
            phrase(
                "{label} does not match its signature: a field was changed after "
                "signing or the signature belongs to another entry. Do not use "
                "this model.",
                label=label,
            )
        ) from exc
    expires = entry.get("expires")
    if expires is not None:
        when = _parse_time(expires, label)
        if (now or datetime.now(UTC)) >= when:
            raise SignatureError(
                phrase(
                    "{label} expired on {when}; fetch a current version of the model.",
                    label=label,
                    when=format(when, "%Y-%m-%d"),
                )
            )
    return key_id


def dsse_envelope(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The standard DSSE envelope equivalent to an entry's flattened signature."""
    sig = str(entry.get("signature", ""))[len(SIGNATURE_PREFIX) :]
    return {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(signed_body(entry)).decode("ascii"),
        "signatures": [{"keyid": entry.get("key_id"), "sig": sig}],
    }


def _parse_time(value: object, label: str) -> datetime:
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise SignatureError(
            phrase("{label} has an unreadable expiry date {value}.", label=label, value=repr(value))
        ) from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)
