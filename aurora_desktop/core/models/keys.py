"""Ed25519 public-key files: the publisher keys shipped in the package and keys users add."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from aurora_desktop.core.errors import SignatureError
from aurora_desktop.core.models.signing import key_id_of
from aurora_desktop.core.text import phrase
from aurora_desktop.core.userfile import read_named_bytes
from aurora_desktop.core.userinput import load_json

KEY_FORMAT = "aurora-ed25519-public-key/1"
KEY_SUFFIX = ".pub.json"
MAX_KEY_FILE = 4096


@dataclass(frozen=True, slots=True)
class PublicKeyFile:
    key_id: str
    public: Ed25519PublicKey
    owner: str
    created: str

    def to_dict(self) -> dict[str, Any]:
        raw = self.public.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return {
            "format": KEY_FORMAT,
            "key_id": self.key_id,
            "public_key": base64.b64encode(raw).decode("ascii"),
            "owner": self.owner,
            "created": self.created,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"


def make_key_file(public: Ed25519PublicKey, owner: str) -> PublicKeyFile:
    created = datetime.now(UTC).strftime("%Y-%m-%d")
    return PublicKeyFile(key_id_of(public), public, owner, created)


def read_key_file(path: Path) -> PublicKeyFile:
    """Parse and check a public-key file; every defect is one `SignatureError`."""
    what = f"The key file {path}"
    data = load_json(
        read_named_bytes(path, limit=MAX_KEY_FILE, what=what, error=SignatureError),
        what=what,
        error=SignatureError,
    )
    try:
        if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
            raise SignatureError(
                phrase(
                    "{path} is not an Aurora public key ({KEY_FORMAT}).",
                    path=path,
                    KEY_FORMAT=KEY_FORMAT,
                )
            )
        raw = base64.b64decode(str(data["public_key"]), validate=True)
        public = Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, KeyError, binascii.Error) as exc:
        raise SignatureError(
            phrase("{path} is not a valid ed25519 public key ({exc}).", path=path, exc=exc)
        ) from exc
    key_id = key_id_of(public)
    if data.get("key_id") != key_id:
        raise SignatureError(
            phrase(
                "{path} names key {data_get_key_id} but holds key {key_id}.",
                path=path,
                data_get_key_id=data.get("key_id"),
                key_id=key_id,
            )
        )
    return PublicKeyFile(key_id, public, str(data.get("owner", "")), str(data.get("created", "")))
