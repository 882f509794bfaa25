"""The layers of DESIGN.md: core imports no Qt and nothing above it; ui never imports app."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import aurora_desktop

PACKAGE = Path(aurora_desktop.__file__).parent
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in forbidden or name.startswith(forbidden):
                found.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return found


def test_core_source_imports_no_qt() -> None:
    assert offenders("core", QT_MODULES) == []


def test_core_imports_no_upper_layer() -> None:
    upper = ("aurora_desktop.ui", "aurora_desktop.app", "aurora_desktop.cli")
    assert offenders("core", upper) == []


def test_ui_does_not_import_the_app_layer() -> None:
    assert offenders("ui", ("aurora_desktop.app",)) == []


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
