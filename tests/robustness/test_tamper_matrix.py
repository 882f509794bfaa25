"""The tamper matrix, end to end: 22 ways to change a model's bytes or record, each refused
before any parser (llama.cpp in a model process or in-process, the llama.cpp server, ONNX
Runtime) is handed the file.

Each case installs a signed model through the real store, tampers with it the way a person or
a program with write access to the data folder could, then asks the real engine factory to
load it. The parsers are replaced by probes that record being reached; a clean model reaches
them (the control), a tampered one must not.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.core.embedding.service import EmbeddingService
from aurora_desktop.core.errors import ModelError
from aurora_desktop.core.local_hop import engine_factory
from aurora_desktop.core.models.keys import make_key_file
from aurora_desktop.core.models.signing import sign_entry
from tests.support.signing import entry_of, make_publisher
from tests.support.store_kit import StoreKit, make_kit
from tests.support.tamper import overwrite_in_place

NAME = "tiny"
GGUF_HEAD = b"GGUF\x03\x00\x00\x00"
TEMPLATE = b"{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>{% endfor %}"


class ParserReached(Exception):
    """Raised by the probes: a parser was handed a model file."""


@pytest.fixture
def kit(tmp_path: Path) -> StoreKit:
    return make_kit(tmp_path)


@pytest.fixture
def parsers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every parser entry point replaced by a probe that records the file it was given."""
    import llama_cpp

    from aurora_desktop.core.engines import llama_process, llama_server

    reached: list[str] = []

    def llama(*_: Any, model_path: str = "", **__: Any) -> Any:
        reached.append(f"llama.cpp:{model_path}")
        raise ParserReached(model_path)

    def server(spec: Any, *_: Any, **__: Any) -> Any:
        reached.append(f"llama-server:{spec.model_path}")
        raise ParserReached(str(spec.model_path))

    def model_process(model_path: Path, **_: Any) -> Any:
        reached.append(f"llama.cpp process:{model_path}")
        raise ParserReached(str(model_path))

    monkeypatch.setattr(llama_cpp, "Llama", llama)
    monkeypatch.setattr(llama_process, "start_model_process", model_process)
    monkeypatch.setattr(llama_server, "start_server", server)
    yield reached


def _files(kind: str) -> dict[str, bytes]:
    body = b"weights " * 6000
    if kind == "embedding":
        return {"model.onnx": b"\x08\x07" + body, "tokenizer.json": b'{"model": {}}'}
    return {"weights.gguf": GGUF_HEAD + TEMPLATE + body, "tokenizer.json": b'{"vocab": 1}'}


def install(
    kit: StoreKit, version: str = "1.0.0", *, kind: str = "llm", origin: str = "catalog"
) -> None:
    extra: dict[str, Any] = {"kind": kind}
    if kind == "embedding":
        extra.update(format="onnx", tasks=["embed"])
    files = _files(kind)
    if version != "1.0.0":
        files = {k: v.replace(b"weights", b"wEights") for k, v in files.items()}
    record = kit.record(version, files=files, **extra)
    kit.store.install(entry_of(record), origin=origin)


def main_file(kit: StoreKit, version: str = "1.0.0") -> Path:
    folder = next((kit.home.models).glob(f"*/{NAME}/{version}"))
    names = sorted(p for p in folder.iterdir() if p.suffix in {".gguf", ".onnx"})
    return names[0]


def load(kit: StoreKit, reached: list[str], *, kind: str = "llm") -> None:
    """What Aurora does to open the model: the real engine factory or embedding service."""
    if kind == "embedding":

        def factory(model: Path, tokenizer: Path) -> Any:
            reached.append(f"onnxruntime:{model}")
            raise ParserReached(str(model))

        service = EmbeddingService(kit.store, lambda: None, model_name=NAME, factory=factory)  # type: ignore[arg-type]
        try:
            service.ensure()
        finally:
            service.close()
        return
    engine = engine_factory(kit.store)(NAME)
    try:
        engine.load().result(timeout=60)
    finally:
        engine.close()


def edit_manifest(kit: StoreKit, change: Callable[[dict[str, Any]], None]) -> None:
    path = kit.store.manifest_path
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def edit_entry(change: Callable[[dict[str, Any]], None]) -> Callable[[StoreKit], None]:
    return lambda kit: edit_manifest(
        kit, lambda d: change(d["models"][NAME]["versions"]["1.0.0"]["entry"])
    )


def in_place(kit: StoreKit, offset: int, new: bytes, *, keep_stat: bool = False) -> None:
    """Overwrite bytes in place (same inode); with keep_stat, restore mtime like `touch -r`."""
    overwrite_in_place(main_file(kit), offset, new, keep_stat=keep_stat)


def flip_middle(kit: StoreKit) -> None:
    path = main_file(kit)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    in_place(kit, len(data) // 2, bytes([data[len(data) // 2]]))


def truncate(kit: StoreKit) -> None:
    path = main_file(kit)
    os.truncate(path, path.stat().st_size - 1)


def extend(kit: StoreKit) -> None:
    with main_file(kit).open("ab") as handle:
        handle.write(b"\0")


def hash_edit_consistent(entry: dict[str, Any]) -> None:
    entry["hash"] = "sha256:" + "d" * 64
    entry["files"][0]["sha256"] = "d" * 64


def swap_signature(kit: StoreKit) -> None:
    other = kit.record("9.9.9")
    edit_entry(lambda e: e.__setitem__("signature", other["signature"]))(kit)


def resign_with(private: Any) -> Callable[[dict[str, Any]], None]:
    def change(entry: dict[str, Any]) -> None:
        entry.update(
            {k: v for k, v in sign_entry(entry, private).items() if k in ("key_id", "signature")}
        )

    return change


def unknown_key(kit: StoreKit) -> None:
    stranger = make_publisher(kit.home.root.parent / "stranger-keys", "stranger")
    edit_entry(resign_with(stranger.private))(kit)


def expire(kit: StoreKit) -> None:
    def change(entry: dict[str, Any]) -> None:
        entry.update(
            sign_entry({**entry, "expires": "2020-01-01T00:00:00Z"}, kit.publisher.private)
        )

    edit_entry(change)(kit)


def other_version_file(kit: StoreKit) -> None:
    install(kit, "2.0.0")
    kit.store.switch(NAME, "1.0.0")
    shutil.copy(main_file(kit, "2.0.0"), main_file(kit))


def unlisted_file(kit: StoreKit) -> None:
    (main_file(kit).parent / "extra.bin").write_bytes(b"surprise")


def verified_stat_edit(kit: StoreKit) -> None:
    """Change the bytes, then write the new stat into the manifest's unsigned record."""
    flip_middle(kit)
    path = main_file(kit)
    st = path.stat()

    def change(data: dict[str, Any]) -> None:
        verified = data["models"][NAME]["versions"]["1.0.0"]["verified"]
        verified["stat"][path.name] = [st.st_size, st.st_mtime_ns, st.st_ino]

    edit_manifest(kit, change)


def hand_dropped_key(kit: StoreKit) -> None:
    """A key file copied into trust/ by hand; the tampered model re-signed with it."""
    attacker = make_publisher(kit.home.root.parent / "attacker-keys", "attacker")
    key_file = make_key_file(attacker.private.public_key(), "attacker")
    (kit.trust.user_dir / f"{key_file.key_id}.pub.json").write_text(key_file.to_json())
    flip_middle(kit)
    data = main_file(kit).read_bytes()

    def change(entry: dict[str, Any]) -> None:
        import hashlib

        digest = hashlib.sha256(data).hexdigest()
        entry["files"][0]["sha256"] = digest
        entry["hash"] = f"sha256:{digest}"
        resign_with(attacker.private)(entry)

    edit_entry(change)(kit)


def active_rolled_back(kit: StoreKit) -> None:
    install(kit, "2.0.0")  # becomes active
    edit_manifest(kit, lambda d: d["models"][NAME].__setitem__("active", "1.0.0"))


def active_missing(kit: StoreKit) -> None:
    edit_manifest(kit, lambda d: d["models"][NAME].__setitem__("active", "7.0.0"))


Case = tuple[str, str, str, Callable[[StoreKit], None], str]
CASES: list[Case] = [
    ("one byte flipped", "llm", "catalog", flip_middle, "does not match its signed sha256"),
    ("truncated", "llm", "catalog", truncate, "was truncated"),
    ("extended", "llm", "catalog", extend, "was extended"),
    (
        "name edited",
        "llm",
        "catalog",
        edit_entry(lambda e: e.__setitem__("name", "tiny2")),
        "does not match",
    ),
    (
        "version edited",
        "llm",
        "catalog",
        edit_entry(lambda e: e.__setitem__("version", "1.0.1")),
        "does not match",
    ),
    (
        "ram_gb edited",
        "llm",
        "catalog",
        edit_entry(lambda e: e.__setitem__("ram_gb", 0.01)),
        "does not match its signature",
    ),
    (
        "hash edited everywhere",
        "llm",
        "catalog",
        edit_entry(hash_edit_consistent),
        "does not match its signature",
    ),
    (
        "hash edited alone",
        "llm",
        "catalog",
        edit_entry(lambda e: e.__setitem__("hash", "sha256:" + "e" * 64)),
        "not its first file's sha256",
    ),
    ("signature of another entry", "llm", "catalog", swap_signature, "does not match its sig"),
    ("signed by an unknown key", "llm", "catalog", unknown_key, "not a trusted key"),
    (
        "signing key removed",
        "llm",
        "catalog",
        lambda kit: kit.trust.remove(kit.publisher.key_id),
        "not a trusted key",
    ),
    ("expired entry", "llm", "catalog", expire, "expired on 2020-01-01"),
    (
        "file of another version",
        "llm",
        "catalog",
        other_version_file,
        "does not match its signed sha256",
    ),
    ("unlisted file added", "llm", "catalog", unlisted_file, "not part of the signed model"),
    (
        "edited in place, size, mtime and inode kept",
        "llm",
        "catalog",
        lambda kit: in_place(kit, 200, b"X", keep_stat=True),
        "does not match its signed sha256",
    ),
    (
        "verified.stat edited to match",
        "llm",
        "catalog",
        verified_stat_edit,
        "does not match its signed sha256",
    ),
    (
        "GGUF magic byte flipped",
        "llm",
        "catalog",
        lambda kit: in_place(kit, 0, b"H", keep_stat=True),
        "does not match its signed sha256",
    ),
    (
        "chat template edited",
        "llm",
        "catalog",
        lambda kit: in_place(kit, len(GGUF_HEAD) + 4, b"pirate", keep_stat=True),
        "does not match its signed sha256",
    ),
    (
        "imported GGUF edited in place",
        "llm",
        "import",
        lambda kit: in_place(kit, 100, b"Y", keep_stat=True),
        "does not match its signed sha256",
    ),
    (
        "ONNX byte flipped",
        "embedding",
        "catalog",
        lambda kit: in_place(kit, 1, b"\x09", keep_stat=True),
        "does not match its signed sha256",
    ),
    ("key dropped into trust/ by hand", "llm", "catalog", hand_dropped_key, "not a trusted key"),
    (
        "active edited back to an older version",
        "llm",
        "catalog",
        active_rolled_back,
        "edited by hand to make tiny 1.0.0 active",
    ),
    (
        "active edited to a version not installed",
        "llm",
        "catalog",
        active_missing,
        "that version is not installed",
    ),
]
# the last two are one class each in the report, as are the rest: 22 + the import variant
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize(("case", "kind", "origin", "tamper", "reason"), CASES, ids=IDS)
def test_tampering_never_reaches_a_parser(
    kit: StoreKit,
    parsers: list[str],
    case: str,
    kind: str,
    origin: str,
    tamper: Callable[[StoreKit], None],
    reason: str,
) -> None:
    install(kit, kind=kind, origin=origin)
    with pytest.raises(ParserReached):  # the control: a clean model reaches the parser
        load(kit, parsers, kind=kind)
    assert len(parsers) == 1
    tamper(kit)
    with pytest.raises(ModelError, match=reason):
        load(kit, parsers, kind=kind)
    assert len(parsers) == 1, f"{case}: a parser was handed the tampered file: {parsers[1:]}"


def test_a_hand_dropped_key_is_listed_as_refused_and_logged(kit: StoreKit) -> None:
    install(kit)
    attacker = make_publisher(kit.home.root.parent / "attacker-keys", "attacker")
    key_file = make_key_file(attacker.private.public_key(), "attacker")
    dropped = kit.trust.user_dir / f"{key_file.key_id}.pub.json"
    dropped.write_text(key_file.to_json())
    assert key_file.key_id not in kit.trust.keys()  # noqa: SIM118
    assert "not added through Aurora" in kit.trust.refused()[dropped]
    assert [e["key_id"] for e in kit.ledger.events("trust.refused")] == [key_file.key_id]
    kit.trust.add(dropped)  # the proper way trusts it, and says so
    assert key_file.key_id in kit.trust.keys()  # noqa: SIM118


def test_a_hand_rollback_is_refused_and_logged_and_switch_still_works(kit: StoreKit) -> None:
    install(kit, "1.0.0")
    install(kit, "2.0.0")
    active_rolled_back(kit)
    with pytest.raises(ModelError, match=r"aurora models switch tiny --version 1\.0\.0"):
        kit.store.ready_for_load(NAME)
    assert [e["version"] for e in kit.ledger.events("model.refused")] == ["1.0.0"]
    kit.store.switch(NAME, "1.0.0")  # the explicit, logged way
    assert kit.store.ready_for_load(NAME).version == "1.0.0"
    assert [e["to_version"] for e in kit.ledger.events("model.switch")] == ["1.0.0"]


def test_verify_names_an_active_version_that_is_not_installed(kit: StoreKit) -> None:
    install(kit)
    active_missing(kit)
    with pytest.raises(ModelError, match="that version is not installed"):
        kit.store.verify(NAME)


def test_an_older_highest_seen_written_by_hand_does_not_let_an_old_version_activate(
    kit: StoreKit,
) -> None:
    install(kit, "2.0.0")
    edit_manifest(kit, lambda d: d["models"][NAME].update(highest_seen="0.1.0"))
    install(kit, "1.0.0")
    assert kit.store.ready_for_load(NAME).version == "2.0.0"


def test_trust_list_shows_a_hand_dropped_key_as_refused(tmp_path: Path) -> None:
    """Through the CLI, as a person would see it, with no keyring set up at all."""
    import subprocess
    import sys

    home = tmp_path / "home"
    env = {**os.environ, "AURORA_HOME": str(home)}
    env.pop("AURORA_TEST_KEYRING_FILE", None)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

    def aurora(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "aurora_desktop", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert aurora("models", "trust", "list").returncode == 0  # the seal is made here
    attacker = make_publisher(tmp_path / "attacker-keys", "attacker")
    key_file = make_key_file(attacker.private.public_key(), "attacker")
    (home / "trust" / f"{key_file.key_id}.pub.json").write_text(key_file.to_json())
    listed = aurora("models", "trust", "list")
    assert listed.returncode == 0
    assert f"refused  {key_file.key_id}.pub.json: " in listed.stdout
    assert "not added through Aurora" in listed.stdout
    assert "no OS keyring is usable" in listed.stderr
    assert "Traceback" not in listed.stderr


@pytest.mark.parametrize("stop_at", ["before the manifest", "after the manifest"])
def test_a_switch_killed_between_the_seal_and_the_manifest_still_loads(
    kit: StoreKit, monkeypatch: pytest.MonkeyPatch, stop_at: str
) -> None:
    """The seal and the manifest are two files; a kill between their writes must leave a
    state that checks (the old or the new version), never a refusal that blames the user."""
    from aurora_desktop.core.models import store as store_module

    install(kit, "1.0.0")
    install(kit, "2.0.0")
    real_update = store_module.update_store_manifest

    class Killed(BaseException):
        """The process stopping at this instant (not an error anything may catch)."""

    def killed(path: Path, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        if stop_at == "after the manifest":
            real_update(path, change)
            raise Killed
        change(json.loads(path.read_text()))  # the seal is written inside the change
        raise Killed

    monkeypatch.setattr(kit.store, "_remember_verified", lambda _installed: None)
    monkeypatch.setattr(store_module, "update_store_manifest", killed)  # the switch's write
    with pytest.raises(Killed):
        kit.store.switch(NAME, "1.0.0")
    monkeypatch.setattr(store_module, "update_store_manifest", real_update)
    expected = "2.0.0" if stop_at == "before the manifest" else "1.0.0"
    assert kit.store.ready_for_load(NAME).version == expected
    assert not list(kit.ledger.events("model.refused"))
