"""`aurora api-keys` and `aurora serve` as a user runs them: real processes, 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from aurora_desktop.core.paths import AuroraHome
from tests.support.cli import aurora, one_line_error
from tests.support.llama_server import free_port

pytestmark = pytest.mark.integration

WAIT_S = 30.0


def test_keys_are_made_listed_and_revoked(aurora_home: AuroraHome) -> None:
    empty = aurora("api-keys", "list", timeout=60)
    assert empty.returncode == 0 and "No API keys yet" in empty.stdout
    made = aurora("api-keys", "create", "My editor", "--scope", "chat", "--scope", "models")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("aurora_") and "\n" not in token
    assert "shown only now" in made.stderr
    listed = aurora("api-keys", "list").stdout.splitlines()
    (row,) = listed
    key_id, status = row.split()[:2]
    assert status == "active" and row.endswith("My editor") and "chat,models" in row
    stored = (aurora_home.root / "api_keys.json").read_text(encoding="utf-8")
    assert token not in stored
    revoked = aurora("api-keys", "revoke", key_id)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert aurora("api-keys", "list").stdout.split()[1] == "revoked"
    assert "no active API key" in one_line_error(aurora("api-keys", "revoke", key_id))
    events = [json.loads(line)["event"] for line in _ledger(aurora_home)]
    assert events.count("api_key.create") == 1 and events.count("api_key.revoke") == 1


@pytest.mark.parametrize(
    "args",
    [
        ("api-keys", "create", ""),
        ("api-keys", "create", "two\nlines"),
        ("api-keys", "create", "x" * 200),
        ("api-keys", "create", "app", "--scope", "root"),
        ("serve", "--port", "80"),
        ("serve", "--port", "nan"),
    ],
)
def test_bad_arguments_are_one_sentence(args: tuple[str, ...]) -> None:
    proc = aurora(*args, timeout=60)
    assert proc.returncode in (1, 2)
    one_line_error(proc)


def test_serve_refuses_to_start_without_a_key() -> None:
    line = one_line_error(aurora("serve", "--port", str(free_port()), timeout=60))
    assert "No API key exists yet" in line and "aurora api-keys create" in line


def test_serve_reports_a_port_in_use_in_one_sentence() -> None:
    assert aurora("api-keys", "create", "editor").returncode == 0
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        port = squatter.getsockname()[1]
        line = one_line_error(aurora("serve", "--port", str(port), timeout=60))
    assert f"Port {port} on 127.0.0.1 is already in use" in line


def test_serve_answers_until_ctrl_c(tmp_path: Path) -> None:
    token = aurora("api-keys", "create", "editor").stdout.strip()
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "aurora_desktop", "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=os.environ.copy(),
        )
    try:
        deadline = time.monotonic() + WAIT_S
        while b"listening on" not in log.read_bytes():
            assert proc.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "aurora serve did not start in time"
            time.sleep(0.1)
        assert f"http://127.0.0.1:{port}" in log.read_text()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=WAIT_S) as http:
            ok = http.get("/v1/models", headers={"Authorization": f"Bearer {token}"})
            refused = http.get("/v1/models")
        assert ok.status_code == 200 and ok.json()["data"][0]["id"] == "aurora/auto"
        assert refused.status_code == 401
        proc.send_signal(signal.SIGINT)
        assert proc.wait(WAIT_S) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(WAIT_S)
    assert "Traceback" not in log.read_text()
    with socket.socket() as again:  # the port is free once it stopped
        again.bind(("127.0.0.1", port))


def _ledger(home: AuroraHome) -> list[str]:
    return (home.root / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
