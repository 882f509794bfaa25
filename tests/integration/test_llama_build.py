"""The Linux llama.cpp wheel (installer/llama_build.py): every x86-64 level, found beside libggml.

The first run on a machine builds it (about 15 minutes on 2 cores; installer/bootstrap.sh
has usually built it already); later runs find it in .cache/.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.paths import AuroraHome

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "installer" / "llama_build.py"

pytestmark = [pytest.mark.integration, pytest.mark.timeout(3600)]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("llama_build", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["llama_build"] = module
    spec.loader.exec_module(module)
    return module


llama_build = _load_script()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pinned sdist, unpacked and patched."""
    sdist = llama_build.win.fetch_sdist(llama_build.win.pinned_version())
    root = tmp_path_factory.mktemp("sdist")
    with tarfile.open(sdist) as archive:
        archive.extractall(root, filter="data")
    (tree,) = (p for p in root.iterdir() if p.is_dir())
    llama_build.apply_patches(tree)
    return tree


@pytest.fixture(scope="module")
def wheel() -> Path:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "build"], capture_output=True, text=True, timeout=3500
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    path = Path(proc.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.parent.parent == REPO / ".cache"
    return path


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel unpacked: a site-packages holding only llama_cpp."""
    root = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(root)
    for lib in (root / "llama_cpp" / "lib").glob("*.so*"):
        lib.chmod(0o755)
    return root


@pytest.fixture
def model(model_home: AuroraHome) -> Path:
    core = build_core()
    try:
        return Path(core.store.ready_for_load(core.catalog().default_llm).main_path)
    finally:
        core.close()


def test_the_patched_sources_compile(source: Path) -> None:
    ggml = source / "vendor" / "llama.cpp" / "ggml"
    registry = (ggml / "src" / "ggml-backend-reg.cpp").read_text(encoding="utf-8")
    assert "dladdr(" in registry and "search_paths.push_back(get_module_dir());" in registry
    barrier = (ggml / "src" / "ggml-cpu" / "ggml-cpu.c").read_text(encoding="utf-8")
    assert "sched_yield();" in barrier
    includes = ["-I", str(ggml / "include"), "-I", str(ggml / "src")]
    for compiler, std, path in (
        ("g++", "-std=c++17", ggml / "src" / "ggml-backend-reg.cpp"),
        ("gcc", "-std=gnu11", ggml / "src" / "ggml-cpu" / "ggml-cpu.c"),
    ):
        extra = ["-I", str(ggml / "src" / "ggml-cpu")]
        subprocess.run(
            [
                compiler,
                std,
                "-fsyntax-only",
                "-D_GNU_SOURCE",
                "-DGGML_BACKEND_DL",
                *includes,
                *extra,
                str(path),
            ],
            check=True,
            timeout=120,
        )


def test_no_amx_variant_is_built(source: Path) -> None:
    cmake = (source / "vendor/llama.cpp/ggml/src/CMakeLists.txt").read_text(encoding="utf-8")
    built = {
        line.split("(")[1].split()[0].rstrip(")")
        for line in cmake.splitlines()
        if line.strip().startswith("ggml_add_cpu_backend_variant(")
    }
    assert "sapphirerapids" not in built and {"x64", "haswell", "zen4"} <= built


def test_a_moved_anchor_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / llama_build.LINUX_PATCHES[0][0]
    target.parent.mkdir(parents=True)
    target.write_text("// upstream moved the search paths elsewhere\n", encoding="utf-8")
    with pytest.raises(llama_build.BuildError, match="update the patch"):
        llama_build.apply_linux_patches(tmp_path)


def test_the_wheel_holds_every_variant_beside_libggml(wheel: Path) -> None:
    assert llama_build.wheel_problems(wheel) == []
    record = json.loads((wheel.parent / "BUILD.json").read_text(encoding="utf-8"))
    assert "GGML_BACKEND_DL=ON" in record["cmake_flags"] and record["build_seconds"] > 0
    assert wheel.parent.name.endswith(record["key"])


def _python(site: Path, cwd: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


LOAD = """
import json, sys, pathlib, llama_cpp
llm = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=256, verbose=False)
out = llm.create_completion("The sea is", max_tokens=4, temperature=0.0)
maps = pathlib.Path("/proc/self/maps").read_text()
print(json.dumps({
    "module": llama_cpp.__file__,
    "text": out["choices"][0]["text"],
    "cpu": sorted({line.split()[-1] for line in maps.splitlines() if "libggml-cpu" in line}),
}))
"""


def test_llama_loads_from_any_directory_and_ignores_a_planted_backend(
    site: Path, model: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    # Backends in the working directory would be planted libraries; upstream ggml searches
    # there (and finds these, as python's own folder holds none); they must not be loaded.
    lib = site / "llama_cpp" / "lib"
    for variant in lib.glob("libggml-cpu-*.so"):
        shutil.copyfile(variant, elsewhere / variant.name)
    proc = _python(site, elsewhere, LOAD, str(model))
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["module"].startswith(str(site))
    assert report["text"].strip()
    assert len(report["cpu"]) == 1 and Path(report["cpu"][0]).parent == lib


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(site: Path, model: Path, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "256"]
    with (tmp_path / "server.log").open("w") as log:
        proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=log)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_llama_cpp_server_runs_the_build(server: str, tmp_path: Path) -> None:
    body = json.dumps({"prompt": "The sea is", "max_tokens": 4, "temperature": 0.0}).encode()
    reply = None
    for _ in range(120):  # up to a minute for the server to load the model
        try:
            request = urllib.request.Request(
                f"{server}/v1/completions", data=body, headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                reply = json.loads(response.read())
            break
        except OSError:
            time.sleep(0.5)
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert reply is not None, log[-3000:]
    assert reply["choices"][0]["text"].strip()
