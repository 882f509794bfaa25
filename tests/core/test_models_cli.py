"""`aurora models …` as a user runs it: real processes, real keys, a test catalog."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import pytest

from aurora_desktop.core.models.local_key import KEYRING_SERVICE
from aurora_desktop.core.paths import AuroraHome
from tests.support.cli import aurora, one_line_error
from tests.support.signing import make_publisher, signed_record, write_catalog
from tests.support.tamper import overwrite_in_place

NAME = "tiny"


@pytest.fixture
def catalog_env(tmp_path: Path, aurora_home: AuroraHome) -> dict[str, str]:
    publisher = make_publisher(tmp_path / "publisher")
    records = [
        signed_record(
            publisher,
            name=NAME,
            version=v,
            source_dir=tmp_path / "src",
            files={"weights.gguf": os.urandom(200_000) + v.encode()},
        )
        for v in ("1.0.0", "1.1.0")
    ]
    catalog = write_catalog(tmp_path / "catalog.json", records, default=NAME)
    env = {"AURORA_CATALOG": str(catalog)}
    untrusted = aurora("models", "fetch", NAME, env=env)
    assert "not a trusted key" in one_line_error(untrusted)
    trusted = aurora("models", "trust", "add", str(publisher.key_path), env=env)
    assert trusted.returncode == 0, trusted.stderr
    return env


def test_fetch_list_switch_remove(catalog_env: dict[str, str], aurora_home: AuroraHome) -> None:
    first = aurora("models", "fetch", NAME, "--version", "1.0.0", env=catalog_env)
    assert first.returncode == 0, first.stderr
    assert "Installing" in first.stderr or "Downloading" in first.stderr  # progress shown
    assert aurora("models", "fetch", NAME, env=catalog_env).returncode == 0  # newest: 1.1.0
    rows = json.loads(aurora("models", "list", "--json", env=catalog_env).stdout)
    mine = {r["version"]: r for r in rows if r["name"] == NAME}
    assert mine["1.1.0"]["active"] and not mine["1.0.0"]["active"]
    assert all(r["installed"] and r["verified_at"] for r in mine.values())

    back = aurora("models", "switch", NAME, "--version", "1.0.0", env=catalog_env)
    assert back.returncode == 0 and "now 1.0.0 (was 1.1.0)" in back.stdout
    refused = aurora("models", "remove", NAME, "--version", "1.0.0", env=catalog_env)
    assert "active version" in one_line_error(refused)
    removed = aurora("models", "remove", NAME, "--version", "1.1.0", env=catalog_env)
    assert removed.returncode == 0, removed.stderr
    ledger = (aurora_home.root / "ledger.jsonl").read_text()
    assert '"model.switch"' in ledger and '"model.remove"' in ledger


def test_verify_reports_one_line_for_a_flipped_byte(
    catalog_env: dict[str, str], aurora_home: AuroraHome
) -> None:
    assert aurora("models", "fetch", NAME, env=catalog_env).returncode == 0
    ok = aurora("models", "verify", env=catalog_env)
    assert ok.returncode == 0 and "OK" in ok.stdout
    weights = aurora_home.models / "llm" / NAME / "1.1.0" / "weights.gguf"
    data = bytearray(weights.read_bytes())
    data[1000] ^= 0xFF
    weights.write_bytes(bytes(data))
    line = one_line_error(aurora("models", "verify", NAME, env=catalog_env))
    assert "weights.gguf does not match its signed sha256" in line


def test_unknown_model_and_bad_usage(catalog_env: dict[str, str]) -> None:
    assert "no model nope" in one_line_error(aurora("models", "fetch", "nope", env=catalog_env))
    assert "--version" in one_line_error(aurora("models", "switch", NAME, env=catalog_env))
    line = one_line_error(aurora("models", "switch", NAME, "--version", "1.0.0", env=catalog_env))
    assert "No version of tiny is installed" in line


def test_import_needs_confirmation_and_signs_with_the_keyring_key(
    tmp_path: Path, aurora_home: AuroraHome, file_keyring: Path
) -> None:
    model = tmp_path / "my-model.gguf"
    model.write_bytes(os.urandom(50_000))
    args = ("models", "import", str(model), "--name", "mine", "--version", "0.1.0")
    refused = aurora(*args)
    assert "--yes" in one_line_error(refused)
    declined = aurora(*args, stdin="n\n")  # not a terminal either way: still refused
    assert declined.returncode != 0
    done = aurora(*args, "--yes")
    assert done.returncode == 0, done.stderr
    rows = json.loads(aurora("models", "list", "--json").stdout)
    mine = next(r for r in rows if r["name"] == "mine")
    assert mine["active"] and mine["origin"] == "import"
    keys = aurora("models", "trust", "list").stdout
    assert mine["key_id"] in keys and "local" in keys
    assert aurora("models", "verify", "mine").returncode == 0

    # the private half is in the keyring only: no file under AURORA_HOME holds it
    secrets = json.loads(file_keyring.read_text())
    (secret,) = [v for k, v in secrets.items() if k.startswith(KEYRING_SERVICE)]
    raw = base64.b64decode(secret)
    for path in aurora_home.root.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            assert raw not in blob and secret.encode() not in blob, path
            assert b"PRIVATE KEY" not in blob, path


def test_trust_remove_and_list(catalog_env: dict[str, str]) -> None:
    listed = aurora("models", "trust", "list", env=catalog_env).stdout.splitlines()
    user_keys = [line.split()[0] for line in listed if " user " in f" {line} "]
    assert len(user_keys) == 1
    assert aurora("models", "trust", "remove", user_keys[0], env=catalog_env).returncode == 0
    assert "not a trusted key" in one_line_error(aurora("models", "fetch", NAME, env=catalog_env))


@pytest.mark.model
def test_real_model_flipped_byte_is_refused_by_verify_and_ask(model_home: AuroraHome) -> None:
    """The issue's acceptance: one flipped byte in the real GGUF stops both commands."""
    gguf = next((model_home.models / "llm" / "smollm2-135m-instruct").rglob("*.gguf"))
    private_copy = gguf.with_suffix(".copy")
    shutil.copyfile(gguf, private_copy)  # break the hard link to the shared test model
    private_copy.replace(gguf)
    assert aurora("models", "verify").returncode == 0  # the copy is intact (new inode: rehash)
    with gguf.open("r+b") as handle:
        handle.seek(50_000_000)
        byte = handle.read(1)
        handle.seek(50_000_000)
        handle.write(bytes([byte[0] ^ 0x01]))
    line = one_line_error(aurora("models", "verify"))
    assert "SmolLM2-135M-Instruct.Q4_1.gguf does not match its signed sha256" in line
    asked = aurora("ask", "--json", "hello")
    line = one_line_error(asked)
    assert "does not match its signed sha256" in line and asked.stdout == ""


@pytest.mark.model
def test_real_model_template_edited_with_stat_kept_is_refused_by_ask(
    model_home: AuroraHome,
) -> None:
    """Edit the chat template in place and restore size, mtime and inode (`touch -r`): the
    stat record matches, the bytes do not, and `ask` must refuse before llama.cpp opens it."""
    gguf = next((model_home.models / "llm" / "smollm2-135m-instruct").rglob("*.gguf"))
    private_copy = gguf.with_suffix(".copy")
    shutil.copyfile(gguf, private_copy)  # break the hard link to the shared test model
    private_copy.replace(gguf)
    assert aurora("models", "verify").returncode == 0  # records size, mtime and inode
    head = gguf.read_bytes()[:4_000_000]
    at = head.index(b"<|im_start|>")
    overwrite_in_place(gguf, at, b"<|im_PIRATE|>"[: len(b"<|im_start|>")])
    asked = aurora("ask", "--json", "hello")
    line = one_line_error(asked)
    assert "does not match its signed sha256" in line and asked.stdout == ""
