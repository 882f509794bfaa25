"""Builds the Linux llama-cpp-python wheel from the pinned sdist, one CPU backend per x86-64 level.

    python installer/llama_build.py build [--llamafile on|off] [--openmp on|off] [--jobs N]
    python installer/llama_build.py key   [--llamafile on|off] [--openmp on|off]

`build` prints the path of the wheel in .cache/llama-linux-<version>-<key>/ (with BUILD.json
beside it); a second run finds it there. `key` prints the eight hex digits that name the
build (installer/bootstrap.sh stamps the venv with them). The defaults are the build
bootstrap.sh installs; README.md ("Speed") says why.

The sdist, its sha256 check against the Windows lock, the backend-search and barrier patches
and the list of CPU variants are the Windows build's (installer/windows/llama_win.py); on
top of them:
- one CPU backend per x86-64 level (GGML_BACKEND_DL + GGML_CPU_ALL_VARIANTS) installed into
  llama_cpp/lib/ (upstream installs them into site-packages/bin/);
- the backends are searched in the folder of libggml itself (dladdr), and only there, so
  `Llama()` works in any process and any working directory without a Python-side call;
- no AMX (sapphirerapids) variant: ggml picks a variant by CPUID alone, and a virtual
  machine that advertises AMX it cannot use would crash in it.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _load_llama_win() -> ModuleType:
    name = "aurora_llama_win"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / "windows" / "llama_win.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


win = _load_llama_win()
CACHE: Path = win.CACHE
BuildError = win.BuildError

# Applied after the Windows patches (win.PATCHES), which leave the Linux paths upstream's.
_BACKEND_REG = "vendor/llama.cpp/ggml/src/ggml-backend-reg.cpp"
LINUX_PATCHES: tuple[tuple[str, str, str, str], ...] = (
    (
        _BACKEND_REG,
        "#ifdef _WIN32\n        // Aurora: only the folder of ggml.dll itself",
        "#if defined(_WIN32) || defined(__linux__)\n"
        "        // Aurora: only the folder of ggml.dll / libggml.so itself",
        "CPU backends are loaded from libggml's folder only",
    ),
    (
        _BACKEND_REG,
        "    return fs::path(std::wstring(path.data(), len)).parent_path();\n}\n#endif\n",
        "    return fs::path(std::wstring(path.data(), len)).parent_path();\n}\n"
        "#elif defined(__linux__)\n"
        "// Aurora: the folder of the shared library this code is linked into (libggml.so).\n"
        "static fs::path get_module_dir() {\n"
        "    Dl_info info;\n"
        "    if (dladdr(reinterpret_cast<void *>(&get_module_dir), &info) == 0"
        " || info.dli_fname == nullptr) {\n"
        "        return {};\n"
        "    }\n"
        "    return fs::path(info.dli_fname).parent_path();\n"
        "}\n"
        "#endif\n",
        "get_module_dir(): the folder of libggml.so (dladdr)",
    ),
)

BASE_FLAGS: tuple[str, ...] = (
    "GGML_NATIVE=OFF",
    "GGML_BACKEND_DL=ON",
    "GGML_CPU_ALL_VARIANTS=ON",
    # ggml installs the backend modules into the bin dir; put them beside libggml.so.
    "CMAKE_INSTALL_BINDIR=llama_cpp/lib",
)


def log(message: str) -> None:
    print(f"llama_build: {message}", file=sys.stderr, flush=True)


def cmake_flags(llamafile: bool, openmp: bool) -> tuple[str, ...]:
    return (
        *BASE_FLAGS,
        f"GGML_LLAMAFILE={'ON' if llamafile else 'OFF'}",
        f"GGML_OPENMP={'ON' if openmp else 'OFF'}",
    )


def build_key(version: str, flags: tuple[str, ...]) -> str:
    """Eight hex digits over the version, the flags, the patches and the CPU variants."""
    digest = hashlib.sha256()
    digest.update(version.encode())
    digest.update("\n".join(flags).encode())
    for patch in (*win.PATCHES, *LINUX_PATCHES):
        digest.update("\0".join(patch).encode())
    digest.update(",".join(sorted(win.CPU_VARIANTS)).encode())
    return digest.hexdigest()[:8]


def output_dir(version: str, flags: tuple[str, ...]) -> Path:
    return CACHE / f"llama-linux-{version}-{build_key(version, flags)}"


def apply_patches(source: Path) -> None:
    """The Windows patches, then the Linux ones, then the CPU variant list."""
    win.apply_patches(source)
    apply_linux_patches(source)
    win.patch_cpu_variants(source)


def apply_linux_patches(source: Path) -> None:
    """LINUX_PATCHES; a moved anchor is an error, never a silent skip."""
    for relative, old, new, why in LINUX_PATCHES:
        path = source / relative
        text = path.read_text(encoding="utf-8")
        if text.count(old) != 1:
            raise BuildError(f"{path.name} changed; update the patch '{why}'.")
        path.write_text(text.replace(old, new), encoding="utf-8")


def wheel_problems(wheel: Path) -> list[str]:
    """What is wrong with a built wheel: missing or extra CPU variants, files outside llama_cpp."""
    names = zipfile.ZipFile(wheel).namelist()
    variants = {
        name.removeprefix("llama_cpp/lib/libggml-cpu-").removesuffix(".so")
        for name in names
        if name.startswith("llama_cpp/lib/libggml-cpu-") and name.endswith(".so")
    }
    problems = []
    if variants != set(win.CPU_VARIANTS):
        problems.append(f"CPU variants {sorted(variants)}, expected {sorted(win.CPU_VARIANTS)}")
    if any(name.startswith("bin/") for name in names):
        problems.append("files in bin/ (the backends must sit beside libggml.so)")
    if "llama_cpp/lib/libllama.so.0" not in names:
        problems.append("no llama_cpp/lib/libllama.so.0")
    return problems


def build(llamafile: bool, openmp: bool, jobs: int) -> Path:
    """Builds (or finds) the wheel and returns its path."""
    pin = win.pinned_version()
    flags = cmake_flags(llamafile, openmp)
    out = output_dir(pin.version, flags)
    found = sorted(out.glob("llama_cpp_python-*.whl"))
    if found and (out / "BUILD.json").is_file():
        return found[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    with win.build_lock(out):
        found = sorted(out.glob("llama_cpp_python-*.whl"))
        if found and (out / "BUILD.json").is_file():
            return found[0]
        sdist = win.fetch_sdist(pin)
        return _compile(out, pin.version, sdist, flags, jobs)


def _compile(out: Path, version: str, sdist: Path, flags: tuple[str, ...], jobs: int) -> Path:
    started = time.monotonic()
    for stale in CACHE.glob(f"{out.name}.work-*"):
        subprocess.run(["rm", "-rf", str(stale)], check=False)
    with tempfile.TemporaryDirectory(dir=CACHE, prefix=f"{out.name}.work-") as tmp:
        work = Path(tmp)
        with tarfile.open(sdist) as archive:
            archive.extractall(work / "src", filter="data")
        roots = [p for p in (work / "src").iterdir() if p.is_dir()]
        if len(roots) != 1 or not (roots[0] / "llama_cpp").is_dir():
            raise BuildError(f"{sdist.name} does not hold one llama-cpp-python source tree.")
        apply_patches(roots[0])
        env = {
            **os.environ,
            "CMAKE_ARGS": " ".join(f"-D{flag}" for flag in flags),
            "CMAKE_BUILD_PARALLEL_LEVEL": str(jobs),
        }
        log(f"building llama-cpp-python {version} with {env['CMAKE_ARGS']}")
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-cache-dir"]
        command += ["--config-settings", f"build-dir={work / 'build'}"]
        command += ["-w", str(work / "wheel"), str(roots[0])]
        if subprocess.run(command, env=env, stdout=sys.stderr, check=False).returncode != 0:
            raise BuildError("pip could not build the llama-cpp-python wheel (see above).")
        wheels = sorted((work / "wheel").glob("llama_cpp_python-*.whl"))
        if len(wheels) != 1:
            raise BuildError("pip did not leave exactly one llama-cpp-python wheel.")
        problems = wheel_problems(wheels[0])
        if problems:
            raise BuildError("The built wheel is not as expected: " + "; ".join(problems) + ".")
        seconds = round(time.monotonic() - started, 1)
        stage = work / "out"
        stage.mkdir()
        wheels[0].rename(stage / wheels[0].name)
        record = {
            "llama_cpp_python": version,
            "sdist_sha256": win.sha256_of(sdist),
            "key": out.name.rsplit("-", 1)[1],
            "cmake_flags": list(flags),
            "patches": [why for _f, _o, _n, why in (*win.PATCHES, *LINUX_PATCHES) if why[0] != "("]
            + ["x86 CPU variants " + ", ".join(sorted(win.CPU_VARIANTS))],
            "jobs": jobs,
            "cpus": os.cpu_count(),
            "build_seconds": seconds,
        }
        (stage / "BUILD.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        if out.exists():
            subprocess.run(["rm", "-rf", str(out)], check=True)
        stage.rename(out)
        log(f"built in {seconds} s: {out}")
    return out / wheels[0].name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("build", "key"))
    parser.add_argument("--llamafile", choices=("on", "off"), default="off")
    parser.add_argument("--openmp", choices=("on", "off"), default="off")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more.")
    llamafile, openmp = args.llamafile == "on", args.openmp == "on"
    try:
        if args.command == "key":
            print(build_key(win.pinned_version().version, cmake_flags(llamafile, openmp)))
        else:
            print(build(llamafile, openmp, args.jobs))
    except BuildError as error:
        print(f"llama_build: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
