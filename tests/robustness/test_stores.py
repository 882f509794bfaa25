"""The consent and provider stores under races, bad input and damaged files."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.core.errors import ConsentDenied
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.policy.consent import (
    ConsentAnswer,
    ConsentBroker,
    ConsentReply,
    ConsentRequest,
    ConsentStore,
)
from tests.support.cli import aurora, one_line_error
from tests.support.races import race as _race

RACES = 50
RACE_BOUND_S = 240.0  # all 50 races of one kind, on a loaded 2-core machine


def _scopes(home: AuroraHome) -> set[str]:
    return {g.scope for g in ConsentStore(home.root / "consents.json").grants()}


def test_parallel_grants_lose_nothing(aurora_home: AuroraHome) -> None:
    started, lost = time.monotonic(), 0
    expected: set[str] = set()
    for race in range(RACES):
        scopes = [f"cloud.send:r{race}-{n}" for n in range(4)]
        results = _race(aurora_home.root, [["consent", "grant", s] for s in scopes])
        assert all(code == 0 and out.startswith("Granted") for code, out, _ in results.values())
        expected |= set(scopes)
        lost += len(set(scopes) - _scopes(aurora_home))
        assert time.monotonic() - started < RACE_BOUND_S
    print(f"\n{RACES} races of 4 parallel grants: {lost} lost updates")
    assert lost == 0
    assert _scopes(aurora_home) == expected


def test_revoke_racing_grant_loses_nothing_and_revoked_means_gone(
    aurora_home: AuroraHome,
) -> None:
    store = ConsentStore(aurora_home.root / "consents.json")
    started, lost = time.monotonic(), 0
    for race in range(RACES):
        old, new, same = (f"cloud.send:{k}{race}" for k in ("old", "new", "same"))
        store.grant(old)
        results = _race(
            aurora_home.root,
            [
                ["consent", "revoke", old],
                ["consent", "grant", new],
                ["consent", "grant", same],
                ["consent", "revoke", same],
            ],
        )
        now = _scopes(aurora_home)
        code, out, _ = results[("consent", "revoke", old)]
        lost += code != 0 or not out.startswith("Revoked") or old in now
        lost += new not in now
        code, out, err = results[("consent", "revoke", same)]
        if out.startswith("Revoked"):
            lost += same in now  # the revoke saw the grant, so it came after it
        else:
            assert code == 1 and "nothing to revoke" in err
            lost += same not in now
        assert time.monotonic() - started < RACE_BOUND_S
    print(f"\n{RACES} races of revoke against grant: {lost} lost or wrong outcomes")
    assert lost == 0


def test_parallel_grants_through_the_real_command(aurora_home: AuroraHome) -> None:
    """Three races of `python -m aurora_desktop consent grant` as separate programs."""
    import subprocess

    for race in range(3):
        scopes = [f"cloud.send:p{race}-{n}" for n in range(4)]
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "aurora_desktop", "consent", "grant", s],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for s in scopes
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0 and out.startswith("Granted"), err
        assert set(scopes) <= _scopes(aurora_home)


@pytest.mark.parametrize("days", ["inf", "1e10", "-1", "nan", "0", "-inf", "3651"])
def test_consent_days_out_of_range_are_refused(aurora_home: AuroraHome, days: str) -> None:
    line = one_line_error(aurora("consent", "grant", "cloud.send:acme", f"--days={days}"))
    assert "3,650 days" in line
    assert not (aurora_home.root / "consents.json").exists()
    listed = aurora("consent", "list")
    assert listed.returncode == 0 and listed.stdout == ""


@pytest.mark.parametrize("scope", ["", "   ", "cloud.send:", "nonsense", "x:y", "cloud.send:a\nb"])
def test_empty_or_unknown_scopes_are_refused(aurora_home: AuroraHome, scope: str) -> None:
    line = one_line_error(aurora("consent", "grant", scope))
    assert "scope" in line
    assert not (aurora_home.root / "consents.json").exists()


def test_the_longest_consent_is_kept_and_listed(aurora_home: AuroraHome) -> None:
    assert aurora("consent", "grant", "cloud.send:acme", "--days", "3650").returncode == 0
    listed = aurora("consent", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("cloud.send:acme  until 20")


@pytest.mark.parametrize(
    "bad",
    [
        {"scope": "cloud.send:huge", "granted_at": 1.0, "expires_at": 1e300},
        {"scope": "cloud.send:nan", "granted_at": 1.0, "expires_at": float("nan")},
        {"scope": "cloud.send:inf", "granted_at": 1.0, "expires_at": float("inf")},
        {"scope": "cloud.send:str", "granted_at": "yesterday", "expires_at": None},
        {"scope": ["cloud.send:list"], "granted_at": 1.0, "expires_at": None},
        {"scope": "", "granted_at": 1.0, "expires_at": None},
        {"scope": "cloud.send:bool", "granted_at": True, "expires_at": None},
        "not an object",
    ],
)
def test_a_bad_stored_entry_is_skipped_with_a_warning(aurora_home: AuroraHome, bad: Any) -> None:
    aurora_home.root.mkdir(parents=True, exist_ok=True)
    good = {"scope": "cloud.send:good", "granted_at": time.time(), "expires_at": None}
    (aurora_home.root / "consents.json").write_text(json.dumps([bad, good]))
    listed = aurora("consent", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == "cloud.send:good  until revoked\n"
    (warning,) = listed.stderr.splitlines()
    assert warning.startswith("aurora: warning: 1 entry in ")
    assert warning.endswith("is ignored, so it grants nothing.")
    assert aurora("consent", "grant", "cloud.send:other").returncode == 0
    kept = json.loads((aurora_home.root / "consents.json").read_text())
    assert len(kept) == 3  # the bad entry is left for the user to see, not silently dropped


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe not utf-8",
        b"{not json",
        b'{"a": 1}',
        b"[" * 100_000,
        b"[]" + b" " * 5_000_000,
        b'[{"unexpected": [1, "two", null]}, 3.5]',
    ],
)
def test_a_damaged_consent_file_gives_one_sentence(aurora_home: AuroraHome, raw: bytes) -> None:
    aurora_home.root.mkdir(parents=True, exist_ok=True)
    (aurora_home.root / "consents.json").write_bytes(raw)
    for command in (("consent", "list"), ("consent", "grant", "cloud.send:x")):
        line = one_line_error(aurora(*command))
        assert "consents.json" in line
    assert (aurora_home.root / "consents.json").read_bytes() == raw  # never overwritten


def test_audit_limit_out_of_range_is_one_sentence() -> None:
    for limit in (str(10**30), "0", "-5", "1e3"):
        line = one_line_error(aurora("audit", "--limit", limit))
        assert "1 to 1,000,000" in line
    assert aurora("audit", "--limit", "1000000").returncode == 0


# -- cloud providers ------------------------------------------------------------------------

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
LOOPBACK = ("--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--no-key")


def _providers(home: AuroraHome) -> set[str]:
    data = json.loads((home.root / "providers.json").read_text(encoding="utf-8"))
    return {row["name"] for row in data["providers"]}


def test_parallel_provider_adds_lose_nothing(aurora_home: AuroraHome) -> None:
    started, lost = time.monotonic(), 0
    expected: set[str] = set()
    for race in range(RACES):
        names = [f"p{race}-{n}" for n in range(3)]
        results = _race(aurora_home.root, [["providers", "add", n, *LOOPBACK] for n in names])
        assert all(code == 0 for code, _, _ in results.values()), results
        expected |= set(names)
        lost += len(set(names) - _providers(aurora_home))
        assert time.monotonic() - started < RACE_BOUND_S
    print(f"\n{RACES} races of 3 parallel provider adds: {lost} lost updates")
    assert lost == 0
    assert _providers(aurora_home) == expected


def test_a_provider_without_a_key_needs_no_keyring(aurora_home: AuroraHome) -> None:
    proc = aurora("providers", "add", "local", *LOOPBACK, env=NO_KEYRING)
    assert proc.returncode == 0 and "needs no API key" in proc.stdout, proc.stderr
    listed = aurora("providers", "list", "--json", env=NO_KEYRING)
    assert listed.returncode == 0, listed.stderr
    assert [(r["name"], r["key"]) for r in json.loads(listed.stdout)] == [("local", None)]
    assert aurora("providers", "remove", "local", env=NO_KEYRING).returncode == 0


def test_a_key_cannot_be_stored_without_a_keyring(aurora_home: AuroraHome) -> None:
    proc = aurora(
        "providers", "add", "acme", "--base-url", "https://acme.test/v1", "--model", "m",
        "--key-stdin", stdin="sk-test-1234567890abcdef\n", env=NO_KEYRING,
    )  # fmt: skip
    assert "keyring" in one_line_error(proc)
    assert not (aurora_home.root / "providers.json").exists()


DAMAGED_PROVIDERS = {
    "invalid-utf8": b'\xff\xfe{"version": 1}',
    "invalid-json": b'{"version": 1, "providers": [',
    "wrong-schema": b'{"version": 1, "providers": [{"name": "BAD", "model": 3}]}',
    "not-an-object": b"[1, 2, 3]",
    "deep": b"[" * 100_000,
    "huge": b'{"version": 1, "providers": []}' + b" " * 2_000_000,
}


@pytest.mark.parametrize("kind", sorted(DAMAGED_PROVIDERS))
def test_a_damaged_provider_file_is_one_sentence_for_provider_commands(
    aurora_home: AuroraHome, kind: str
) -> None:
    aurora_home.root.mkdir(parents=True, exist_ok=True)
    path = aurora_home.root / "providers.json"
    path.write_bytes(DAMAGED_PROVIDERS[kind])
    assert "providers.json" in one_line_error(aurora("providers", "list"))
    assert "providers.json" in one_line_error(aurora("providers", "add", "x", *LOOPBACK))
    assert path.read_bytes() == DAMAGED_PROVIDERS[kind]
    route = aurora("route", "--json", json.dumps({"prompt": "Write an essay.", "task": "chat"}))
    assert route.returncode == 0 and "Traceback" not in route.stderr


@pytest.mark.model
@pytest.mark.parametrize("kind", sorted(DAMAGED_PROVIDERS))
def test_a_damaged_provider_file_does_not_stop_a_local_answer(
    model_home: AuroraHome, kind: str
) -> None:
    (model_home.root / "providers.json").write_bytes(DAMAGED_PROVIDERS[kind])
    proc = aurora("ask", "--json", "--task", "chat", "--max-tokens", "8", "hello there")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["target"] == "local" and answer["text"]
    reasons = [f for f in answer.get("fallbacks", []) if "providers.json" in f]
    assert len(reasons) <= 1 and proc.stderr.count("providers.json") <= 1


@pytest.mark.model
def test_no_keyring_still_answers_locally(model_home: AuroraHome) -> None:
    add = aurora(
        "providers", "add", "acme", "--base-url", "https://acme.test/v1", "--model", "m",
        "--key-stdin", stdin="sk-test-1234567890abcdef\n",
    )  # fmt: skip
    assert add.returncode == 0, add.stderr
    proc = aurora("ask", "--task", "chat", "--max-tokens", "8", "hello there", env=NO_KEYRING)
    assert proc.returncode == 0 and proc.stdout.strip(), proc.stderr
    assert "Traceback" not in proc.stderr


# -- temp files left by a kill -------------------------------------------------------------


def _killed_while_writing(path: Path) -> None:
    """A child that dies inside `atomic_writer`, as a kill at the wrong moment does."""
    from aurora_desktop.core.atomic import atomic_writer

    with atomic_writer(path) as handle:
        handle.write(b"half a file")
        handle.flush()
        os._exit(9)


def test_stale_temp_files_are_swept_and_live_ones_kept(aurora_home: AuroraHome) -> None:
    assert aurora("consent", "list").returncode == 0
    root = aurora_home.root
    ctx = multiprocessing.get_context("fork")
    for target in (
        root / "consents.json",
        root / "trust" / "k.pub.json",
        root / "models" / "m.json",
    ):
        child = ctx.Process(target=_killed_while_writing, args=(target,))
        child.start()
        child.join(timeout=60)
        assert child.exitcode == 9
    left = sorted(
        p for folder in (root, root / "trust", root / "models") for p in folder.glob(".*.part")
    )
    assert len(left) == 3
    old = time.time() - 3600
    for path in left:
        os.utime(path, (old, old))
    fresh = root / ".providers.json.abcd_123.part"  # a write happening right now
    fresh.write_bytes(b"{")
    staging = root / "models" / ".staging" / "llm-x-1"
    staging.mkdir(parents=True)
    download = staging / ".model.gguf.k2j3h4g5.part"  # a paused download: resumable, kept
    download.write_bytes(b"GGUF")
    outside = root.parent / "outside.txt"
    outside.write_text("keep")
    link = root / ".evil.zzzzzzzz.part"
    link.symlink_to(outside)
    for path in (download, link):
        os.utime(path, (old, old), follow_symlinks=False)
    assert aurora("consent", "list").returncode == 0
    assert not any(p.exists() for p in left)
    assert fresh.exists() and download.exists() and link.is_symlink()
    assert outside.read_text() == "keep"
    assert not (root / "consents.json").exists()  # the killed write never replaced anything


def test_a_stored_lone_surrogate_does_not_break_the_next_grant(aurora_home: AuroraHome) -> None:
    aurora_home.root.mkdir(parents=True, exist_ok=True)
    path = aurora_home.root / "consents.json"
    path.write_text(
        '[{"scope": "cloud.send:\\ud800", "granted_at": 1.0, "expires_at": null}, '
        '{"scope": "cloud.send:old", "granted_at": 1.0, "expires_at": null}]'
    )
    proc = aurora("consent", "grant", "cloud.send:acme")
    assert proc.returncode == 0, proc.stderr
    assert [g.scope for g in ConsentStore(path).grants()] == ["cloud.send:old", "cloud.send:acme"]


def test_a_damaged_consent_file_grants_nothing_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "consents.json"
    path.write_bytes(b"\xff\xfe not json")
    asked: list[ConsentRequest] = []

    def ask(request: ConsentRequest) -> ConsentReply:
        asked.append(request)
        return ConsentReply(ConsentAnswer.ALLOW_ALWAYS)

    broker = ConsentBroker(ConsentStore(path), ask)
    request = ConsentRequest(scope="cloud.send:acme", recipient="acme", why="test", preview="hi")
    with pytest.raises(ConsentDenied, match=r"consents\.json is damaged"):
        broker.require(request)  # a denial: a request that can stay local falls back
    assert asked == [] and path.read_bytes() == b"\xff\xfe not json"
