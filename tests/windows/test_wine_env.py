"""The embeddable CPython runs under the chroot's Wine with Aurora's heavy Windows dependencies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.windows import wine

# Timeouts cover a cold cache: the chroot (about 100 s) and the unpacked wheels.
pytestmark = [pytest.mark.windows, pytest.mark.timeout(1800)]

REQUIREMENTS = Path(__file__).with_name("wine-test-wheels.txt")
MODULES = [
    "numpy",
    "onnxruntime",
    "faiss",
    "tokenizers",
    "cryptography",
    "keyring",
    "psutil",
    "PySide6.QtCore",
    "PySide6.QtGui",
    "PySide6.QtWidgets",
]
SCRIPT = """
import cmath, importlib, json, sys, time
import sitecustomize
times = {}
for name in sys.argv[1:]:
    started = time.perf_counter()
    importlib.import_module(name)
    times[name] = round(time.perf_counter() - started, 3)
import ctypes
import numpy as np
crealf = ctypes.CDLL("ucrtbase").crealf
crealf.restype = ctypes.c_float
crealf.argtypes = [ctypes.c_uint64]
packed = int.from_bytes(np.array([2.5, -1.0], dtype=np.float32).tobytes(), "little")
z = np.array([1 + 2j, -0.5 + 0.25j, 3 - 4j])
worst = 0.0
for ours, ref in [(np.exp, cmath.exp), (np.log, cmath.log), (np.sqrt, cmath.sqrt),
                  (np.sin, cmath.sin), (np.arctanh, cmath.atanh)]:
    for got, x in zip(ours(z), z):
        worst = max(worst, abs(complex(got) - ref(complex(x))))
    for got, x in zip(ours(z.astype(np.complex64)), z):
        worst = max(worst, abs(complex(got) - ref(complex(x))) / 1e6)
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("Aurora")
label.show()
app.processEvents()
import keyring, onnxruntime, faiss
index = faiss.IndexFlatL2(4)
index.add(np.eye(4, dtype="float32"))
print(json.dumps({
    "version": sys.version,
    "times": times,
    "patched": sitecustomize.PATCHED,
    "crealf": crealf(packed),
    "complex_error": worst,
    "qt_platform": app.platformName(),
    "keyring": type(keyring.get_keyring()).__name__,
    "providers": onnxruntime.get_available_providers(),
    "faiss_nearest": int(index.search(np.eye(4, dtype="float32")[2:3], 1)[1][0][0]),
}))
"""


@pytest.fixture(scope="module")
def python_dir() -> Path:
    return wine.ensure_python_with_wheels(REQUIREMENTS)


def test_embeddable_python_imports_the_windows_dependencies(
    wine_env: wine.WineEnv, python_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = wine_env.new_prefix(tmp_path / "prefix")
    result = prefix.run(
        [str(python_dir / "python.exe"), "-c", SCRIPT, *MODULES],
        timeout=300,
        env={"QT_QPA_PLATFORM": "offscreen", "PYTHONUTF8": "1"},
        cwd=tmp_path,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["version"].startswith("3.13.2 ")
    assert list(report["times"]) == MODULES
    assert {"crealf", "cimagf", "cexp", "cpow"} <= set(report["patched"])
    assert report["crealf"] == 2.5
    assert report["complex_error"] < 1e-12
    assert report["qt_platform"] == "offscreen"
    assert report["keyring"] == "WinVaultKeyring"
    assert "CPUExecutionProvider" in report["providers"]
    assert report["faiss_nearest"] == 2
    with capsys.disabled():
        imports = ", ".join(f"{name} {sec:.2f} s" for name, sec in report["times"].items())
        boot, run = prefix.boot_seconds, result.seconds
        print(f"\nWine: wineboot {boot:.1f} s, python run {run:.1f} s; imports: {imports}")


def test_a_command_past_its_timeout_is_killed_and_nothing_is_left(
    python_dir: Path, tmp_path: Path
) -> None:
    root = wine.ensure_chroot()
    with wine.WineEnv(root, binds=[tmp_path, python_dir]) as env:
        prefix = env.new_prefix(tmp_path / "prefix")
        with pytest.raises(wine.WineError, match="Timed out after 5 s"):
            prefix.run(
                [str(python_dir / "python.exe"), "-c", "import time; time.sleep(120)"], timeout=5
            )
        assert env.processes() == []
        failed = prefix.run(
            [str(python_dir / "python.exe"), "-c", "raise SystemExit(3)"], timeout=60, check=False
        )
        assert failed.returncode == 3
        namespace_pid = env._holder.pid if env._holder else 0
    assert env.processes() == []
    with open("/proc/self/mountinfo", encoding="utf-8") as mounts:
        assert str(root) not in mounts.read()
    assert not Path(f"/proc/{namespace_pid}").exists()
