"""The Windows installer (installer/windows/build.py): its content, launchers, PE headers and size.

The build test runs the real build once per session (cold: llama.cpp's Windows build and the
downloads, about 20 minutes on 2 cores; warm: only unpacking, and compressing unless nothing
changed). The small tests above it check the build script's pieces without building.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "installer" / "windows" / "build.py"
SITE = "python/Lib/site-packages"
OBJDUMP = "x86_64-w64-mingw32-objdump"
MACHINE_AMD64 = 0x8664
SUBSYSTEM_GUI, SUBSYSTEM_CONSOLE = 2, 3


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("aurora_windows_build", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["aurora_windows_build"] = module
    spec.loader.exec_module(module)
    return module


build = _load_script()


# --- the build script's pieces (no build) ---------------------------------------------------


def test_the_lock_is_read_with_hashes_and_without_markers(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text(
        "# via uv\n"
        "numpy==2.5.5 \\\n    --hash=sha256:"
        + "a" * 64
        + " \\\n    --hash=sha256:"
        + "b" * 64
        + "\n"
        "    # via aurora-desktop\n"
        "pywin32-ctypes==0.2.3 ; sys_platform == 'win32' \\\n    --hash=sha256:" + "c" * 64 + "\n"
        "Llama_CPP.Python==0.3.36 \\\n    --hash=sha256:" + "d" * 64 + "\n",
        encoding="utf-8",
    )
    pins = build.read_lock(lock)
    assert [(p.name, p.requirement) for p in pins] == [
        ("numpy", "numpy==2.5.5"),
        ("pywin32-ctypes", "pywin32-ctypes==0.2.3"),  # the host must not judge a Windows marker
        ("llama-cpp-python", "Llama_CPP.Python==0.3.36"),
    ]
    assert pins[0].hashes == {"a" * 64, "b" * 64}
    assert "llama-cpp-python" in build.BUILT_HERE


def test_a_lock_without_hashes_or_exact_pins_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text("numpy==2.5.5\n", encoding="utf-8")
    with pytest.raises(build.BuildError, match="has no --hash"):
        build.read_lock(lock)
    lock.write_text("numpy>=2 --hash=sha256:" + "a" * 64 + "\n", encoding="utf-8")
    with pytest.raises(build.BuildError, match="not an exact pin"):
        build.read_lock(lock)


def test_the_pth_file_gains_site_packages_and_import_site() -> None:
    shipped = (
        "python313.zip\r\n.\r\n\r\n# Uncomment to run site.main() automatically\r\n#import site\r\n"
    )
    lines = build.edit_pth(shipped).split("\r\n")
    assert lines[:3] == ["python313.zip", ".", "Lib\\site-packages"]
    assert lines.count("import site") == 1 and "#import site" not in lines
    assert build.edit_pth(build.edit_pth(shipped)) == build.edit_pth(shipped)


def test_prune_rules_keep_what_aurora_loads() -> None:
    def pruned(path: str) -> bool:
        return any(rule.matches(path) for rule in build.PRUNE)

    for gone in [
        "PySide6/qml",
        "PySide6/Qt6Quick.dll",
        "PySide6/Qt6Designer.dll",
        "PySide6/opengl32sw.dll",
        "PySide6/translations/qtbase_de.qm",
        "numpy/_core/tests",
        "PySide6/QtCore.pyi",
        "sympy",
    ]:
        assert pruned(gone), gone
    for kept in [
        "PySide6/Qt6Core.dll",
        "PySide6/Qt6OpenGL.dll",  # pyqtgraph imports QtOpenGL at start-up
        "PySide6/QtOpenGL.pyd",
        "PySide6/Qt6Network.dll",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/translations/qtbase_ko.qm",
        "onnxruntime/capi/DirectML.dll",
        "numpy/testing",
        "aurora_desktop/resources/catalog.json",
        "llama_cpp/lib/llama.dll",
    ]:
        assert not pruned(kept), kept


def test_the_kept_qt_translations_are_the_ui_languages() -> None:
    from aurora_desktop.ui.i18n import LANGUAGES

    assert tuple(build.UI_LANGUAGES) == tuple(LANGUAGES)


def test_windows_file_versions() -> None:
    assert build.version_numbers("0.1.0") == (0, 1, 0, 0)
    assert build.version_numbers("1.2.3.4.5") == (1, 2, 3, 4)
    assert build.version_numbers("2.0rc1") == (2, 0, 0, 0)
    with pytest.raises(build.BuildError, match="does not start with a number"):
        build.version_numbers("dev")


# --- the real build -------------------------------------------------------------------------


def _listing(installer: Path) -> dict[str, int]:
    """Path -> size of every file in the installer, as 7-Zip reads an NSIS archive."""
    out = subprocess.run(
        ["7z", "l", "-slt", str(installer)], capture_output=True, text=True, check=True
    ).stdout
    files: dict[str, int] = {}
    for block in out.split("\n\n"):
        fields = dict(re.findall(r"^(\w[\w ]*?) = (.*)$", block, re.M))
        if "Path" in fields and fields.get("Folder", "-") != "+" and "Size" in fields:
            files[fields["Path"].replace("\\", "/")] = int(fields["Size"] or 0)
    return files


def _extract(installer: Path, member: str, dest: Path) -> Path:
    data = subprocess.run(
        ["7z", "e", "-so", str(installer), member], capture_output=True, check=True
    ).stdout
    target = dest / member.replace("/", "_")
    target.write_bytes(data)
    return target


def _pe_header(data: bytes) -> tuple[int, int, int]:
    """(machine, optional-header magic, subsystem) of a PE file."""
    assert data[:2] == b"MZ"
    offset = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[offset : offset + 4] == b"PE\0\0"
    machine = struct.unpack_from("<H", data, offset + 4)[0]
    optional = offset + 24
    magic, subsystem = (
        struct.unpack_from("<H", data, optional)[0],
        struct.unpack_from("<H", data, optional + 68)[0],
    )
    return machine, magic, subsystem


@pytest.fixture(scope="module")
def installer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for tool in ("makensis", "7z", OBJDUMP, "convert"):
        assert shutil.which(tool), f"{tool} is needed to build and inspect the installer"
    out = tmp_path_factory.mktemp("installer")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=3500,
    )
    sys.stdout.write(proc.stdout)  # the step timings, shown with -s or on failure
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    found = list(out.glob("Aurora-Setup-*.exe"))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.integration
@pytest.mark.timeout(3600)
def test_the_installer_holds_aurora_python_and_its_dependencies(installer: Path) -> None:
    from aurora_desktop import __version__

    assert installer.name == f"Aurora-Setup-{__version__}.exe"
    files = _listing(installer)
    expected = [
        "Aurora.exe",
        "bin/aurora.exe",
        "uninstall.exe",
        "python/python.exe",
        "python/python313.dll",
        "python/python313.zip",
        "python/python313._pth",
        "python/vcruntime140.dll",
        f"{SITE}/aurora_desktop/__main__.py",
        f"{SITE}/aurora_desktop/resources/catalog.json",
        f"{SITE}/aurora_desktop/resources/aurora-256.png",
        f"{SITE}/aurora_desktop-{__version__}.dist-info/entry_points.txt",
        f"{SITE}/llama_cpp/llama_cpp.py",
        f"{SITE}/PySide6/Qt6Core.dll",
        f"{SITE}/PySide6/QtWidgets.pyd",
        f"{SITE}/PySide6/plugins/platforms/qwindows.dll",
        f"{SITE}/PySide6/translations/qtbase_ko.qm",
        f"{SITE}/onnxruntime/capi/DirectML.dll",
        f"{SITE}/onnxruntime_genai/onnxruntime-genai.dll",
        f"{SITE}/numpy/__init__.py",
        f"{SITE}/faiss/__init__.py",
        f"{SITE}/tokenizers/__init__.py",
        f"{SITE}/cryptography/__init__.py",
        f"{SITE}/win32ctypes/__init__.py",  # keyring's Windows backend, not jeepney
    ]
    missing = [name for name in expected if name not in files]
    assert not missing, missing
    assert any(re.fullmatch(rf"{SITE}/llama_cpp/lib/[^/]*llama[^/]*\.dll", n) for n in files)
    assert any(re.fullmatch(rf"{SITE}/llama_cpp/lib/[^/]*ggml[^/]*\.dll", n) for n in files)
    for name in files:
        assert not re.search(r"(^|/)(jeepney|secretstorage)(/|-)", name), name
        assert "/PySide6/qml/" not in name and not name.endswith(".pyi"), name
        assert "/tests/" not in name and "__pycache__" not in name, name
        assert not re.search(r"/PySide6/Qt6(Quick|Qml|Designer)", name), name
    assert f"{SITE}/bin/aurora" not in files  # pip's Linux console scripts are not shipped
    pth = _extract(installer, "python/python313._pth", installer.parent).read_text()
    assert "Lib\\site-packages" in pth.splitlines() and "import site" in pth.splitlines()


@pytest.mark.integration
@pytest.mark.timeout(3600)
def test_the_launchers_are_64_bit_gui_and_console_with_system_imports_only(
    installer: Path, tmp_path: Path
) -> None:
    from aurora_desktop import __version__

    system = {"kernel32.dll", "user32.dll", "msvcrt.dll"}
    for member, subsystem in [("Aurora.exe", SUBSYSTEM_GUI), ("bin/aurora.exe", SUBSYSTEM_CONSOLE)]:
        exe = _extract(installer, member, tmp_path)
        data = exe.read_bytes()
        assert _pe_header(data) == (MACHINE_AMD64, 0x20B, subsystem), member
        dump = subprocess.run(
            [OBJDUMP, "-p", str(exe)], capture_output=True, text=True, check=True
        ).stdout
        imports = {name.lower() for name in re.findall(r"DLL Name: (\S+)", dump)}
        assert imports <= system, (member, imports - system)
        strings = subprocess.run(
            ["strings", "-el", str(exe)], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        for key, value in [("ProductName", "Aurora"), ("FileVersion", __version__)]:
            assert strings[strings.index(key) + 1] == value, (member, key)
        assert b'<requestedExecutionLevel level="asInvoker"' in data  # never asks for admin
        assert len(re.findall(rb"\x00\x00\x01\x00\x05\x00", data)) >= 1  # a 5-size icon group


@pytest.mark.integration
@pytest.mark.timeout(3600)
def test_the_installer_is_a_64_bit_nsis_exe_within_the_size_goal(installer: Path) -> None:
    data = installer.read_bytes()
    machine, magic, subsystem = _pe_header(data[:4096])
    assert (machine, magic, subsystem) == (MACHINE_AMD64, 0x20B, SUBSYSTEM_GUI)
    info = subprocess.run(
        ["7z", "l", str(installer)], capture_output=True, text=True, check=True
    ).stdout
    assert "NSIS-3 Unicode 64-bit" in info and "Solid = +" in info and "LZMA" in info
    size = installer.stat().st_size
    print(f"{installer.name}: {size / 1e6:.1f} MB")
    assert size <= build.SIZE_LIMIT, f"{size / 1e6:.1f} MB is over the goal"
