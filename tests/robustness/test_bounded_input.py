"""Input Aurora reads from the user is bounded: no hang, no memory blow-up, one sentence.

Files named on the command line are opened as regular files only and read with a byte
limit whatever `st_size` says (a FIFO, /dev/zero, a folder are refused at once); JSON is
parsed with a depth limit and finite numbers; invalid UTF-8 from argv never reaches an
encoder; numbers from flags are finite and in range; markup stripping is linear.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aurora_desktop.cli.main import build_parser
from aurora_desktop.core.contract import Request
from aurora_desktop.core.errors import ConfigError, RequestError, SignatureError
from aurora_desktop.core.models.keys import read_key_file
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.rag.files import blank_markup, discover, read_source
from aurora_desktop.core.userfile import read_named_bytes
from aurora_desktop.core.userinput import clean_text, json_depth, load_json
from tests.support.cli import one_line_error

FAST_S = 30.0  # a refusal takes about 2 s; the bound is generous for a shared machine
MEMORY_CAP = 3 << 30  # an unbounded read of /dev/zero dies here instead of eating the machine
DEEP = "[" * 5000 + "]" * 5000


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def aurora(
    *args: str | bytes,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = FAST_S,
) -> subprocess.CompletedProcess[str]:
    """`python -m aurora_desktop ARGS` (argv may hold raw bytes) in `env` (default: this
    test's), with its memory capped."""
    proc = subprocess.run(
        [sys.executable, "-m", "aurora_desktop", *args],
        input=stdin,
        capture_output=True,
        env=dict(os.environ) if env is None else env,
        timeout=timeout,
        preexec_fn=_cap_memory,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    os.mkfifo(path)
    return path


# -- files the user names ------------------------------------------------------------------


def test_trust_add_dev_zero_is_one_sentence() -> None:
    line = one_line_error(aurora("models", "trust", "add", "/dev/zero"))
    assert "not a regular file" in line and "device" in line


def test_trust_add_fifo_does_not_block(fifo: Path) -> None:
    line = one_line_error(aurora("models", "trust", "add", str(fifo)))
    assert "named pipe" in line


def test_extract_schema_dev_zero_is_one_sentence() -> None:
    proc = aurora("ask", "--task", "extract", "--schema", "/dev/zero", "hi")
    assert "not a regular file" in one_line_error(proc)


def test_extract_schema_fifo_and_folder_are_refused(fifo: Path, tmp_path: Path) -> None:
    for path in (fifo, tmp_path):
        proc = aurora("ask", "--task", "extract", "--schema", str(path), "hi")
        assert "not a regular file" in one_line_error(proc)


def test_extract_schema_too_deep_is_one_sentence(tmp_path: Path) -> None:
    schema = tmp_path / "deep.json"
    schema.write_text(DEEP)
    proc = aurora("ask", "--task", "extract", "--schema", str(schema), "hi")
    assert "deeper than 64 levels" in one_line_error(proc)


def test_named_file_reader_follows_links_but_wants_a_regular_file(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text('{"a": 1}')
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert read_named_bytes(link, limit=100) == b'{"a": 1}'
    with pytest.raises(ConfigError, match="more than 4 bytes"):
        read_named_bytes(link, limit=4)
    (tmp_path / "to-dev").symlink_to("/dev/zero")
    with pytest.raises(RequestError, match="a device, not a regular file"):
        read_named_bytes(tmp_path / "to-dev", limit=100, error=RequestError)
    with pytest.raises(ConfigError, match="cannot be read"):
        read_named_bytes(tmp_path / "missing", limit=100)


def test_key_file_read_is_bounded(tmp_path: Path) -> None:
    big = tmp_path / "big.pub.json"
    big.write_text(" " * 10_000 + "{}")
    with pytest.raises(SignatureError, match="more than 4,096 bytes"):
        read_key_file(big)
    deep = tmp_path / "deep.pub.json"
    deep.write_text("[" * 1000 + "]" * 1000)
    with pytest.raises(SignatureError, match="deeper than"):
        read_key_file(deep)


# -- rag ingest ----------------------------------------------------------------------------


def test_rag_skips_a_named_pipe_without_blocking(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    os.mkfifo(docs / "notes.txt")
    (docs / "real.txt").write_text("some words")
    found, skipped = discover(docs)
    assert found == [docs / "real.txt"]
    assert [(Path(s.path).name, s.reason) for s in skipped] == [("notes.txt", "not a regular file")]
    # read directly (a file swapped for a pipe after discovery): skipped, not blocked
    code = (
        "import sys; from pathlib import Path; from aurora_desktop.core.rag.files import "
        "read_source; print(read_source(Path(sys.argv[1])).reason)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(docs / "notes.txt")],
        capture_output=True,
        text=True,
        timeout=FAST_S,
    )
    assert proc.stdout.strip() == "not a regular file (a named pipe)", proc.stderr


def test_rag_ingest_of_a_folder_with_a_named_pipe_finishes(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    os.mkfifo(docs / "notes.txt")
    (docs / "real.txt").write_text("words worth finding in a real file")
    proc = aurora("rag", "ingest", "--yes", str(docs), timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert f"skipped {docs / 'notes.txt'}: not a regular file" in proc.stderr
    assert "1 new or changed" in proc.stdout and "1 skipped" in proc.stdout


def test_rag_reads_at_most_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000)
    skipped = read_source(path, max_bytes=1000)
    assert getattr(skipped, "reason", "").startswith("larger than")
    assert read_source(path, max_bytes=5000).text == "x" * 2000  # type: ignore[union-attr]


MARKUP_BOUND_S = 10.0


@pytest.mark.parametrize("unit", ["<a", "<!--", "<a b='", "<script>", "<script></script"])
def test_markup_stripping_is_linear(unit: str) -> None:
    code = (
        "import sys, time; from aurora_desktop.core.rag.files import blank_markup; "
        "text = sys.argv[1] * (1_000_000 // len(sys.argv[1])); t = time.perf_counter(); "
        "out = blank_markup(text); assert len(out) == len(text); "
        "print(time.perf_counter() - t)"
    )
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", code, unit], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert float(proc.stdout) < MARKUP_BOUND_S
    assert time.monotonic() - started < 60


def test_markup_is_blanked_in_place() -> None:
    html = (
        "<html><head><style>p {color: red}</style><script>if (a<b) {x()}</script></head>"
        "<!-- a\ncomment --><p class='c'>Hello &amp; <b>world</b></p>1 < 2 > 0<SCRIPT >y"
        "</SCRIPT ></html>"
    )
    out = blank_markup(html)
    assert len(out) == len(html) and out.count("\n") == 1
    assert out.split() == ["Hello", "&amp;", "world", "1", "<", "2", ">", "0"]
    assert blank_markup("unclosed <a href") == "unclosed <a href"


# -- JSON and text -------------------------------------------------------------------------


def test_route_deep_json_on_stdin_is_one_sentence() -> None:
    line = one_line_error(aurora("route", "-", stdin=DEEP.encode()))
    assert "deeper than 64 levels" in line


def test_route_refuses_nan_keep_alive() -> None:
    line = one_line_error(aurora("route", '{"prompt": "hello", "keep_alive_s": NaN}'))
    assert "NaN" in line


@pytest.mark.parametrize("value", [1e308, -1, 10**6])
def test_request_keep_alive_is_finite_and_in_range(value: float) -> None:
    with pytest.raises(RequestError, match="keep_alive_s must be"):
        Request.from_dict({"prompt": "hi", "keep_alive_s": value})
    assert Request.from_dict({"prompt": "hi", "keep_alive_s": 30}).keep_alive_s == 30.0


def test_route_with_invalid_utf8_in_argv_answers() -> None:
    proc = aurora("route", "--json", b'{"prompt": "\xff\xfe hello there"}')
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["target"] in ("local", "cloud")


def test_route_with_a_lone_surrogate_escape_answers() -> None:
    proc = aurora("route", "--json", '{"prompt": "\\udcff\\ud800 hello there"}')
    assert proc.returncode == 0, proc.stderr


def test_route_on_stdin_with_invalid_utf8_answers() -> None:
    proc = aurora("route", "--json", "-", stdin=b'{"prompt": "\xff\xfe hello there"}')
    assert proc.returncode == 0, proc.stderr


@pytest.mark.model
def test_ask_with_invalid_utf8_in_the_prompt_answers(model_home: AuroraHome) -> None:
    proc = aurora("ask", "--json", "--max-tokens", "8", b"\xff\xfe say hi", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["tokens_out"] > 0


def test_request_text_has_no_lone_surrogates() -> None:
    request = Request.from_prompt("a\udcff\udcfe b", labels=("x\udcff", "y"))
    assert request.prompt == "a\ufffd\ufffd b" and request.labels == ("x\ufffd", "y")
    request.prompt.encode("utf-8")  # what a tokenizer does first
    assert clean_text("\ud800x") == "\ufffdx" and clean_text("h\xe9") == "h\xe9"


def test_json_loader_limits_depth_and_numbers() -> None:
    assert load_json('{"a": [1, {"b": "[[[[["}]}', what="x") == {"a": [1, {"b": "[[[[["}]}
    assert json_depth('"\\"[[["') == 0 and json_depth("[" * 64 + "]" * 64) == 64
    load_json("[" * 64 + "]" * 64, what="x")
    cases = {
        "[" * 65 + "]" * 65: "deeper than 64 levels",
        "[" * 200_000: "deeper than 64 levels",
        '{"a": Infinity}': "holds Infinity",
        "[1e400]": "a number too large to hold",
        "[" + "9" * 5000 + "]": "more than 4,000 digits",
        '{"a":': "is not valid JSON",
    }
    for raw, words in cases.items():
        with pytest.raises(ConfigError, match=words):
            load_json(raw, what="The request")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_json(b'{"a": "\xff"}', what="x")


def test_depth_check_is_fast_on_hostile_strings() -> None:
    started = time.perf_counter()
    for text in ('\\"' * 2_000_000, '"' * 4_000_000, "[" * 4_000_000):
        json_depth(text)
    assert time.perf_counter() - started < 10.0


# -- flags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "--keep-alive", "nan", "hi"],
        ["ask", "--keep-alive", "inf", "hi"],
        ["ask", "--keep-alive", "-1", "hi"],
        ["ask", "--keep-alive", "1e308", "hi"],
        ["ask", "--temperature", "nan", "hi"],
        ["ask", "--max-tokens", str(10**30), "hi"],
        ["ask", "--slo-ms", "-5", "hi"],
        ["ask", "--k", "0", "hi"],
        ["stats", "--last", "-3"],
        ["rag", "query", "--k", "1000000", "x"],
    ],
)
def test_number_flags_are_finite_and_in_range(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("aurora: argument ")
    assert "must be a" in err


def test_bench_only_unknown_id_is_refused() -> None:
    line = one_line_error(aurora("bench", "--only", "B99"))
    assert "B99" in line and "B1" in line


def test_unknown_cloud_provider_is_refused_like_an_unknown_local_model() -> None:
    line = one_line_error(aurora("ask", "--model", "cloud://nope/x", "hi"))
    assert "cloud provider" in line
    line = one_line_error(aurora("route", '{"prompt": "hi", "model": "cloud://nope/x"}'))
    assert "cloud provider" in line


# -- output and display --------------------------------------------------------------------


def test_closed_stdout_ends_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "aurora_desktop", "consent", "grant", "cloud.send:x"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=FAST_S,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 141 and proc.stderr == ""


def test_no_display_is_one_sentence() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    proc = aurora(env=env)
    line = one_line_error(proc)
    assert proc.returncode > 0
    assert "No desktop session is available (DISPLAY is not set)" in line


def test_league_cases_file_is_bounded(tmp_path: Path, fifo: Path) -> None:
    from aurora_desktop.core.league import load_cases

    deep = tmp_path / "cases.json"
    deep.write_text(DEEP)
    with pytest.raises(ConfigError, match="deeper than 64 levels"):
        load_cases(deep)
    with pytest.raises(ConfigError, match="named pipe"):
        load_cases(fifo)


def test_rag_index_file_replaced_by_a_pipe_or_link_is_rebuilt_not_waited_on(
    tmp_path: Path, fifo: Path
) -> None:
    link = tmp_path / "index.faiss"
    link.symlink_to("/dev/zero")
    code = (
        "import sys; from pathlib import Path; "
        "from aurora_desktop.core.rag.index import IndexConfig, VectorIndex; "
        "print([VectorIndex.load(Path(p), 384, IndexConfig()) for p in sys.argv[1:]])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(fifo), str(link)],
        capture_output=True,
        text=True,
        timeout=FAST_S,
        preexec_fn=_cap_memory,
    )
    assert proc.stdout.strip() == "[None, None]", proc.stderr


def test_standard_input_is_bounded_and_decoded_leniently() -> None:
    from io import BytesIO

    from aurora_desktop.core.userinput import read_stdin_text

    text = read_stdin_text(what="The prompt", stream=BytesIO(b"\xef\xbb\xbfa\r\nb\xff\rc"))
    assert text == "a\nb\ufffd\nc"
    with pytest.raises(RequestError, match="larger than 10 bytes"):
        read_stdin_text(what="The prompt", limit=10, error=RequestError, stream=BytesIO(b"x" * 11))


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "--temperature=--", "hi"),
        ("ask", "--k=--", "hi"),
        ("stats", "--last=--"),
        ("audit", "--limit=--"),
    ],
)
def test_a_lone_double_dash_as_a_flag_value_is_one_sentence(
    args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    """Python 3.11 hands `--flag=--` to the command as an empty list, skipping the type check."""
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(list(args))
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "expected a value, not '--'" in err
