"""`LlamaServerEngine` for real: SmolLM2 served by `python -m llama_cpp.server` on 127.0.0.1.

One engine is shared by the module (its server restarts are part of what is tested); tests
that break a model file, race for a port or close an engine make their own. Every check of
"no process left" asks psutil about this process's real children.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import EngineHealth
from aurora_desktop.core.engines.llama_server import LlamaServerEngine
from aurora_desktop.core.engines.server_process import (
    ServerSpec,
    free_port,
    start_server,
    startup_error,
)
from aurora_desktop.core.errors import EngineClosedError, EngineError, EngineLoadError
from aurora_desktop.core.paths import AuroraHome

pytestmark = [pytest.mark.integration, pytest.mark.model]

QUESTION = (Message("user", "Name three colours of the rainbow."),)
STORY = (Message("user", "Write a very long story about a lighthouse keeper and the sea."),)
WAIT_S = 60.0
CRASH_REPORTED_WITHIN_S = 5.0
MB = 1024 * 1024

MakeEngine = Callable[..., LlamaServerEngine]


@pytest.fixture(scope="module")
def gguf(seeded_home: AuroraHome) -> Path:
    return next(seeded_home.models.rglob("*.gguf"))


@pytest.fixture(scope="module")
def engine(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServerEngine]:
    made = LlamaServerEngine(
        gguf, model_name="smollm2", n_threads=2, log_dir=tmp_path_factory.mktemp("server-logs")
    )
    yield made
    assert made.close(), "the module engine's worker did not stop"
    assert made.pid is None


@pytest.fixture
def own_gguf(gguf: Path, tmp_path: Path) -> Path:
    """The real model under a path of this test's own, so its server is told apart."""
    own = tmp_path / "own" / gguf.name
    own.parent.mkdir()
    try:
        os.link(gguf, own)
    except OSError:
        shutil.copyfile(gguf, own)
    return own


@pytest.fixture
def make_engine(tmp_path: Path) -> Iterator[MakeEngine]:
    made: list[LlamaServerEngine] = []

    def make(model_path: Path, *, temp_logs: bool = False) -> LlamaServerEngine:
        logs = None if temp_logs else tmp_path / "logs"
        built = LlamaServerEngine(model_path, model_name="test", n_threads=2, log_dir=logs)
        made.append(built)
        return built

    yield make
    for built in made:
        assert built.close(), "an engine's worker did not stop"


def server_children(model_path: Path | None = None) -> list[psutil.Process]:
    """Live `llama_cpp.server` children of this process (optionally serving `model_path`)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            line = child.cmdline()
            if child.status() == psutil.STATUS_ZOMBIE:
                continue
        except psutil.Error:
            continue
        if "llama_cpp.server" in line and (model_path is None or str(model_path) in line):
            found.append(child)
    return found


def gone(pid: int) -> bool:
    """True when child `pid` has ended and was reaped: neither running nor a zombie."""
    try:
        return psutil.Process(pid).ppid() != os.getpid()  # the number now names a stranger
    except psutil.NoSuchProcess:
        return True


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


# -- streaming, memory, health ---------------------------------------------------------


def test_streams_smollm2_in_pieces_from_its_own_process(
    engine: LlamaServerEngine, capfd: pytest.CaptureFixture[str]
) -> None:
    load_ms = engine.load().result(WAIT_S)
    assert load_ms > 0
    assert engine.loaded and engine.health().ok, engine.health()
    pid = engine.pid
    assert pid is not None and pid != os.getpid()
    server = psutil.Process(pid)
    assert server.ppid() == os.getpid()
    assert "llama_cpp.server" in server.cmdline()
    assert engine.memory_bytes() > 50 * MB
    listening = [c for c in server.net_connections("tcp") if c.status == psutil.CONN_LISTEN]
    assert listening and all(c.laddr.ip == "127.0.0.1" for c in listening)

    pieces: list[str] = []
    result = engine.generate(
        QUESTION, max_tokens=48, temperature=0.2, on_token=pieces.append
    ).result(WAIT_S)

    assert len(pieces) >= 3
    assert result.text == "".join(pieces) and result.text.strip()
    assert result.tokens_out > 0 and result.tokens_in > 0
    assert result.finish_reason in ("stop", "length")
    assert result.ttft_ms > 0 and result.decode_ms > 0
    assert result.bytes_sent == 0  # loopback: nothing left the machine
    assert engine.health().ok

    log = engine.log_path
    assert log is not None and "llama_cpp.server" in log.read_text(errors="replace")
    printed = capfd.readouterr()
    assert "llama" not in printed.out + printed.err, "the server wrote to Aurora's console"

    engine.unload().result(WAIT_S)
    assert engine.memory_bytes() == 0
    assert engine.pid is None and not engine.loaded
    assert gone(pid) and not server_children()
    assert engine.health().ok  # not loaded, but ready to start again


# -- cancellation ----------------------------------------------------------------------


def test_a_callback_returning_false_cancels(engine: LlamaServerEngine) -> None:
    pieces: list[str] = []

    def take_three(piece: str) -> bool:
        pieces.append(piece)
        return len(pieces) < 3

    result = engine.generate(STORY, max_tokens=200, temperature=0.2, on_token=take_three).result(
        WAIT_S
    )

    assert result.finish_reason == "cancelled"
    assert len(pieces) == 3 and result.text == "".join(pieces)
    assert result.tokens_out == 3
    after = engine.generate(QUESTION, max_tokens=8, temperature=0.2).result(WAIT_S)
    assert after.tokens_out > 0  # the server let go of the abandoned stream


def test_an_event_cancels_before_and_during_a_generation(engine: LlamaServerEngine) -> None:
    stop = threading.Event()
    stop.set()
    early = engine.generate(STORY, max_tokens=200, temperature=0.2, cancel=stop).result(WAIT_S)
    assert early.finish_reason == "cancelled" and early.text == ""

    stop = threading.Event()
    pieces: list[str] = []

    def stop_after_two(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) == 2:
            stop.set()

    late = engine.generate(
        STORY, max_tokens=200, temperature=0.2, on_token=stop_after_two, cancel=stop
    ).result(WAIT_S)

    assert late.finish_reason == "cancelled"
    assert 2 <= len(pieces) < 10 and late.text == "".join(pieces)


# -- crashes and restarts --------------------------------------------------------------


def test_a_server_killed_mid_answer_fails_the_request_and_restarts_next_time(
    engine: LlamaServerEngine,
) -> None:
    engine.load().result(WAIT_S)
    old_pid = engine.pid
    assert old_pid is not None
    first, killed = threading.Event(), threading.Event()

    def hold_open(piece: str) -> None:
        first.set()
        killed.wait(10)  # keep the stream open until the server is gone

    future = engine.generate(STORY, max_tokens=300, temperature=0.2, on_token=hold_open)
    assert first.wait(WAIT_S), "no piece arrived"
    os.kill(old_pid, signal.SIGKILL)
    killed_at = time.monotonic()
    killed.set()

    with pytest.raises(EngineError) as failure:
        future.result(CRASH_REPORTED_WITHIN_S + 5)
    assert time.monotonic() - killed_at < CRASH_REPORTED_WITHIN_S
    message = str(failure.value)
    assert message == (
        "The llama.cpp server for smollm2 stopped while answering; "
        "it will be restarted for the next request."
    )
    assert not engine.health().ok and gone(old_pid)

    again = engine.generate(QUESTION, max_tokens=16, temperature=0.2).result(WAIT_S)

    assert again.tokens_out > 0 and again.text
    assert engine.pid is not None and engine.pid != old_pid
    assert engine.health().ok
    assert engine.pid in [p.pid for p in server_children()]


def test_a_server_killed_between_requests_is_restarted(engine: LlamaServerEngine) -> None:
    engine.load().result(WAIT_S)
    old_pid = engine.pid
    assert old_pid is not None
    os.kill(old_pid, signal.SIGKILL)
    assert wait_until(lambda: not engine.health().ok), "the crash was not noticed"
    assert "exited" in engine.health().detail and engine.memory_bytes() == 0

    result = engine.generate(QUESTION, max_tokens=16, temperature=0.2).result(WAIT_S)

    assert result.tokens_out > 0 and result.text
    assert engine.pid is not None and engine.pid != old_pid and gone(old_pid)
    assert engine.pid in [p.pid for p in server_children()]


# -- broken model files ----------------------------------------------------------------


def _truncate(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.truncate(size // 2)


def _scramble_header(path: Path) -> None:
    with path.open("r+b") as file:
        file.write(os.urandom(4096))


@pytest.mark.parametrize("corrupt", [_truncate, _scramble_header], ids=["truncated", "header"])
def test_a_broken_gguf_fails_to_load_with_one_sentence(
    gguf: Path, tmp_path: Path, make_engine: MakeEngine, corrupt: Callable[[Path], None]
) -> None:
    broken = tmp_path / "broken.gguf"
    shutil.copyfile(gguf, broken)
    corrupt(broken)
    engine = make_engine(broken)

    with pytest.raises(EngineLoadError) as failure:
        engine.load().result(WAIT_S)

    message = str(failure.value)
    assert message.startswith("llama.cpp server could not load broken.gguf: ")
    assert message.endswith("; reinstall the model or choose another one.")
    assert "\n" not in message and ". " not in message and "Traceback" not in message
    assert not server_children(broken), "a server for the broken file is still running"
    assert engine.pid is None and engine.memory_bytes() == 0 and not engine.loaded
    assert engine.health() == EngineHealth(False, message)


def test_a_missing_gguf_is_refused_without_starting_anything(
    tmp_path: Path, make_engine: MakeEngine
) -> None:
    engine = make_engine(tmp_path / "absent.gguf")
    with pytest.raises(EngineLoadError, match="the file is missing; reinstall"):
        engine.load().result(WAIT_S)
    assert not server_children(tmp_path / "absent.gguf")


def test_startup_error_picks_the_line_that_says_what_broke() -> None:
    truncated = (
        "llama_model_load: error loading model: tensor 'blk.15.attn_output.weight' data is "
        "not within the file bounds, model is corrupted or incomplete\n"
        "llama_model_load_from_file_impl: failed to load model\n"
        "Traceback (most recent call last):\n"
        '    raise ValueError(f"Failed to load model from file: {path_model}")\n'
        "ValueError: Failed to load model from file: broken.gguf\n"
    )
    assert startup_error(truncated) == (
        "tensor 'blk.15.attn_output.weight' data is not within the file bounds, "
        "model is corrupted or incomplete"
    )
    assert startup_error("Traceback (most recent call last):\nOSError: disk gone.\n") == (
        "OSError: disk gone"
    )
    assert startup_error("", 3) == "it exited with code 3"
    assert startup_error("llama_model_loader: - kv 0: general.architecture str = llama\n", -11) == (
        "it crashed with SIGSEGV"
    )


# -- ports, unload and close -----------------------------------------------------------


def test_a_port_taken_at_start_moves_to_another(gguf: Path, tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        taken = squatter.getsockname()[1]
        ports = iter([taken, free_port()])
        spec = ServerSpec(model_path=gguf, alias="smollm2-race", n_ctx=512, n_threads=2,
                          log_path=tmp_path / "race.log")  # fmt: skip

        server = start_server(spec, ready_timeout_s=WAIT_S, stopping=threading.Event(),
                              pick_port=lambda: next(ports))  # fmt: skip
        try:
            assert server.port != taken and server.alive
            assert "address already in use" in (tmp_path / "race.log").read_text().lower()
        finally:
            assert server.stop()
    assert gone(server.pid)


def test_unload_leaves_no_process_and_close_is_idempotent(
    own_gguf: Path, make_engine: MakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {"PORT": "1", "HOST": "0.0.0.0", "API_KEY": "not-ours"}.items():
        monkeypatch.setenv(name, value)  # settings the server would read if they leaked in
    engine = make_engine(own_gguf, temp_logs=True)

    engine.load().result(WAIT_S)
    pid = engine.pid
    assert pid is not None
    log_folder = engine.log_path.parent if engine.log_path else None
    engine.unload().result(WAIT_S)
    assert gone(pid) and engine.pid is None and engine.memory_bytes() == 0

    engine.generate(QUESTION, max_tokens=4, temperature=0.2).result(WAIT_S)  # starts again
    second = engine.pid
    assert second is not None and second != pid
    assert engine.close() is True
    assert engine.close() is True
    assert gone(second) and not server_children(own_gguf)
    assert log_folder is not None and not log_folder.exists()  # its temporary logs went too
    with pytest.raises(EngineClosedError):
        engine.generate(QUESTION, max_tokens=4, temperature=0.2)


def test_close_during_a_stream_ends_the_server(own_gguf: Path, make_engine: MakeEngine) -> None:
    engine = make_engine(own_gguf)
    first, never = threading.Event(), threading.Event()

    def hold_open(piece: str) -> None:
        if not first.is_set():
            first.set()
            never.wait(2)  # the stream is still open when close() gives up waiting

    future = engine.generate(STORY, max_tokens=500, temperature=0.2, on_token=hold_open)
    assert first.wait(WAIT_S)
    pid = engine.pid
    assert pid is not None

    started = time.monotonic()
    assert engine.close(timeout=0.5) is True
    assert time.monotonic() - started < 10
    with pytest.raises(EngineError):
        future.result(1)
    assert gone(pid) and not server_children(own_gguf)
