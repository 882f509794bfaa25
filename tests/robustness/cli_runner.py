"""A fork server that runs `aurora` commands in-process, each in its own sandbox, fast.

`python -m aurora_desktop` spends about a second importing before it does anything; the
robustness tests run hundreds of commands. The server (`python -m tests.robustness.cli_runner`)
imports `aurora_desktop.cli.main` and the modules behind it once, then for every case forks a
child that behaves like a fresh `aurora` process: its own session and process group,
environment, working folder and standard streams (files, or a pipe nobody reads); no power to
ignore file modes when the tests run as root (so mode 000 means something); no network but
127.0.0.1; memory and file-size limits; and `main(argv)` run the way the interpreter would run
it (an uncaught exception prints its traceback, non-daemon threads are joined, atexit handlers
run, a failed flush of stdout exits 120). The server kills a child's whole process group when
it runs past its time limit.

The client side (`ForkServer`, `Sandbox`, `judge`) starts the server, builds the sandbox the
cases run in, snapshots what lies outside the data folder, and turns a finished case into a
list of problems.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
OFFLINE_PIP = Path(__file__).resolve().parent / "offline_pip"  # `python -m pip` finds no package
# Children of a root server give up the two capabilities that let root ignore file modes, so a
# mode 000 file is as unreadable as it is for a user. (Dropping to uid 65534 instead would
# also lock the child out of an interpreter installed under /root, e.g. by pyenv.)
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2
PR_CAPBSET_DROP = 24
LINUX_CAPABILITY_VERSION_3 = 0x20080522
MEMORY_LIMIT = 3 << 30  # RLIMIT_DATA per child: an unbounded read ends in MemoryError, not OOM
FILE_SIZE_LIMIT = 512 << 20  # RLIMIT_FSIZE per child: a runaway write dies of SIGXFSZ
LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}
NO_NETWORK = "no network in the robustness sandbox"
OUTPUT_KEEP = 64 * 1024  # bytes of a child's stdout/stderr kept in a result

# -- the server (runs in its own process; fork is safe there: one thread, nothing else) -------


def serve() -> None:
    """Read one JSON request per line on fd 0, answer one JSON line per request on fd 1."""
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # stray prints of the server go nowhere, never into the protocol
    os.close(null)
    sys.path.insert(0, str(REPO))
    # the heavy part, imported once: numpy, faiss, the whole core behind the CLI
    import aurora_desktop.app.wiring
    import aurora_desktop.cli.main

    aurora_desktop.cli.main.build_parser()  # imports every command's module (lazy in main)

    streams = {
        "stdin": (sys.stdin.encoding, sys.stdin.errors),
        "stdout": (sys.stdout.encoding, sys.stdout.errors),
    }
    protocol_fds = (requests.fileno(), replies.fileno())
    replies.write(b'{"ready": true}\n')
    replies.flush()
    for line in requests:
        request = json.loads(line)
        results = _run_batch(
            request["cases"], int(request.get("parallel", 1)), protocol_fds, streams
        )
        replies.write(json.dumps({"results": results}).encode() + b"\n")
        replies.flush()


def _run_batch(
    cases: list[dict[str, Any]],
    parallel: int,
    protocol_fds: tuple[int, int],
    streams: dict[str, tuple[str, str]],
) -> list[dict[str, Any]]:
    results: list[dict[str, Any] | None] = [None] * len(cases)
    pending = list(enumerate(cases))
    running: dict[int, tuple[int, float, float]] = {}  # pid -> (index, started, deadline)
    while pending or running:
        while pending and len(running) < max(1, parallel):
            index, case = pending.pop(0)
            pid = os.fork()
            if pid == 0:  # the child never returns from here
                _child(case, protocol_fds, streams)
            started = time.monotonic()
            running[pid] = (index, started, started + float(case["timeout_s"]))
        pid, status = os.waitpid(-1, os.WNOHANG)
        now = time.monotonic()
        if pid == 0:
            for child, (index, started, deadline) in list(running.items()):
                if now > deadline:
                    _kill_group(child)
                    os.waitpid(child, 0)
                    del running[child]
                    results[index] = {"timed_out": True, "seconds": now - started}
            time.sleep(0.005)
            continue
        if pid not in running:
            continue
        index, started, _ = running.pop(pid)
        _kill_group(pid)  # anything the command started and left behind
        results[index] = {
            "timed_out": False,
            "seconds": now - started,
            "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        }
    return [r if r is not None else {"timed_out": True, "seconds": 0.0} for r in results]


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _child(
    case: dict[str, Any], protocol_fds: tuple[int, int], streams: dict[str, tuple[str, str]]
) -> None:
    code = 70
    try:
        os.setsid()  # its own process group, and no terminal to stop on (getpass, SIGTTIN)
        for fd in protocol_fds:
            os.close(fd)
        signal.alarm(int(case["timeout_s"]) + 10)  # a backstop if the server itself is gone
        _limits()
        _standard_fds(case)
        if os.geteuid() == 0:
            _drop_file_capabilities()
        os.chdir(case["cwd"])
        os.environ.clear()
        os.environ.update(case["env"])
        os.umask(0o022)
        sys.dont_write_bytecode = True
        _python_streams(streams)
        _no_network()
        opened = _record_opens() if case.get("record_opens") else None
        code = _run_main(case["argv"])
        code = _shutdown(code)
        if opened is not None:
            with open(case["record_opens"], "w", encoding="utf-8", errors="surrogateescape") as f:
                json.dump(sorted(opened), f)
    except BaseException:  # the harness itself failed: say so where the test will look
        with contextlib.suppress(BaseException):
            os.write(2, b"robustness harness: the child failed before or after main()\n")
            import traceback

            os.write(2, traceback.format_exc().encode("utf-8", "replace"))
    finally:
        os._exit(code)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def _drop_file_capabilities() -> None:
    """Drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (also for programs the child runs)."""
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [(n, ctypes.c_uint32) for n in ("effective", "permitted", "inheritable")]

    libc = ctypes.CDLL(None, use_errno=True)
    caps = (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)
    for cap in caps:
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")
    header, data = Header(LINUX_CAPABILITY_VERSION_3, 0), (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget failed")
    mask = ~sum(1 << cap for cap in caps)
    for half in data:
        half.effective &= mask
        half.permitted &= mask
        half.inheritable &= mask
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def _standard_fds(case: dict[str, Any]) -> None:
    stdin = os.open(case.get("stdin") or os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    os.close(stdin)
    if case.get("stdout_mode") == "broken-pipe":  # `aurora … | head -0`: the reader is gone
        read_end, write_end = os.pipe()
        os.close(read_end)
        os.dup2(write_end, 1)
        os.close(write_end)
    else:
        out = os.open(case["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.close(out)
    err = os.open(case["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(err, 2)
    os.close(err)


def _python_streams(streams: dict[str, tuple[str, str]]) -> None:
    """New sys.std* on fds 0-2, set up the way the interpreter sets them up at start."""
    in_enc, in_err = streams["stdin"]
    out_enc, out_err = streams["stdout"]
    sys.stdin = io.TextIOWrapper(
        io.BufferedReader(io.FileIO(0, "rb", closefd=False)), encoding=in_enc, errors=in_err
    )
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "wb", closefd=False)), encoding=out_enc, errors=out_err
    )
    sys.stderr = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "wb", closefd=False)),
        encoding=out_enc,
        errors="backslashreplace",
        line_buffering=True,
    )
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr


def _loopback(host: object) -> bool:
    if host is None or host == "":
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _no_network() -> None:
    """Only 127.0.0.1 (and Unix sockets): any other connect or name lookup fails as offline."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _loopback(host):
            raise socket.gaierror(socket.EAI_NONAME, f"Name or service not known ({NO_NETWORK})")
        return real_getaddrinfo(host, *args, **kwargs)

    def allowed(sock: socket.socket, address: Any) -> bool:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return True
        return isinstance(address, tuple) and _loopback(address[0])

    def connect(sock: socket.socket, address: Any) -> None:
        if not allowed(sock, address):
            raise OSError(101, f"Network is unreachable ({NO_NETWORK})")
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        if not allowed(sock, address):
            return 101
        return real_connect_ex(sock, address)

    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]


def _record_opens() -> set[str]:
    """Every path the command opens (files and SQLite databases), from the audit hooks."""
    opened: set[str] = set()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if (
            event in ("open", "sqlite3.connect")
            and args
            and isinstance(args[0], str | bytes | os.PathLike)
        ):
            opened.add(os.path.abspath(os.fsdecode(args[0])))

    sys.addaudithook(hook)
    return opened


def _run_main(argv: list[str]) -> int:
    sys.argv = ["aurora", *argv]
    try:
        from aurora_desktop.cli.main import main

        return _exit_code(main(argv))
    except SystemExit as exc:
        return _exit_code(exc.code)
    except BaseException:  # what the interpreter does with an uncaught exception
        import traceback

        traceback.print_exc()
        return 1


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int) and not isinstance(code, bool):
        return code & 0xFF
    with contextlib.suppress(Exception):
        sys.stderr.write(f"{code}\n")
    return 1


def _shutdown(code: int) -> int:
    """The interpreter's exit: join non-daemon threads, run atexit, flush (120 if that fails)."""
    import atexit
    import threading

    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            stream.flush()
        except Exception as exc:
            import traceback

            message = f"Exception ignored while flushing sys.{name}:\n" + "".join(
                traceback.format_exception_only(exc)
            )
            with contextlib.suppress(OSError):
                os.write(2, message.encode("utf-8", "replace"))
            code = code or 120
    return code


# -- the client side --------------------------------------------------------------------------


class ForkServer:
    """The server process, started once per test session; `run` executes a batch of cases."""

    def __init__(self, log: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AURORA_", "PIP_"))}
        env.update(
            {
                "PYTHONPATH": str(REPO),
                "OPENBLAS_NUM_THREADS": "1",
                "OMP_NUM_THREADS": "1",
                "MKL_NUM_THREADS": "1",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        self._log = log.open("ab")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "tests.robustness.cli_runner"],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        ready = self._proc.stdout.readline() if self._proc.stdout else b""
        if not ready.startswith(b'{"ready"'):
            self.close()
            raise RuntimeError(f"the fork server did not start; see {log}")

    def run(self, cases: Sequence[dict[str, Any]], parallel: int = 1) -> list[dict[str, Any]]:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        request = json.dumps({"cases": list(cases), "parallel": parallel})
        self._proc.stdin.write(request.encode() + b"\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the fork server died")
        results: list[dict[str, Any]] = json.loads(line)["results"]
        return results

    def close(self) -> None:
        if self._proc.stdin:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()
        self._log.close()


# -- the sandbox ------------------------------------------------------------------------------


@dataclass
class Sandbox:
    """A folder in the system temp dir that every case runs in.

    root/outside is everything that is not Aurora's: the decoy files, the hostile inputs the
    fuzzer points at, and the working folder (outside/cwd/x/y, so `../../etc/passwd` lands on
    the decoy outside/cwd/etc/passwd). Nothing under it may change while a case runs.
    """

    root: Path
    counter: int = 0
    keyring_template: bytes = b"{}"
    notes: list[str] = field(default_factory=list)

    @classmethod
    def create(cls) -> Sandbox:
        root = Path(tempfile.mkdtemp(prefix="aurora-robust-"))
        root.chmod(0o755)
        box = cls(root=root)
        for sub in ("cache", "pip-links", "userhome", "runtime", "homes", "io", "keyrings"):
            (root / sub).mkdir()
        (root / "runtime").chmod(0o700)
        (box.outside / "cwd" / "x" / "y").mkdir(parents=True)
        (box.outside / "cwd" / "etc").mkdir()
        (box.outside / "cwd" / "etc" / "passwd").write_text("root:x:0:0:decoy:/root:/bin/sh\n")
        (box.outside / "decoy").mkdir()
        (box.outside / "decoy" / "secret.txt").write_text("a file that is not Aurora's\n")
        (box.outside / "decoy" / "secret.json").write_text('{"not": "aurora\'s"}\n')
        box.template.mkdir()
        return box

    @property
    def outside(self) -> Path:
        return self.root / "outside"

    @property
    def template(self) -> Path:
        return self.root / "template-home"

    @property
    def cwd(self) -> Path:
        return self.outside / "cwd" / "x" / "y"

    def new_case(
        self,
        argv: Sequence[str],
        *,
        stdin: Path | None = None,
        stdout_mode: str = "file",
        timeout_s: float = 20.0,
        home: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A case with a fresh copy of the template data folder (or `home`) and keyring."""
        self.counter += 1
        n = self.counter
        if home is None:
            home = self.root / "homes" / str(n)
            shutil.copytree(self.template, home, symlinks=True)
        keyring_file = self.root / "keyrings" / f"{n}.json"
        keyring_file.write_bytes(self.keyring_template)
        io_dir = self.root / "io"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "HOME": str(self.root / "userhome"),
            "USER": "aurora-fuzz",
            "XDG_RUNTIME_DIR": str(self.root / "runtime"),
            "XDG_CONFIG_HOME": str(self.root / "userhome" / ".config"),
            "XDG_CACHE_HOME": str(self.root / "userhome" / ".cache"),
            "XDG_DATA_HOME": str(self.root / "userhome" / ".local" / "share"),
            "TMPDIR": str(self.root / "userhome"),
            "AURORA_HOME": str(home),
            "AURORA_CACHE": str(self.root / "cache"),
            # fetches stay local: pip sees no index and no config, proxies point nowhere
            "PIP_NO_INDEX": "1",
            "PIP_CONFIG_FILE": os.devnull,
            "PIP_FIND_LINKS": str(self.root / "pip-links"),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PIP_NO_INPUT": "1",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "NO_PROXY": "127.0.0.1,localhost",
            "PYTHONPATH": f"{OFFLINE_PIP}{os.pathsep}{REPO}",
            "PYTHON_KEYRING_BACKEND": "tests.support.keyring_backend.JsonFileKeyring",
            "AURORA_TEST_KEYRING_FILE": str(keyring_file),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
        }
        if "LC_ALL" in os.environ:
            env["LC_ALL"] = os.environ["LC_ALL"]
        env.update(extra_env or {})
        return {
            "argv": list(argv),
            "env": env,
            "cwd": str(self.cwd),
            "stdin": str(stdin) if stdin else None,
            "stdout": str(io_dir / f"{n}.out"),
            "stdout_mode": stdout_mode,
            "stderr": str(io_dir / f"{n}.err"),
            "timeout_s": timeout_s,
            "home": str(home),
        }

    def remove(self) -> None:
        for folder, dirs, _files in os.walk(self.root):
            for name in dirs:  # mode 000 folders would stop rmtree
                with contextlib.suppress(OSError):
                    os.chmod(os.path.join(folder, name), 0o700, follow_symlinks=False)
        shutil.rmtree(self.root, ignore_errors=True)


# -- what lies outside the data folder --------------------------------------------------------

Snapshot = dict[str, tuple[Any, ...]]


def snapshot(*tops: Path) -> Snapshot:
    """Type, mode, owner, size, mtime and ctime of everything under `tops` (links not followed).

    ctime changes on any write or metadata change and cannot be set back, so comparing two
    snapshots catches a write even if the writer restored the mtime.
    """
    seen: Snapshot = {}
    for top in tops:
        for path in _walk(top):
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                continue
            link = os.readlink(path) if stat.S_ISLNK(st.st_mode) else None
            seen[str(path)] = (
                st.st_mode,
                st.st_uid,
                st.st_size,
                st.st_mtime_ns,
                st.st_ctime_ns,
                link,
            )
    return seen


def _walk(top: Path) -> Iterable[Path]:
    yield top
    if top.is_symlink() or not top.is_dir():
        return
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            yield Path(folder) / name


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    out = []
    for path in sorted(set(before) | set(after)):
        if path not in after:
            out.append(f"removed {path}")
        elif path not in before:
            out.append(f"created {path}")
        elif before[path] != after[path]:
            out.append(f"changed {path}")
    return out


# -- judging a finished case ------------------------------------------------------------------

EXIT_SIGPIPE = 128 + signal.SIGPIPE
PYTHON_ERROR = re.compile(r"^\s*(\w+\.)*\w*(Error|Exception|Interrupt|Exit): ")
PYTHON_WARNING = re.compile(r"\.py:\d+: \w*Warning: ")


@dataclass
class Outcome:
    """A finished case: what ran, how it ended, and what is wrong with that (if anything)."""

    label: str
    argv: list[str]
    exit: int | None
    signal: int | None
    timed_out: bool
    seconds: float
    stdout: bytes
    stderr: bytes
    problems: list[str]

    @property
    def traceback_line(self) -> str:
        """The last line of a traceback on stderr (the exception), or ''."""
        text = self.stderr.decode("utf-8", "replace")
        if "Traceback (most recent call last)" not in text:
            return ""
        tail = text.split("Traceback (most recent call last)")[-1]
        lines = [ln for ln in tail.splitlines() if PYTHON_ERROR.match(ln) or ln[:1].isalpha()]
        return lines[-1].strip() if lines else ""

    @property
    def cause(self) -> str:
        """A short grouping key: the traceback's exception, 'hang', a signal, or the problem."""
        if self.timed_out:
            return "hang"
        if self.traceback_line:
            return self.traceback_line.split(":")[0]
        if self.signal:
            return f"signal {self.signal}"
        return self.problems[0][:80] if self.problems else "ok"


def read_output(path: str) -> bytes:
    """A child's output; a long one keeps its head and its tail (the error line is last)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return b""
    if len(data) <= OUTPUT_KEEP:
        return data
    half = OUTPUT_KEEP // 2
    return data[:half] + b"[... %d bytes cut ...]" % (len(data) - OUTPUT_KEEP) + data[-half:]


def judge(case: dict[str, Any], result: dict[str, Any], label: str, bound_s: float) -> Outcome:
    """Apply the one rule: success, or a non-zero exit with one `aurora: ` sentence.

    On a non-zero exit the last non-empty stderr line is the error: it starts "aurora: " and
    is the only such line, except earlier lines starting "aurora: warning: ". Other earlier
    lines (progress, "[fallback: …]" notes, skipped files) are allowed. When nobody reads
    stdout any more (`aurora … | head -1`), exit 141 without a sentence is fine too: it is
    what a shell tool killed by SIGPIPE reports. Never, whatever the exit code: a traceback,
    "Exception ignored", death by a signal, or a run past the bound.
    """
    stdout = b"" if case.get("stdout_mode") == "broken-pipe" else read_output(case["stdout"])
    stderr = read_output(case["stderr"])
    text = stderr.decode("utf-8", "replace")
    problems: list[str] = []
    if result["timed_out"]:
        problems.append(f"hang: still running after {bound_s:.0f} s")
    elif result.get("signal"):
        name = signal.Signals(result["signal"]).name if result["signal"] < 65 else "?"
        problems.append(f"killed by signal {result['signal']} ({name})")
    if "Traceback (most recent call last)" in text:
        problems.append("traceback on stderr")
    if "Exception ignored" in text:
        problems.append("'Exception ignored' on stderr")
    if "robustness harness:" in text:
        problems.append("the harness failed in the child")
    code = result.get("exit")
    quiet_pipe = case.get("stdout_mode") == "broken-pipe" and code == EXIT_SIGPIPE
    if code not in (None, 0) and not result["timed_out"] and not quiet_pipe:
        # "\n" only: str.splitlines() also breaks at \x1c-\x1e and \x85, which a terminal shows
        lines = [ln.rstrip("\r") for ln in text.split("\n") if ln.strip()]
        errors = [ln for ln in lines if ln.startswith("aurora: ") and not _warning(ln)]
        if not lines or not lines[-1].startswith("aurora: ") or _warning(lines[-1]):
            problems.append(f"exit {code} without an 'aurora: ' sentence as the last stderr line")
        elif len(errors) != 1:
            problems.append(f"exit {code} with {len(errors)} 'aurora: ' error lines on stderr")
        if any(PYTHON_ERROR.match(ln) or PYTHON_WARNING.search(ln) for ln in lines):
            problems.append("a Python exception or warning line on stderr")
    return Outcome(
        label=label,
        argv=list(case["argv"]),
        exit=code,
        signal=result.get("signal"),
        timed_out=bool(result["timed_out"]),
        seconds=float(result["seconds"]),
        stdout=stdout,
        stderr=stderr,
        problems=problems,
    )


def _warning(line: str) -> bool:
    return line.startswith("aurora: warning: ")


def shown(argv: Sequence[str], limit: int = 160) -> str:
    """argv for a report: each argument repr'd and cut, so 128 KB values stay readable."""
    parts = []
    for arg in argv:
        r = repr(arg)
        parts.append(r if len(r) <= 60 else f"{r[:40]}…<{len(arg):,} chars>")
    text = " ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(outcome: Outcome) -> str:
    detail = (
        outcome.traceback_line
        or (outcome.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""])[0]
    )
    return (
        f"{outcome.label}: aurora {shown(outcome.argv)} -> "
        f"{'; '.join(outcome.problems)} [exit {outcome.exit}, {outcome.seconds:.1f} s] "
        f"{detail[:300]}"
    )


if __name__ == "__main__":
    serve()
