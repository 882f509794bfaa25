"""The Windows build of llama.cpp (installer/windows/llama_win.py): complete, Windows-only, cached.

The first run on a machine builds it (about ten minutes on 2 cores); later runs find it in .cache/.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib.util
import json
import struct
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "installer" / "windows" / "llama_win.py"

pytestmark = [pytest.mark.integration, pytest.mark.timeout(3600)]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("llama_win", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["llama_win"] = module
    spec.loader.exec_module(module)
    return module


llama_win = _load_script()


def _build() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "build"], capture_output=True, text=True, timeout=3500
    )


@pytest.fixture(scope="module")
def build_dir() -> Path:
    proc = _build()
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = Path(proc.stdout.strip().splitlines()[-1])
    assert out.is_dir() and out.parent == REPO / ".cache"
    return out


def _pe_machine(path: Path) -> int:
    data = path.read_bytes()[:4096]
    assert data[:2] == b"MZ", f"{path.name} is not a Windows executable"
    offset = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[offset : offset + 4] == b"PE\0\0", f"{path.name} has no PE header"
    return int(struct.unpack_from("<H", data, offset + 4)[0])


def test_every_import_is_a_system_dll_or_shipped(build_dir: Path) -> None:
    files = sorted((build_dir / "llama_cpp" / "lib").glob("*.dll"))
    files += sorted((build_dir / "bin").iterdir())
    assert any(path.name == "llama-bench.exe" for path in files)
    assert llama_win.missing_imports(files) == {}


def test_only_x86_64_windows_binaries(build_dir: Path) -> None:
    for path in build_dir.rglob("*"):
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            assert handle.read(4) != b"\x7fELF", f"{path} is a Linux binary"
        assert path.suffix not in {".so", ".dylib"}, f"{path} is not a Windows library"
        if path.suffix in {".dll", ".exe"}:
            assert _pe_machine(path) == 0x8664, f"{path.name} is not built for x86-64"


def test_cpu_backends_for_every_x86_64_level(build_dir: Path) -> None:
    lib = build_dir / "llama_cpp" / "lib"
    names = {path.name for path in lib.glob("*.dll")}
    assert {"libllama.dll", "ggml.dll", "ggml-base.dll"} <= names
    # x64 runs on any x86-64 CPU; haswell is AVX2; skylakex is AVX-512.
    assert {"ggml-cpu-x64.dll", "ggml-cpu-haswell.dll", "ggml-cpu-skylakex.dll"} <= names
    # The patched backend search asks Windows for ggml.dll's own folder.
    imports = subprocess.run(
        [llama_win.OBJDUMP, "-p", str(lib / "ggml.dll")], capture_output=True, text=True, check=True
    ).stdout
    assert "GetModuleHandleExW" in imports


def test_build_record_and_dist_info_match_the_files(build_dir: Path) -> None:
    record = json.loads((build_dir / "BUILD.json").read_text(encoding="utf-8"))
    assert {"GGML_LLAMAFILE=OFF", "GGML_NATIVE=OFF"} <= set(record["cmake_flags"])
    assert build_dir.name == f"llama-win-{record['llama_cpp_python']}-{record['key']}"
    assert record["build_seconds"] > 0
    info = build_dir / f"llama_cpp_python-{record['llama_cpp_python']}.dist-info"
    assert f"Version: {record['llama_cpp_python']}\n" in (info / "METADATA").read_text("utf-8")
    rows = list(csv.reader((info / "RECORD").read_text(encoding="utf-8").splitlines()))
    listed = {row[0] for row in rows}
    assert "llama_cpp/__init__.py" in listed and "llama_cpp/lib/libllama.dll" in listed
    for name, digest, size in rows:
        if not digest:
            continue
        data = (build_dir / name).read_bytes()
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert digest == f"sha256={expected}" and int(size) == len(data), name


def test_a_second_run_reuses_the_cache(build_dir: Path) -> None:
    started = time.monotonic()
    proc = _build()
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == str(build_dir)
    assert elapsed < 3.0


def test_the_lock_pins_the_version_and_hashes(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text(
        "jinja2==3.1.6 \\\n    --hash=sha256:" + "1" * 64 + "\n"
        "llama-cpp-python==0.3.36 \\\n"
        "    --hash=sha256:" + "a" * 64 + " \\\n"
        "    --hash=sha256:" + "b" * 64 + "\n"
        "numpy==2.3.5 \\\n    --hash=sha256:" + "c" * 64 + "\n",
        encoding="utf-8",
    )
    pin = llama_win.pinned_version(lock)
    assert pin.version == "0.3.36"
    assert pin.hashes == {"a" * 64, "b" * 64}
