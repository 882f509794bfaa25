"""The `aurora` command as a user runs it: a real process, real model, real exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurora_desktop import __version__
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.telemetry import Telemetry
from tests.support.cli import aurora, one_line_error

PROMPT = "Summarize in one sentence: local-first software keeps data on the user's device."


@pytest.mark.model
def test_ask_json_prints_one_object_with_the_figures(model_home: AuroraHome) -> None:
    proc = aurora("ask", "--json", PROMPT)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["text"].strip()
    assert data["target"] == "local"
    assert data["model"] == "SmolLM2-135M-Instruct"
    assert data["engine"] == "llama.cpp"
    assert data["tokens_in"] > 10 and data["tokens_out"] > 0
    for key in ("ttft_ms", "latency_ms", "tok_s"):
        assert isinstance(data[key], float) and data[key] >= 0
    assert data["latency_ms"] >= data["ttft_ms"]
    assert "Traceback" not in proc.stderr


@pytest.mark.model
def test_ask_streams_the_answer_and_reports_speed(model_home: AuroraHome) -> None:
    proc = aurora("ask", "--max-tokens", "30", "Name three colours.")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    assert "tok/s" in proc.stderr and "SmolLM2-135M-Instruct" in proc.stderr


@pytest.mark.model
def test_ask_reads_the_prompt_from_stdin(model_home: AuroraHome) -> None:
    proc = aurora("ask", "--json", "--max-tokens", "8", "-", stdin="Say hello.")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["tokens_out"] > 0


@pytest.mark.model
def test_each_request_is_logged_without_the_prompt(model_home: AuroraHome) -> None:
    proc = aurora("ask", "--json", "--task", "chat", "--max-tokens", "8", "my secret words")
    assert proc.returncode == 0, proc.stderr
    db = model_home.root / "metrics.db"
    (entry,) = Telemetry(db).history()
    assert entry.tokens_out > 0 and entry.target == "local"
    assert b"secret" not in db.read_bytes()
    assert all(b"secret" not in p.read_bytes() for p in model_home.root.glob("*.db*"))


def test_version() -> None:
    proc = aurora("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"aurora {__version__}"


@pytest.mark.parametrize("prompt", ["", "   ", "\n"])
def test_empty_prompt_is_a_one_sentence_error(prompt: str) -> None:
    line = one_line_error(aurora("ask", prompt))
    assert "prompt is empty" in line


def test_empty_prompt_on_stdin_is_refused() -> None:
    line = one_line_error(aurora("ask", "-", stdin=""))
    assert "prompt is empty" in line


def test_unknown_flag_is_a_one_sentence_error() -> None:
    proc = aurora("ask", "--frobnicate", "hi")
    line = one_line_error(proc)
    assert proc.returncode == 2
    assert "--frobnicate" in line and "--help" in line


def test_unknown_command_is_a_one_sentence_error() -> None:
    proc = aurora("fly")
    one_line_error(proc)
    assert proc.returncode == 2


def test_bad_number_is_a_one_sentence_error() -> None:
    line = one_line_error(aurora("ask", "--max-tokens", "lots", "hi"))
    assert "--max-tokens" in line


def test_out_of_range_number_is_a_one_sentence_error() -> None:
    line = one_line_error(aurora("ask", "--max-tokens", "0", "hi"))
    assert "--max-tokens" in line and "1 to 32,768" in line


def test_data_folder_that_is_a_file_is_a_one_sentence_error(tmp_path: Path) -> None:
    blocker = tmp_path / "home-file"
    blocker.write_text("not a folder")
    proc = aurora("ask", "hi", env={"AURORA_HOME": str(blocker)})
    line = one_line_error(proc)
    assert str(blocker) in line and "AURORA_HOME" in line


def test_unreadable_data_folder_is_a_one_sentence_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = aurora("ask", "hi", env={"AURORA_HOME": str(blocker / "home")})
    line = one_line_error(proc)
    assert "cannot read and write its data folder" in line
