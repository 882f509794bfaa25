"""The user's own signing key for models they import; its private half lives in the OS keyring.

The key is made on first need. Only the public half is written to disk (as a trusted
`local-*.pub.json` key); the private half is stored by `keyring` and never touches a file
that Aurora writes.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import keyring
import keyring.errors
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from aurora_desktop.core.errors import KeyringError
from aurora_desktop.core.models.keys import make_key_file
from aurora_desktop.core.models.signing import sign_entry
from aurora_desktop.core.models.trust import TrustStore
from aurora_desktop.core.text import phrase

KEYRING_SERVICE = "Aurora local model signing key"


class LocalSigner:
    """Signs user-imported model entries with the key held in the OS keyring."""

    def __init__(self, trust: TrustStore, account: str) -> None:
        self._trust = trust
        self._account = account

    def sign(self, entry: dict[str, Any]) -> dict[str, Any]:
        return sign_entry(entry, self._private_key())

    def _private_key(self) -> Ed25519PrivateKey:
        stored = self._read()
        if stored is not None:
            key = self._decode(stored)
        else:
            key = Ed25519PrivateKey.generate()
            raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            self._write(base64.b64encode(raw).decode("ascii"))
        self._trust.add_local(make_key_file(key.public_key(), "this computer's local key"))
        return key

    def _read(self) -> str | None:
        try:
            value = keyring.get_password(KEYRING_SERVICE, self._account)
        except keyring.errors.KeyringError as exc:
            raise KeyringError(
                phrase(
                    "The OS keyring cannot be read ({exc}); unlock or install a keyring and retry.",
                    exc=exc,
                )
            ) from exc
        return value

    def _write(self, secret: str) -> None:
        try:
            keyring.set_password(KEYRING_SERVICE, self._account, secret)
        except keyring.errors.KeyringError as exc:
            raise KeyringError(
                phrase(
                    "No usable OS keyring can hold your local signing key ({exc}); "
                    "install or unlock one (Windows Credential Manager, GNOME "
                    "Keyring, KWallet) and retry.",
                    exc=exc,
                )
            ) from exc

    def _decode(self, stored: str) -> Ed25519PrivateKey:
        try:
            return Ed25519PrivateKey.from_private_bytes(base64.b64decode(stored, validate=True))
        except (ValueError, binascii.Error) as exc:
            raise KeyringError(
                phrase(
                    "The local signing key in the OS keyring is damaged; remove the "
                    "'{KEYRING_SERVICE}' entry from the keyring and import the model "
                    "again.",
                    KEYRING_SERVICE=KEYRING_SERVICE,
                )
            ) from exc
