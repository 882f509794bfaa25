"""The ledgers and databases in the data folder: damage is moved aside, links are refused."""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import shutil
import sqlite3
import tempfile
import traceback
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.core.audit import AuditLedger
from aurora_desktop.core.decisions import DecisionLedger, DecisionRecord
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.jsonlines import append_record
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.rag.service import DB_NAME, RAG_DIR
from aurora_desktop.core.sqlite_file import is_damage
from aurora_desktop.core.telemetry import Telemetry
from tests.support.cli import aurora, one_line_error
from tests.support.races import race


def _record(n: int) -> DecisionRecord:
    return DecisionRecord(
        id=f"r{n}", task="chat", risk="low", target="local", model=None, rule=None,
        why="because " * 8, outcome="ok", prompt_sha256="0" * 64,
    )  # fmt: skip


def _healthy_db(path: Path, rows: int = 2000) -> bytes:
    DecisionLedger(path).record(_record(0))
    with closing(sqlite3.connect(path)) as db, db:
        db.executemany(
            "INSERT INTO decisions SELECT ?, ts, task, risk, target, model, rule, why, masked, "
            "bytes_sent, consent, outcome, fallbacks, prompt_sha256, tokens_in, tokens_out, "
            "latency_ms, app, reason FROM decisions WHERE id = 'r0'",
            [(f"r{n}",) for n in range(1, rows)],
        )
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def _truncated(path: Path, good: bytes) -> None:
    path.write_bytes(good[: len(good) // 2])


def _header_only(path: Path, good: bytes) -> None:
    path.write_bytes(good[:4096])


def _garbage(path: Path, good: bytes) -> None:
    path.write_bytes(os.urandom(len(good)))


def _not_a_database(path: Path, good: bytes) -> None:
    path.write_text('{"this": "is JSON, not SQLite"}\n' * 50)


def _folder(path: Path, good: bytes) -> None:
    path.unlink()
    (path / "inside").mkdir(parents=True)


def _link(path: Path, good: bytes) -> None:
    path.unlink()
    path.symlink_to(path.parent / "elsewhere" / "nothing.db")


def _bytes_inserted(path: Path, good: bytes) -> None:
    """Four bytes inserted mid-file: pages shift, but the first pages still read fine."""
    middle = len(good) // 2
    path.write_bytes(good[:middle] + b"\xff\xfe\xc3\x28" + good[middle:])


DAMAGE: dict[str, Callable[[Path, bytes], None]] = {
    "bytes-inserted": _bytes_inserted,
    "truncated": _truncated,
    "header-only": _header_only,
    "garbage": _garbage,
    "not-a-database": _not_a_database,
    "folder": _folder,
    "link": _link,
}


def _clear_companions(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_decision_ledger_is_moved_aside_and_recreated(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "decisions.db"
    good = _healthy_db(path)
    _clear_companions(path)
    DAMAGE[kind](path, good)
    told: list[tuple[str, Path, Path]] = []
    ledger = DecisionLedger(path, report=lambda *a: told.append(a))
    ((sentence, file, moved),) = told
    assert file == path and moved.name.startswith("decisions.db.damaged-20")
    assert os.path.lexists(moved) and path.is_file() and not path.is_symlink()
    assert sentence.count(".") >= 1 and sentence.endswith("started a new one.")
    assert "decisions.db.damaged-" in sentence
    ledger.record(_record(1))
    assert [row["id"] for row in ledger.entries()] == ["r1"]
    again: list[object] = []
    DecisionLedger(path, report=lambda *a: again.append(a))
    assert again == []  # reported once: the fresh file is healthy


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_usage_history_is_moved_aside_and_recreated(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "metrics.db"
    Telemetry(path)
    good = _healthy_db(tmp_path / "donor.db")  # any sizeable SQLite file to damage
    DAMAGE[kind](path, good)
    told: list[object] = []
    metrics = Telemetry(path, report=lambda *a: told.append(a))
    assert len(told) == 1
    assert metrics.history() == [] and metrics.verification_counts()["checked"] == 0


def test_damage_found_after_opening_is_recovered_on_the_next_use(tmp_path: Path) -> None:
    path = tmp_path / "decisions.db"
    told: list[object] = []
    ledger = DecisionLedger(path, report=lambda *a: told.append(a))
    ledger.record(_record(0))
    _clear_companions(path)
    path.write_bytes(b"garbage " * 2000)  # damaged while the process runs
    assert list(ledger.entries()) == []
    ledger.record(_record(2))
    assert [row["id"] for row in ledger.entries()] == ["r2"] and len(told) == 1


def test_a_zero_byte_file_is_an_empty_database_and_nothing_is_moved(tmp_path: Path) -> None:
    path = tmp_path / "decisions.db"
    path.write_bytes(b"")
    told: list[object] = []
    ledger = DecisionLedger(path, report=lambda *a: told.append(a))
    ledger.record(_record(3))
    assert told == [] and len(list(ledger.entries())) == 1
    assert list(tmp_path.glob("*.damaged-*")) == []


def test_a_busy_database_is_not_taken_for_damage(tmp_path: Path) -> None:
    path = tmp_path / "decisions.db"
    DecisionLedger(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    busy = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked") as caught:
            busy.execute("DELETE FROM decisions")
    finally:
        busy.close()
        holder.execute("ROLLBACK")
        holder.close()
    assert not is_damage(caught.value)
    assert list(tmp_path.glob("*.damaged-*")) == []


@pytest.mark.parametrize("kind", ["truncated", "garbage", "not-a-database", "folder"])
def test_commands_keep_working_with_both_databases_damaged(
    aurora_home: AuroraHome, kind: str
) -> None:
    assert aurora("audit").returncode == 0  # creates both databases
    good = _healthy_db(aurora_home.root / "donor.db")
    for name in ("decisions.db", "metrics.db"):
        path = aurora_home.root / name
        _clear_companions(path)
        DAMAGE[kind](path, good)
    first = aurora("audit")
    assert first.returncode == 0 and "Traceback" not in first.stderr
    warnings = first.stderr.strip().splitlines()
    assert len(warnings) == 2 and all(w.startswith("aurora: warning: ") for w in warnings)
    assert {"decisions.db", "metrics.db"} == {
        next(n for n in ("decisions.db", "metrics.db") if n in w) for w in warnings
    }
    ledger = [json.loads(line) for line in (aurora_home.root / "ledger.jsonl").open()]
    damaged = [r for r in ledger if r["event"] == "storage.damaged"]
    assert sorted(r["file"] for r in damaged) == ["decisions.db", "metrics.db"]
    for command in (("models", "list"), ("stats",), ("audit", "--json")):
        proc = aurora(*command)
        assert proc.returncode == 0 and proc.stderr == "", (command, proc.stderr)


def test_commands_started_together_on_a_new_data_folder_all_work(tmp_path: Path) -> None:
    """Creating the databases at the same instant from several processes waits, never fails."""
    failures = []
    for n in range(20):
        home = tmp_path / f"home-{n}"
        results = race(home, [["audit"], ["consent", "list"], ["stats"], ["audit", "--json"]])
        failures += [(argv, err) for argv, (code, _, err) in results.items() if code != 0]
    assert failures == []


@pytest.mark.model
def test_ask_answers_with_a_damaged_decision_ledger(model_home: AuroraHome) -> None:
    path = model_home.root / "decisions.db"
    DecisionLedger(path)
    _clear_companions(path)
    path.write_bytes(b"\x00garbage" * 1000)
    proc = aurora("ask", "--json", "--task", "intent", "--max-tokens", "8", "Name a colour.")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["text"]
    assert "decisions.db (the decision ledger) was damaged" in proc.stderr
    assert len(list(model_home.root.glob("decisions.db.damaged-*"))) == 1


def test_a_ledger_link_is_refused_and_its_target_untouched(
    aurora_home: AuroraHome, tmp_path: Path
) -> None:
    assert aurora("consent", "list").returncode == 0
    target = tmp_path / "outside" / "passwd"
    target.parent.mkdir()
    target.write_text("root:x:0:0::/root:/bin/sh\n")
    (aurora_home.root / "ledger.jsonl").symlink_to(target)
    line = one_line_error(aurora("consent", "grant", "cloud.send:acme"))
    assert "is a link" in line
    assert target.read_text() == "root:x:0:0::/root:/bin/sh\n"
    assert aurora("consent", "list").stdout == ""  # nothing granted without its record


def test_append_record_never_follows_a_link(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("keep\n")
    link = tmp_path / "ledger.jsonl"
    link.symlink_to(target)
    with pytest.raises(ConfigError, match="is a link"):
        append_record(link, {"event": "x"})
    with pytest.raises(ConfigError, match="is a link"):
        AuditLedger(link).check_writable()
    assert target.read_text() == "keep\n"


@pytest.mark.parametrize("command", [("grant", "cloud.send:acme"), ("revoke", "cloud.send:old")])
def test_an_unwritable_ledger_changes_nothing(
    aurora_home: AuroraHome, command: tuple[str, str]
) -> None:
    assert aurora("consent", "grant", "cloud.send:old").returncode == 0
    before = (aurora_home.root / "consents.json").read_bytes()
    ledger = aurora_home.root / "ledger.jsonl"
    ledger.unlink()
    ledger.mkdir()  # cannot be appended to, even by root (mode 000 would not stop root)
    line = one_line_error(aurora("consent", *command))
    assert "cannot write to" in line and "ledger.jsonl" in line
    assert (aurora_home.root / "consents.json").read_bytes() == before


@pytest.mark.parametrize("kind", ["truncated", "garbage", "not-a-database", "folder"])
def test_a_damaged_document_index_is_set_aside_and_rebuilt_by_ingest(
    tmp_path: Path, kind: str
) -> None:
    from tests.core.test_rag_ingest import service, write_corpus

    home, docs = tmp_path / "home", tmp_path / "docs"
    write_corpus(docs, 5)
    first = service(home)
    first.ingest(docs, assume_yes=True)
    first.close()
    path = home / RAG_DIR / DB_NAME
    _clear_companions(path)
    DAMAGE[kind](path, path.read_bytes())
    told: list[tuple[str, Path, Path]] = []
    rag = service(home, report=lambda *a: told.append(a))
    assert rag.query("w000 w001 w002") == []  # nothing indexed any more, and no error
    ((sentence, _, moved),) = told
    assert moved.name.startswith("rag.damaged-") and moved.is_dir()
    assert sentence.endswith("again to rebuild it.")
    assert rag.ingest(docs, assume_yes=True).documents == 5
    assert rag.query("w000 w001 w002")[0].path.endswith("doc000.txt")
    rag.close()


def _run_as(uid: int, home: str, warm: str, argv: list[str], results: Any) -> None:
    """`aurora ARGV` in a forked child running as `uid` (root gives its power up after one
    run that loads every module it needs: the interpreter's files are root's)."""
    from aurora_desktop.cli.main import main

    err = io.StringIO()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            os.environ["AURORA_HOME"] = warm
            main(["consent", "grant", "cloud.send:warm"])
            err.seek(0)
            err.truncate()
            if os.getuid() != uid:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            os.environ["AURORA_HOME"] = home
            code = main(argv)
    except BaseException:
        code = -1
        err.write(traceback.format_exc())
    results.put((code, err.getvalue()))


def test_a_mode_000_ledger_changes_nothing(aurora_home: AuroraHome) -> None:
    """The ledger as a plain user meets it: mode 000 (a root run drops to 'nobody' first)."""
    uid = 65534 if os.getuid() == 0 else os.getuid()
    home = Path(tempfile.mkdtemp(prefix="aurora-mode000-"))
    try:
        ctx = multiprocessing.get_context("fork")
        results = ctx.Queue()
        (home / "ledger.jsonl").write_text("")
        for path in (home, home / "ledger.jsonl"):
            os.chown(path, uid, uid)
        (home / "ledger.jsonl").chmod(0)
        warm = str(aurora_home.root)
        argv = ["consent", "grant", "cloud.send:acme"]
        child = ctx.Process(target=_run_as, args=(uid, str(home), warm, argv, results))
        child.start()
        code, err = results.get(timeout=120)
        child.join(timeout=30)
        assert code == 1 and err.count("\n") == 1, err
        assert "cannot write to" in err and "Permission denied" in err
        assert not (home / "consents.json").exists()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_without_o_nofollow_a_link_is_refused_by_lstat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no O_NOFOLLOW: the link (or reparse point) is refused before opening."""
    import aurora_desktop.core.jsonlines as jsonlines

    monkeypatch.setattr(jsonlines, "_NOFOLLOW", 0)
    target = tmp_path / "target.txt"
    target.write_text("keep\n")
    link = tmp_path / "ledger.jsonl"
    link.symlink_to(target)
    opened: list[object] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    with pytest.raises(ConfigError, match="is a link"):
        append_record(link, {"event": "x"})
    assert opened == [] and target.read_text() == "keep\n"
    append_record(tmp_path / "plain.jsonl", {"event": "x"})  # a plain file still works
    assert (tmp_path / "plain.jsonl").read_text() == '{"event":"x"}\n'


@pytest.mark.parametrize("name", ["decisions.db", "metrics.db"])
def test_a_mode_000_database_is_one_sentence(aurora_home: AuroraHome, name: str) -> None:
    uid = 65534 if os.getuid() == 0 else os.getuid()
    home = Path(tempfile.mkdtemp(prefix="aurora-db000-"))
    try:
        DecisionLedger(home / "decisions.db")
        Telemetry(home / "metrics.db")
        for path in (home, *home.iterdir()):
            os.chown(path, uid, uid)
        (home / name).chmod(0)
        ctx = multiprocessing.get_context("fork")
        results = ctx.Queue()
        warm = str(aurora_home.root)
        child = ctx.Process(target=_run_as, args=(uid, str(home), warm, ["audit"], results))
        child.start()
        code, err = results.get(timeout=120)
        child.join(timeout=30)
        assert code == 1 and err.count("\n") == 1 and err.startswith("aurora: "), err
        assert name in err and "cannot be used" in err
        assert not list(home.glob("*.damaged-*"))  # not damaged: left where it is
    finally:
        shutil.rmtree(home, ignore_errors=True)
