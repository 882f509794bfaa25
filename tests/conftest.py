"""Shared fixtures: a temporary AURORA_HOME for every test, each real model installed once
per session (tests/support/model_bank.py), and a guard that fails any test which leaves a
thread running."""

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

from aurora_desktop.core.embedding import (
    DEFAULT_EMBEDDING_MODEL,
    MULTILINGUAL_EMBEDDING_MODEL,
    EmbeddingService,
)
from aurora_desktop.core.paths import AuroraHome, prepare_home
from tests.support.keyring_backend import FILE_ENV, JsonFileKeyring
from tests.support.model_bank import ModelBank, link_or_copy

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
def model_bank(tmp_path_factory: pytest.TempPathFactory, wheel_cache: Path) -> ModelBank:
    """Every real model this session uses, each installed once through the real fetch path;
    the session's data folders below hold hard links to its files."""
    return ModelBank(AuroraHome(root=tmp_path_factory.mktemp("model-bank"), cache=wheel_cache))


@pytest.fixture(scope="session")
def seeded_home(tmp_path_factory: pytest.TempPathFactory, model_bank: ModelBank) -> AuroraHome:
    """A data folder where the default model is installed (from the model bank)."""
    return model_bank.home_with(tmp_path_factory.mktemp("seeded-home"), default_llm=True)


@pytest.fixture(scope="session")
def embedding_home(tmp_path_factory: pytest.TempPathFactory, model_bank: ModelBank) -> AuroraHome:
    """A data folder where the MiniLM embedding model is installed (from the model bank)."""
    return model_bank.home_with(tmp_path_factory.mktemp("embedding-home"), DEFAULT_EMBEDDING_MODEL)


@pytest.fixture(scope="session")
def multilingual_home(
    tmp_path_factory: pytest.TempPathFactory, model_bank: ModelBank
) -> AuroraHome:
    """A data folder where the multilingual encoder (USE-m3) is installed (from the bank)."""
    root = tmp_path_factory.mktemp("multilingual-home")
    return model_bank.home_with(root, MULTILINGUAL_EMBEDDING_MODEL)


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
    shutil.copytree(seeded_home.models, aurora_home.models, copy_function=link_or_copy)
    return prepare_home(aurora_home)


@pytest.fixture
def minilm_home(aurora_home: AuroraHome, model_bank: ModelBank) -> AuroraHome:
    """This test's data folder with MiniLM installed (hard links)."""
    return model_bank.home_with(aurora_home.root, DEFAULT_EMBEDDING_MODEL)


@pytest.fixture
def encoders_home(aurora_home: AuroraHome, model_bank: ModelBank) -> AuroraHome:
    """This test's data folder with both encoders (MiniLM and USE-m3) installed (hard links):
    what `aurora rag` and the intent classifier load."""
    return model_bank.home_with(
        aurora_home.root, DEFAULT_EMBEDDING_MODEL, MULTILINGUAL_EMBEDDING_MODEL
    )


@pytest.fixture
def default_llm_file(model_home: AuroraHome) -> Path:
    """The default model's main file in this test's data folder, checked as before a load."""
    from aurora_desktop.app.wiring import build_core

    core = build_core()
    try:
        return core.store.ready_for_load(core.catalog().default_llm).main_path
    finally:
        core.close()


@pytest.fixture(scope="session")
def full_seed(tmp_path_factory: pytest.TempPathFactory, model_bank: ModelBank) -> AuroraHome:
    """A data folder with the default LLM and both encoders installed (from the model bank)."""
    return model_bank.home_with(
        tmp_path_factory.mktemp("full-seed"),
        DEFAULT_EMBEDDING_MODEL,
        MULTILINGUAL_EMBEDDING_MODEL,
        default_llm=True,
    )


@pytest.fixture
def full_home(aurora_home: AuroraHome, full_seed: AuroraHome) -> AuroraHome:
    """This test's data folder with the default models installed (hard links)."""
    shutil.copytree(full_seed.models, aurora_home.models, copy_function=link_or_copy)
    return prepare_home(aurora_home)


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
