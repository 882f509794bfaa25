"""Signs every entry of a model catalog with a publisher key (a release step, not app code).

    python installer/sign_catalog.py --new-key ~/.aurora-publisher.pem --owner "…"   # once
    python installer/sign_catalog.py --key ~/.aurora-publisher.pem \
        aurora_desktop/resources/catalog.json

`--new-key` writes the private key (PEM, mode 0600) where you say — never inside the
repository — and its public half to `aurora_desktop/resources/keys/KEYID.pub.json`, which is
committed.
Signing fills in each entry's `hash` and `size` from its files, then `key_id` and
`signature` (see aurora_desktop/core/models/signing.py for the format).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from aurora_desktop.core.atomic import atomic_write_text
from aurora_desktop.core.models.keys import make_key_file
from aurora_desktop.core.models.signing import sign_entry

REPO = Path(__file__).resolve().parents[1]
PUBLISHER_KEYS = REPO / "aurora_desktop" / "resources" / "keys"


def new_key(path: Path, owner: str, keys_dir: Path) -> None:
    if REPO in path.resolve().parents:
        sys.exit("sign_catalog: keep the private key outside the repository.")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public = make_key_file(key.public_key(), owner)
    keys_dir.mkdir(parents=True, exist_ok=True)
    (keys_dir / f"{public.key_id}.pub.json").write_text(public.to_json())
    print(f"new publisher key {public.key_id}: private {path}, public {keys_dir}")


def sign_catalog(catalog: Path, key_path: Path) -> None:
    key = load_pem_private_key(key_path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey), "the publisher key must be ed25519"
    data = json.loads(catalog.read_text(encoding="utf-8"))
    signed = []
    for entry in data["models"]:
        entry = {k: v for k, v in entry.items() if k not in ("key_id", "signature")}
        entry["hash"] = "sha256:" + entry["files"][0]["sha256"]
        entry["size"] = sum(int(f["size"]) for f in entry["files"])
        signed.append(sign_entry(entry, key))
    data["models"] = signed
    atomic_write_text(catalog, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"signed {len(signed)} entries of {catalog}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Sign Aurora's model catalog.")
    parser.add_argument("catalog", type=Path, nargs="?")
    parser.add_argument("--key", type=Path, help="the publisher's private key (PEM)")
    parser.add_argument("--new-key", type=Path, help="make a new publisher key at this path")
    parser.add_argument("--owner", default="Aurora model publisher")
    parser.add_argument("--keys-dir", type=Path, default=PUBLISHER_KEYS)
    args = parser.parse_args()
    if args.new_key:
        new_key(args.new_key, args.owner, args.keys_dir)
    if args.catalog:
        if not args.key:
            parser.error("signing needs --key")
        sign_catalog(args.catalog, args.key)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
