"""The Windows lock (installer/windows/requirements.txt) agrees with pyproject.toml and resolves."""

from __future__ import annotations

import importlib.util
import itertools
import re
import shutil
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "installer" / "windows" / "requirements.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
# What pip's markers see on 64-bit Windows with the CPython the installer ships.
WINDOWS = {
    **default_environment(),
    "sys_platform": "win32",
    "platform_system": "Windows",
    "os_name": "nt",
    "platform_machine": "AMD64",
    "python_version": "3.13",
    "python_full_version": "3.13.2",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "extra": "",
}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("windows_lock", LOCK.with_name("lock.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pins(path: Path) -> dict[str, str]:
    """`name==version` of every package in a lock, by canonical name."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def runtime_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(text) for text in project["dependencies"]]


def test_every_windows_requirement_is_pinned_inside_its_range() -> None:
    locked = pins(LOCK)
    for req in runtime_requirements():
        on_windows = req.marker is None or req.marker.evaluate(WINDOWS)
        name = canonicalize_name(req.name)
        if not on_windows:
            assert name not in locked, f"{req} is not for Windows, yet the lock pins {name}"
            continue
        assert name in locked, f"{req} is missing from {LOCK.name}: run installer/windows/lock.py"
        assert req.specifier.contains(locked[name], prereleases=True), (
            f"{LOCK.name} pins {name}=={locked[name]}, outside {req}: run installer/windows/lock.py"
        )


def test_the_lock_was_resolved_for_windows_with_hashes() -> None:
    """Markers judged for Windows, not for the Linux machine that wrote the lock."""
    locked = pins(LOCK)
    assert "pywin32-ctypes" in locked  # keyring's Windows backend
    assert "colorama" in locked  # click's and tqdm's Windows-only dependency
    assert not {"jeepney", "secretstorage"} & locked.keys()  # keyring's Linux backend
    lines = [*LOCK.read_text(encoding="utf-8").splitlines(), ""]
    unhashed = [
        line.split()[0]
        for line, after in itertools.pairwise(lines)
        if PIN.match(line) and not after.strip().startswith("--hash=sha256:")
    ]
    assert not unhashed, f"pins without a hash: {unhashed}"


@pytest.mark.integration
def test_pyproject_still_resolves_to_the_committed_lock(tmp_path: Path) -> None:
    """Re-resolve from the package index with the committed pins as preferences: a new release
    elsewhere changes nothing, a dependency added, dropped or moved out of range does."""
    again = shutil.copyfile(LOCK, tmp_path / "requirements.txt")
    _load_script().lock(again)
    committed, resolved = pins(LOCK), pins(again)
    assert resolved == committed, (
        f"pyproject.toml resolves to another Windows set; run installer/windows/lock.py\n"
        f"only in the lock: {sorted(set(committed.items()) - set(resolved.items()))}\n"
        f"only resolved now: {sorted(set(resolved.items()) - set(committed.items()))}"
    )
