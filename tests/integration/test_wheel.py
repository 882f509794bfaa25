"""Aurora's built wheel is complete: installed (not editable) into a fresh venv outside the
checkout, `aurora` lists the catalog and answers with the real model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from aurora_desktop import __version__
from aurora_desktop.core.paths import AuroraHome
from tests.support.cli import one_line_error
from tests.support.keyring_backend import FILE_ENV

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

REPO = Path(__file__).resolve().parents[2]
RESOURCES = REPO / "aurora_desktop" / "resources"
BUILD_INPUTS = ("pyproject.toml", "README.md", "aurora_desktop")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    site_packages: Path

    @property
    def aurora(self) -> Path:
        return self.venv / "bin" / "aurora"


def _run(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=600, cwd=cwd, env=env
    )
    assert proc.returncode == 0, f"{args} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _timed(label: str, times: dict[str, float], *args: str | Path) -> None:
    started = time.perf_counter()
    _run(*args)
    times[label] = time.perf_counter() - started


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel built from a clean copy of the sources (no stale build/ folder can leak into
    it), installed with --no-deps into a new venv. Its dependencies come from this test run's
    venv through a .pth line that sys.path reads after the new venv's own site-packages."""
    root = tmp_path_factory.mktemp("wheel")
    assert not root.is_relative_to(REPO)
    source, dist, venv = root / "source", root / "dist", root / "venv"
    source.mkdir()
    for name in BUILD_INPUTS:
        path = REPO / name
        if path.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    times: dict[str, float] = {}
    _timed("build", times, sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, source)
    (wheel,) = dist.glob("aurora_desktop-*.whl")
    _timed("venv", times, sys.executable, "-m", "venv", "--without-pip", venv)
    site_packages = Path(
        _run(
            venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"
        ).stdout.strip()
    )
    (site_packages / "aurora-test-dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    _timed(
        "install", times, sys.executable, "-m", "pip", "--python", venv / "bin" / "python",
        "install", "--no-deps", "--no-index", wheel,
    )  # fmt: skip
    print(f"wheel {wheel.name}: {wheel.stat().st_size / 1e3:.0f} kB; " + ", ".join(
        f"{k} {v:.1f} s" for k, v in times.items()
    ))  # fmt: skip
    return Installed(wheel, venv, site_packages)


def test_the_wheel_holds_every_file_the_app_reads(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        names = set(archive.namelist())
    shipped = {n.removeprefix("aurora_desktop/resources/") for n in names if "/resources/" in n}
    for needed in (
        "catalog.json",
        "cognition/labels.json",
        "schemas/model_catalog.schema.json",
        "schemas/model_manifest.schema.json",
        "aurora.svg",
        "aurora-16.png",
        "aurora-256.png",
        "i18n/tray.ko.qm",
        "i18n/core_phrases.ko.qm",
    ):
        assert needed in shipped, f"{needed} is not in {installed.wheel.name}"
    assert any(n.startswith("keys/") and n.endswith(".pub.json") for n in shipped)
    # everything in the checkout's resources/ except the translators' .ts sources
    in_checkout = {
        p.relative_to(RESOURCES).as_posix()
        for p in RESOURCES.rglob("*")
        if p.is_file() and p.suffix != ".ts"
    }
    assert shipped == in_checkout
    assert not any(n.endswith(".ts") for n in names)
    assert "aurora_desktop/py.typed" in names
    assert "aurora_desktop/cli/main.py" in names


def test_the_installed_wheel_runs_aurora_outside_the_checkout(
    installed: Installed, model_home: AuroraHome, tmp_path: Path
) -> None:
    # The test keyring, importable without the checkout on the path.
    keyring_dir = tmp_path / "test-keyring"
    keyring_dir.mkdir()
    shutil.copy(REPO / "tests" / "support" / "keyring_backend.py", keyring_dir / "test_keyring.py")
    env = {
        **os.environ,
        "PYTHONPATH": str(keyring_dir),
        "PYTHON_KEYRING_BACKEND": "test_keyring.JsonFileKeyring",
        FILE_ENV: str(tmp_path / "keyring.json"),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(installed.aurora), *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=300,
        )

    where = _run(
        installed.venv / "bin" / "python",
        "-c",
        "import aurora_desktop, llama_cpp; from aurora_desktop.core.resources import "
        "resources_dir; print(aurora_desktop.__file__); print(resources_dir())",
        cwd=tmp_path,
        env=env,
    ).stdout.splitlines()
    assert Path(where[0]).is_relative_to(installed.site_packages), where
    assert Path(where[1]) == installed.site_packages / "aurora_desktop" / "resources"

    times: dict[str, float] = {}
    started = time.perf_counter()
    version = run("--version")
    times["--version"] = time.perf_counter() - started
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"aurora {__version__}"

    started = time.perf_counter()
    listing = run("models", "list", "--json")
    times["models list"] = time.perf_counter() - started
    assert listing.returncode == 0, listing.stderr
    assert "catalog is unavailable" not in listing.stderr
    rows = {row["name"]: row for row in json.loads(listing.stdout)}
    catalog = json.loads((RESOURCES / "catalog.json").read_text(encoding="utf-8"))
    for entry in catalog["models"]:
        assert entry["name"] in rows, f"{entry['name']} is missing from `aurora models list`"
    default = rows[catalog["default_llm"]]
    assert default["installed"] and default["active"]

    started = time.perf_counter()
    ask = run("ask", "--json", "--max-tokens", "24", "Name one colour of the rainbow.")
    times["ask"] = time.perf_counter() - started
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert answer["text"].strip() and answer["tokens_out"] > 0
    assert answer["model"] == "SmolLM2-135M-Instruct" and answer["engine"] == "llama.cpp"

    # The benchmark suite lives in the source tree only.
    line = one_line_error(run("bench", "--only", "B3"))
    assert "source tree" in line and "clone" in line
    print(", ".join(f"{k} {v:.1f} s" for k, v in times.items()))
