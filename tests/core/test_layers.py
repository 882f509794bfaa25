"""The layers of DESIGN.md: the import-linter contracts in pyproject.toml hold, and importing
all of core loads no Qt at run time."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import aurora_desktop

PACKAGE = Path(aurora_desktop.__file__).parent
REPO = PACKAGE.parent
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    assert lint_imports.exists(), f"import-linter is not installed next to {sys.executable}"
    proc = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["tool"]["importlinter"]["contracts"]]
    assert len(names) == 4
    for name in names:  # each contract was checked, none skipped
        assert f"{name} KEPT" in proc.stdout, proc.stdout


def test_importing_all_of_core_loads_no_qt() -> None:
    modules = sorted(
        "aurora_desktop." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in (PACKAGE / "core").rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m.removesuffix('.__init__'))\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
