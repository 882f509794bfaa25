"""Cross-compiles llama.cpp for 64-bit Windows from the llama-cpp-python sdist with MinGW-w64.

    python installer/windows/llama_win.py build [--jobs N]

The result is a site-packages fragment in .cache/llama-win-<version>-<hash>/: the sdist's
`llama_cpp/` package with its DLLs in `llama_cpp/lib/`, a `.dist-info`, `bin/llama-bench.exe`
(for measuring; it finds its DLLs through PATH, e.g. WINEPATH=...\\llama_cpp\\lib) and
BUILD.json. The hash covers the flags, this script and the toolchain file, so a second run
finds the folder and only prints its path. The version is the one the Windows lock pins
(installer/windows/requirements.txt, sha256-checked), else the one installed in this Python.

Build choices (see BUILD.json for the exact flags):
- One CPU backend per x86-64 level (GGML_BACKEND_DL + GGML_CPU_ALL_VARIANTS), chosen at run
  time by CPUID, so the same files run on an old Celeron and use AVX-512 where there is one.
  Upstream ggml looks for those backends next to the .exe and in the current directory,
  neither of which holds them when python.exe loads llama_cpp/lib/ggml.dll; a small patch
  makes it look in ggml.dll's own folder, and only there (a DLL planted in the working
  directory is never loaded).
- GGML_LLAMAFILE=OFF as on Linux (installer/bootstrap.sh): a reused KV cache gives the same
  greedy answer.
- GGML_OPENMP=OFF, and ggml's barrier patched to yield. MinGW's libgomp waits at every
  barrier on a winpthreads semaphore, a kernel object; under Wine each wait is a wineserver
  round trip, and 2 threads decoded 4x slower than 1 (SmolLM2 tg128, Wine 10: 15.9 against
  69.3 tok/s). ggml's own pool waits by spinning on atomics, so 2 threads beat 1 (104
  against 68), but its barrier never yields: when the two threads share one core (a busy
  machine), the waiter spins away its time slice while the thread it waits for cannot run,
  and 2 threads fell to 0.4 tok/s. The patch spins ~2048 pauses, then yields between polls
  (as ggml-org/llama.cpp PR 29258 proposes upstream).
- MinGW's C++ runtime DLLs are shipped beside the others, stripped; every import of every
  shipped file is checked to be a Windows system DLL or a shipped one.
"""

from __future__ import annotations

import argparse
import base64
import csv
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CACHE = REPO / ".cache"
LOCK = HERE / "requirements.txt"
TOOLCHAIN = HERE / "mingw-w64-x86_64.cmake"
TRIPLET = "x86_64-w64-mingw32"
CC = f"{TRIPLET}-gcc-posix"
OBJDUMP = f"{TRIPLET}-objdump"
STRIP = f"{TRIPLET}-strip"

CMAKE_FLAGS: tuple[str, ...] = (
    "CMAKE_BUILD_TYPE=Release",
    "BUILD_SHARED_LIBS=ON",
    "GGML_NATIVE=OFF",
    "GGML_BACKEND_DL=ON",
    "GGML_CPU_ALL_VARIANTS=ON",
    "GGML_LLAMAFILE=OFF",
    "GGML_OPENMP=OFF",
    "LLAVA_BUILD=OFF",
    "LLAMA_BUILD_TOOLS=ON",
    "LLAMA_BUILD_SERVER=OFF",
    "LLAMA_BUILD_EXAMPLES=OFF",
    "LLAMA_BUILD_TESTS=OFF",
    "LLAMA_OPENSSL=OFF",
    "GGML_CCACHE=OFF",
)
TARGETS = ("llama", "llama-bench")

# One CPU backend per x86-64 level a desktop has; CPUID picks the best at run time. The
# others would add about 100 s of compiling each for server chips (cascadelake, cooperlake),
# chips that barely shipped (cannonlake) or small gains (ivybridge = sandybridge + F16C,
# piledriver = + FMA); those CPUs run the next lower variant. sapphirerapids (AMX) does not
# build with GCC 12: its assembler rejects the tile loads GCC emits.
CPU_VARIANTS = frozenset(
    {"x64", "sse42", "sandybridge", "haswell", "skylakex", "icelake", "alderlake", "zen4"}
)
UPSTREAM_X86_VARIANTS = CPU_VARIANTS | {
    "ivybridge",
    "piledriver",
    "cannonlake",
    "cascadelake",
    "cooperlake",
    "sapphirerapids",
}

# DLLs every Windows has; anything else a shipped file imports must be shipped too.
SYSTEM_DLLS = frozenset(
    {
        "advapi32.dll",
        "bcrypt.dll",
        "dbghelp.dll",
        "gdi32.dll",
        "kernel32.dll",
        "msvcrt.dll",
        "ntdll.dll",
        "ole32.dll",
        "oleaut32.dll",
        "psapi.dll",
        "shell32.dll",
        "shlwapi.dll",
        "user32.dll",
        "version.dll",
        "ws2_32.dll",
    }
)

_BACKEND_REG = "vendor/llama.cpp/ggml/src/ggml-backend-reg.cpp"
_GGML_CPU = "vendor/llama.cpp/ggml/src/ggml-cpu/ggml-cpu.c"

# Source patches: (file, text that must occur exactly once, its replacement, why).
PATCHES: tuple[tuple[str, str, str, str], ...] = (
    (
        _BACKEND_REG,
        "        // default search paths: executable directory, current directory\n",
        """\
#ifdef _WIN32
        // Aurora: only the folder of ggml.dll itself (python.exe lives elsewhere, and a
        // backend DLL planted in the working directory must never be loaded).
        search_paths.push_back(get_module_dir());
#else
        // default search paths: executable directory, current directory
""",
        "CPU backends are loaded from ggml.dll's folder only",
    ),
    (
        _BACKEND_REG,
        "            search_paths.push_back(cwd);\n        }\n",
        "            search_paths.push_back(cwd);\n        }\n#endif\n",
        "(end of the #ifdef above)",
    ),
    (
        _BACKEND_REG,
        "static fs::path backend_filename_prefix() {\n",
        """\
#ifdef _WIN32
// Aurora: the folder of the DLL this code is linked into (ggml.dll).
static fs::path get_module_dir() {
    const DWORD flags = GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                        GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT;
    HMODULE module = nullptr;
    if (!GetModuleHandleExW(flags, reinterpret_cast<LPCWSTR>(&get_module_dir), &module)) {
        return {};
    }
    std::vector<wchar_t> path(32768);
    DWORD len = GetModuleFileNameW(module, path.data(), (DWORD) path.size());
    if (len == 0 || len >= path.size()) {
        return {};
    }
    return fs::path(std::wstring(path.data(), len)).parent_path();
}
#endif

static fs::path backend_filename_prefix() {
""",
        "get_module_dir(): the folder of ggml.dll",
    ),
    (
        _GGML_CPU,
        """\
    // wait for other threads
    while (atomic_load_explicit(&tp->n_barrier_passed, memory_order_relaxed) == n_passed) {
        ggml_thread_cpu_relax();
    }
""",
        """\
    // wait for other threads
    // Aurora: spin briefly (~50-100 us), then yield the core between polls. A pure spin
    // collapses when a waited-for thread has no core of its own (a busy machine): the
    // waiter spins away its time slice while the thread it waits for cannot run.
    int spins = 0;
    while (atomic_load_explicit(&tp->n_barrier_passed, memory_order_relaxed) == n_passed) {
        if (spins < 2048) {
            spins++;
            ggml_thread_cpu_relax();
        } else {
            sched_yield();
        }
    }
""",
        "ggml_barrier yields after a short spin",
    ),
)


class BuildError(Exception):
    """A build step failed; the message is one sentence for the user."""


@dataclass(frozen=True)
class Pin:
    """The llama-cpp-python version to build and the sdist hashes the lock allows."""

    version: str
    hashes: frozenset[str]
    source: str


def log(message: str) -> None:
    print(f"llama_win: {message}", file=sys.stderr, flush=True)


def pinned_version(lock: Path = LOCK) -> Pin:
    """The version (and hashes) pinned by the Windows lock, else the one installed here."""
    if lock.is_file():
        lines = lock.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            match = re.match(r"\s*llama[-_.]cpp[-_.]python\s*==\s*([A-Za-z0-9.+!-]+)", line, re.I)
            if not match:
                continue
            block = [line]
            while block[-1].rstrip().endswith("\\") and index + len(block) < len(lines):
                block.append(lines[index + len(block)])
            hashes = frozenset(re.findall(r"--hash=sha256:([0-9a-f]{64})", " ".join(block)))
            where = lock.relative_to(REPO) if lock.is_relative_to(REPO) else lock
            return Pin(match.group(1), hashes, str(where))
    try:
        return Pin(metadata.version("llama-cpp-python"), frozenset(), sys.executable)
    except metadata.PackageNotFoundError:
        raise BuildError(
            f"llama-cpp-python is neither pinned in {lock} nor installed in {sys.executable}."
        ) from None


def build_key(version: str) -> str:
    """Eight hex digits over the version, the flags, this script and the toolchain file."""
    digest = hashlib.sha256()
    digest.update(version.encode())
    digest.update("\n".join(CMAKE_FLAGS).encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(TOOLCHAIN.read_bytes())
    return digest.hexdigest()[:8]


def output_dir(version: str) -> Path:
    return CACHE / f"llama-win-{version}-{build_key(version)}"


def run(cmd: list[str], *, cwd: Path | None = None) -> None:
    """Runs a build command with its output on stderr; a failure is a BuildError."""
    log("$ " + " ".join(cmd))
    result = subprocess.run(cmd, cwd=cwd, stdout=sys.stderr, stderr=sys.stderr, check=False)
    if result.returncode != 0:
        raise BuildError(f"{Path(cmd[0]).name} failed with exit code {result.returncode}.")


def capture(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        raise BuildError(
            f"{cmd[0]} is not installed (apt-get install mingw-w64 cmake ninja-build)."
        ) from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_sdist(pin: Pin) -> Path:
    """The llama-cpp-python sdist, downloaded once into .cache/ and checked against the lock."""
    folder = CACHE / "llama-win-sdist"
    name = f"llama_cpp_python-{pin.version}.tar.gz"
    sdist = folder / name
    if not sdist.is_file():
        log(f"downloading the llama-cpp-python {pin.version} sdist")
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            run(
                [
                    *(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"),
                    *("--no-binary", ":all:", f"llama-cpp-python=={pin.version}", "-d", tmp),
                ]
            )
            found = list(Path(tmp).glob("llama_cpp_python-*.tar.gz"))
            if len(found) != 1:
                raise BuildError(f"pip did not download the sdist {name}.")
            folder.mkdir(parents=True, exist_ok=True)
            shutil.move(found[0], sdist)
    if pin.hashes and sha256_of(sdist) not in pin.hashes:
        raise BuildError(f"{sdist} does not match any sha256 that {pin.source} allows for it.")
    return sdist


def apply_patches(source: Path) -> None:
    """Applies PATCHES to the unpacked sdist; a moved anchor is an error, never a silent skip."""
    for relative, old, new, why in PATCHES:
        path = source / relative
        text = path.read_text(encoding="utf-8")
        if text.count(old) != 1:
            raise BuildError(f"{path.name} changed upstream; update the patch '{why}'.")
        path.write_text(text.replace(old, new), encoding="utf-8")


def patch_cpu_variants(source: Path) -> None:
    """Keeps only CPU_VARIANTS of ggml's x86 CPU backends (see the comment there)."""
    path = source / "vendor/llama.cpp/ggml/src/CMakeLists.txt"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(
        (i for i, line in enumerate(lines) if "ggml_add_cpu_backend_variant(x64)" in line), None
    )
    found: set[str] = set()
    for index in range(start if start is not None else len(lines), len(lines)):
        match = re.match(r"(\s*)ggml_add_cpu_backend_variant\((\w+)", lines[index])
        if "elseif" in lines[index]:
            break
        if match:
            found.add(match.group(2))
            if match.group(2) not in CPU_VARIANTS:
                lines[index] = f"{match.group(1)}# Aurora: not built. {lines[index].lstrip()}"
    if found != UPSTREAM_X86_VARIANTS:
        raise BuildError(f"{path.name} lists other x86 CPU variants now; update CPU_VARIANTS.")
    path.write_text("".join(lines), encoding="utf-8")


def dll_imports(path: Path) -> list[str]:
    """The DLL names a PE file imports, as objdump reports them."""
    text = capture([OBJDUMP, "-p", str(path)])
    return re.findall(r"^\s*DLL Name:\s*(\S+)\s*$", text, re.M)


def missing_imports(files: list[Path]) -> dict[str, list[str]]:
    """For each file, the imports that are neither Windows system DLLs nor among the files."""
    shipped = {file.name.lower() for file in files}
    problems: dict[str, list[str]] = {}
    for file in files:
        bad = [
            name
            for name in dll_imports(file)
            if name.lower() not in SYSTEM_DLLS
            and not name.lower().startswith("api-ms-win-")
            and name.lower() not in shipped
        ]
        if bad:
            problems[file.name] = bad
    return problems


def add_runtime_dlls(lib: Path, extra: list[Path]) -> list[str]:
    """Copies the MinGW runtime DLLs the built files need into lib/ (stripped); returns names."""
    added: list[str] = []
    while True:
        files = sorted(lib.glob("*.dll")) + extra
        problems = missing_imports(files)
        wanted = sorted({name for names in problems.values() for name in names})
        if not wanted:
            return added
        for name in wanted:
            found = Path(capture([CC, f"-print-file-name={name}"]).strip())
            if not found.is_absolute() or not found.is_file():
                users = ", ".join(sorted(f for f, names in problems.items() if name in names))
                raise BuildError(
                    f"{users} need {name}, which is neither a system nor a MinGW runtime DLL."
                )
            shutil.copyfile(found.resolve(), lib / name)
            run([STRIP, "--strip-unneeded", str(lib / name)])
            added.append(name)


def toolchain_versions() -> dict[str, str]:
    def first_line(cmd: list[str]) -> str:
        return capture(cmd).splitlines()[0].strip()

    return {
        "cc": first_line([CC, "--version"]),
        "cxx": first_line([f"{TRIPLET}-g++-posix", "--version"]),
        "binutils": first_line([OBJDUMP, "--version"]),
        "cmake": first_line(["cmake", "--version"]),
        "ninja": first_line(["ninja", "--version"]),
    }


def write_dist_info(out: Path, sdist_root: Path, version: str) -> None:
    """A .dist-info beside llama_cpp/, so the folder installs like the wheel it stands for."""
    info = out / f"llama_cpp_python-{version}.dist-info"
    info.mkdir()
    shutil.copyfile(sdist_root / "PKG-INFO", info / "METADATA")
    (info / "INSTALLER").write_text("aurora-llama-win\n", encoding="utf-8")
    (info / "WHEEL").write_text(
        "Wheel-Version: 1.0\nGenerator: aurora installer/windows/llama_win.py\n"
        "Root-Is-Purelib: false\nTag: py3-none-win_amd64\n",
        encoding="utf-8",
    )
    rows: list[list[str]] = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        if not rel.startswith(("llama_cpp/", info.name + "/")):
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(path.read_bytes()).digest()).rstrip(b"=")
        rows.append([rel, f"sha256={digest.decode()}", str(path.stat().st_size)])
    rows.append([f"{info.name}/RECORD", "", ""])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (info / "RECORD").write_text(buffer.getvalue(), encoding="utf-8")


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build per output folder at a time; a second caller waits and then reuses it."""
    with (out.parent / f"{out.name}.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"another run is building {out.name}; waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def build(jobs: int) -> Path:
    """Builds (or finds) the Windows llama.cpp folder and returns its path."""
    pin = pinned_version()
    out = output_dir(pin.version)
    if (out / "BUILD.json").is_file():
        return out
    for tool in (CC, "cmake", "ninja"):
        if shutil.which(tool) is None:
            raise BuildError(
                f"{tool} is not installed (apt-get install mingw-w64 cmake ninja-build)."
            )
    CACHE.mkdir(parents=True, exist_ok=True)
    with build_lock(out):
        if (out / "BUILD.json").is_file():
            return out
        for stale in CACHE.glob(f"{out.name}.work-*"):  # left by a run that was killed
            shutil.rmtree(stale, ignore_errors=True)
        sdist = fetch_sdist(pin)
        return compile_into(out, pin, sdist, jobs)


def compile_into(out: Path, pin: Pin, sdist: Path, jobs: int) -> Path:
    """Unpacks, patches and cross-compiles the sdist, then moves the result to out."""
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(dir=CACHE, prefix=f"{out.name}.work-"))
    try:
        with tarfile.open(sdist) as archive:
            archive.extractall(work / "src", filter="data")
        roots = [p for p in (work / "src").iterdir() if p.is_dir()]
        if len(roots) != 1 or not (roots[0] / "llama_cpp").is_dir():
            raise BuildError(f"{sdist.name} does not hold one llama-cpp-python source tree.")
        source = roots[0]
        apply_patches(source)
        patch_cpu_variants(source)
        build_dir = work / "build"
        run(
            ["cmake", "-S", str(source), "-B", str(build_dir), "-G", "Ninja", "-Wno-dev"]
            + [f"-DCMAKE_TOOLCHAIN_FILE={TOOLCHAIN}", f"-DSKBUILD_PLATLIB_DIR={work / 'unused'}"]
            + [f"-D{flag}" for flag in CMAKE_FLAGS]
        )
        run(["cmake", "--build", str(build_dir), "--parallel", str(jobs), "--target", *TARGETS])

        stage = work / "out"
        package = stage / "llama_cpp"
        shutil.copytree(
            source / "llama_cpp",
            package,
            ignore=shutil.ignore_patterns("__pycache__", "*.so", "lib"),
        )
        lib = package / "lib"
        lib.mkdir()
        (stage / "bin").mkdir()
        built = build_dir / "bin"
        for file in [*sorted(built.glob("*.dll")), built / "llama-bench.exe"]:
            # llama_cpp loads libllama.dll and ggml*.dll; llama-bench's own DLLs go to bin/.
            python_side = file.name == "libllama.dll" or file.name.startswith("ggml")
            target = (lib if python_side else stage / "bin") / file.name
            shutil.copyfile(file, target)
            run([STRIP, "--strip-unneeded", str(target)])
        bench_files = sorted((stage / "bin").iterdir())
        runtime = add_runtime_dlls(lib, bench_files)
        licenses = lib / "licenses"
        licenses.mkdir()
        shutil.copyfile(source / "vendor/llama.cpp/LICENSE", licenses / "llama.cpp.txt")
        shutil.copyfile(source / "LICENSE.md", licenses / "llama-cpp-python.md")
        for package_name, name in (
            ("gcc-mingw-w64-x86-64-posix-runtime", "gcc-runtime.txt"),
            ("mingw-w64-x86-64-dev", "mingw-w64-winpthreads.txt"),
        ):
            copyright_file = Path("/usr/share/doc") / package_name / "copyright"
            if copyright_file.is_file():
                shutil.copyfile(copyright_file, licenses / name)
        write_dist_info(stage, source, pin.version)

        seconds = round(time.monotonic() - started, 1)
        dlls = sorted(p.name for p in lib.glob("*.dll"))
        record = {
            "llama_cpp_python": pin.version,
            "sdist_sha256": sha256_of(sdist),
            "pinned_by": pin.source,
            "key": build_key(pin.version),
            "cmake_flags": list(CMAKE_FLAGS),
            "toolchain_file": TOOLCHAIN.relative_to(REPO).as_posix(),
            "toolchain": toolchain_versions(),
            "patches": [
                f"{Path(rel).name}: {why}" for rel, _old, _new, why in PATCHES if why[0] != "("
            ]
            + ["CMakeLists.txt: x86 CPU variants " + ", ".join(sorted(CPU_VARIANTS))],
            "mingw_runtime_dlls": runtime,
            "dlls": dlls,
            "jobs": jobs,
            "build_seconds": seconds,
        }
        (stage / "BUILD.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        if out.exists():  # only a folder without BUILD.json, under the lock: incomplete
            shutil.rmtree(out)
        stage.rename(out)
        log(f"built in {seconds} s: {len(dlls)} DLLs")
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser(
        "build", help="build llama.cpp for Windows, or find the cached build"
    )
    build_cmd.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="parallel compile jobs"
    )
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more.")
    try:
        out = build(args.jobs)
    except BuildError as error:
        print(f"llama_win: {error}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
