"""The watched user files (router policy, banned words, labels, settings): a typo or a hostile
file in place falls back to the user's last valid version, also in a new process, with one
sentence saying so; read-modify-write updates from parallel processes lose nothing."""

from __future__ import annotations

import copy
import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.core.cognition.labelsets import LabelSetsFile
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.policy.banned import BannedWord
from aurora_desktop.core.policy.banned_file import BannedWordsFile
from aurora_desktop.core.resources import resource_path
from aurora_desktop.core.routing.policy import DEFAULT_POLICY
from aurora_desktop.core.routing.policy_file import PolicyFile
from aurora_desktop.core.settings import SettingsFile
from tests.support.cli import aurora

SHIPPED_LABELS = resource_path("cognition/labels.json")
MY_RULE = "my chats stay on this device"


def my_policy() -> dict[str, Any]:
    """A valid custom policy: everything local, and a rule of the user's own."""
    data = copy.deepcopy(DEFAULT_POLICY)
    data["defaults"]["target"] = "local"
    data["rules"].insert(
        1,
        {
            "name": MY_RULE,
            "if": {"task": ["chat"]},
            "then": {"target": "local", "fallback": "none"},
        },
    )
    return data


def policy_typo() -> str:
    data = my_policy()
    data["defaults"]["fallback"] = "nowhere"
    return json.dumps(data)


def my_labels() -> dict[str, Any]:
    data = json.loads(SHIPPED_LABELS.read_text(encoding="utf-8"))
    data["sets"]["mood"] = {"labels": {"happy": ["yay"], "sad": ["meh"]}}
    return data


def labels_typo() -> str:
    data = my_labels()
    data["sets"]["mood"]["labels"]["happy"] = "yay"  # a string where a list belongs
    return json.dumps(data)


@dataclass(frozen=True)
class Kind:
    """One watched file: how to make its valid custom version, a typo, and what is in force."""

    name: str
    make_valid: Callable[[Path], None]  # writes the user's valid version through a live object
    typo: str
    is_mine: Callable[[Path], bool]  # a fresh object (a new process) has the user's version
    warning: Callable[[Path], str | None]  # the warning of a fresh object


def _policy_valid(path: Path) -> None:
    path.write_text(json.dumps(my_policy()), encoding="utf-8")
    assert PolicyFile(path).current().default_target == "local"


def _policy_mine(path: Path) -> bool:
    policy = PolicyFile(path).current()
    return policy.default_target == "local" and policy.rules[1].name == MY_RULE


def _policy_warning(path: Path) -> str | None:
    live = PolicyFile(path)
    live.current()
    return live.warning


def _labels_valid(path: Path) -> None:
    path.write_text(json.dumps(my_labels()), encoding="utf-8")
    assert "mood" in LabelSetsFile(path, SHIPPED_LABELS).current().sets


def _labels_mine(path: Path) -> bool:
    return "mood" in LabelSetsFile(path, SHIPPED_LABELS).current().sets


def _labels_warning(path: Path) -> str | None:
    live = LabelSetsFile(path, SHIPPED_LABELS)
    live.current()
    return live.warning


def _settings_valid(path: Path) -> None:
    SettingsFile(path).update(language="ko", idle_unload_min=7)


def _settings_mine(path: Path) -> bool:
    current = SettingsFile(path).current()
    return current.language == "ko" and current.idle_unload_min == 7


def _settings_warning(path: Path) -> str | None:
    return SettingsFile(path).warning


def _banned_valid(path: Path) -> None:
    BannedWordsFile(path).save([BannedWord("project titan", "block")])


def _banned_mine(path: Path) -> bool:
    return [w.word for w in BannedWordsFile(path)().words] == ["project titan"]


def _banned_warning(path: Path) -> str | None:
    live = BannedWordsFile(path)
    live()
    return live.warning


KINDS = {
    "model_router.json": Kind(
        "model_router.json", _policy_valid, policy_typo(), _policy_mine, _policy_warning
    ),
    "labels.json": Kind("labels.json", _labels_valid, labels_typo(), _labels_mine, _labels_warning),
    "settings.json": Kind(
        "settings.json",
        _settings_valid,
        '{"version": 1, "language": "kr", "idle_unload_min": 7}',
        _settings_mine,
        _settings_warning,
    ),
    "banned_words.json": Kind(
        "banned_words.json",
        _banned_valid,
        '[{"word": "project titan", "action": "blok"}]',
        _banned_mine,
        _banned_warning,
    ),
}


def assert_one_sentence(warning: str | None, name: str) -> None:
    assert warning, "no warning"
    assert "\n" not in warning and "Traceback" not in warning
    assert warning.endswith(".") and len(warning) < 600, warning
    assert name in warning and "last valid" in warning, warning


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_typo_falls_back_to_the_last_valid_version_in_a_new_process(
    tmp_path: Path, name: str
) -> None:
    kind = KINDS[name]
    path = tmp_path / name
    kind.make_valid(path)
    assert (tmp_path / f"{name}.last-good").is_file()
    path.write_text(kind.typo, encoding="utf-8")
    assert kind.is_mine(path)  # a fresh object knows nothing but the files on disk
    assert_one_sentence(kind.warning(path), name)
    assert path.read_text(encoding="utf-8") == kind.typo  # left for the user to fix


def _hostile_deep(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


def _hostile_nested(path: Path) -> None:
    path.write_text("[" * 500 + "]" * 500, encoding="utf-8")  # within Python's recursion


def _hostile_utf8(path: Path) -> None:
    path.write_bytes(b'{"version": 1, "language": "\xff\xfe"}')


def _hostile_huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)


def _hostile_fifo(path: Path) -> None:
    os.mkfifo(path)


def _hostile_link(path: Path) -> None:
    elsewhere = path.parent / "elsewhere" / path.name
    elsewhere.parent.mkdir(exist_ok=True)
    elsewhere.write_text(KINDS[path.name].typo, encoding="utf-8")
    path.symlink_to(elsewhere)


def _hostile_nan(path: Path) -> None:
    path.write_text('{"version": 1, "idle_unload_min": NaN, "x": 1e999}', encoding="utf-8")


def _hostile_surrogate(path: Path) -> None:
    path.write_text('[{"word": "\\ud800 titan", "action": "block"}]', encoding="utf-8")


HOSTILE = {
    "surrogate": _hostile_surrogate,
    "deep": _hostile_deep,
    "nested": _hostile_nested,
    "utf8": _hostile_utf8,
    "50MB": _hostile_huge,
    "fifo": _hostile_fifo,
    "symlink": _hostile_link,
    "nan": _hostile_nan,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("hostile", sorted(HOSTILE))
@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_hostile_file_in_place_falls_back_at_once(
    tmp_path: Path, name: str, hostile: str
) -> None:
    kind = KINDS[name]
    path = tmp_path / name
    kind.make_valid(path)
    path.unlink()
    HOSTILE[hostile](path)
    started = time.monotonic()
    assert kind.is_mine(path)
    assert_one_sentence(kind.warning(path), name)
    assert time.monotonic() - started < 10


DEFAULTED = {
    "model_router.json": "the built-in routing policy is used",
    "labels.json": "the shipped label sets are used",
    "settings.json": "Aurora uses the default settings",
    "banned_words.json": "no request is answered",
}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_broken_last_good_copy_is_not_trusted(tmp_path: Path, name: str) -> None:
    kind = KINDS[name]
    path = tmp_path / name
    kind.make_valid(path)
    (tmp_path / f"{name}.last-good").write_text(kind.typo, encoding="utf-8")
    path.write_text(kind.typo, encoding="utf-8")
    try:
        assert not kind.is_mine(path)
        warning = kind.warning(path)
    except ConfigError as exc:  # banned words with nothing valid kept: refused (fails closed)
        assert name == "banned_words.json"
        warning = str(exc)
    assert warning and DEFAULTED[name] in warning and name in warning, warning


def test_the_last_good_copy_follows_the_file_back_to_an_earlier_version(tmp_path: Path) -> None:
    path = tmp_path / "model_router.json"
    live = PolicyFile(path)
    mine = my_policy()
    path.write_text(json.dumps(mine), encoding="utf-8")
    assert live.current().default_target == "local"
    path.write_text(json.dumps(DEFAULT_POLICY), encoding="utf-8")
    assert live.current().default_target == "cloud"
    path.write_text(json.dumps(mine), encoding="utf-8")  # the same bytes as the first version
    assert live.current().default_target == "local"
    path.write_text(policy_typo(), encoding="utf-8")
    assert PolicyFile(path).current().default_target == "local"


def test_temp_files_a_killed_writer_left_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    stale = [tmp_path / ".settings.json.k1ll3d.part", tmp_path / ".settings.json.last-good.x.part"]
    for leftover in stale:
        leftover.write_text("{half")
    other = tmp_path / ".consents.json.abc.part"  # not this file's: left alone
    other.write_text("[")
    SettingsFile(path).update(language="ko")
    assert not any(p.exists() for p in stale) and other.exists()
    assert SettingsFile(path).current().language == "ko"


def test_an_invalid_save_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "model_router.json"
    live = PolicyFile(path)
    live.current()
    before = path.read_bytes()
    good = (tmp_path / "model_router.json.last-good").read_bytes()
    with pytest.raises(ConfigError, match="defaults"):
        live.save(policy_typo())
    with pytest.raises(ConfigError, match="nests"):
        live.save("[" * 100_000)
    assert path.read_bytes() == before
    assert (tmp_path / "model_router.json.last-good").read_bytes() == good


# -- a new process: `aurora route` and `aurora ask --json` -----------------------------------


def test_route_in_a_new_process_keeps_the_users_last_valid_policy(aurora_home: AuroraHome) -> None:
    request = json.dumps({"prompt": "write me a long story", "task": "generate_long"})
    aurora_home.root.mkdir(parents=True, exist_ok=True)
    router = aurora_home.root / "model_router.json"
    router.write_text(json.dumps(my_policy()), encoding="utf-8")
    first = aurora("route", "--json", "-", stdin=request)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["target"] == "local"
    router.write_text(policy_typo(), encoding="utf-8")
    second = aurora("route", "--json", "-", stdin=request)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["target"] == "local"  # not the built-in generate_long → cloud
    assert "model_router.json" in second.stderr and "last valid" in second.stderr


@pytest.mark.model
def test_ask_json_warns_and_uses_the_last_valid_files(model_home: AuroraHome) -> None:
    root = model_home.root
    for name in ("model_router.json", "labels.json", "settings.json"):
        KINDS[name].make_valid(root / name)
    clean = aurora("ask", "--json", "--task", "chat", "--max-tokens", "2", "Say hi.")
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["warnings"] == []
    for name in ("model_router.json", "labels.json", "settings.json"):
        (root / name).write_text(KINDS[name].typo, encoding="utf-8")

    proc = aurora("ask", "--json", "--task", "chat", "--max-tokens", "2", "Say hi.")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["target"] == "local" and MY_RULE in data["why"]
    warnings = data["warnings"]
    assert len(warnings) == 3, warnings
    for name in ("model_router.json", "labels.json", "settings.json"):
        (warning,) = [w for w in warnings if name in w]
        assert_one_sentence(warning, name)

    plain = aurora("ask", "--task", "chat", "--max-tokens", "2", "Say hi.")
    assert plain.returncode == 0, plain.stderr
    lines = [line for line in plain.stderr.splitlines() if line.startswith("aurora: warning: ")]
    assert len(lines) == 3, plain.stderr


# -- parallel read-modify-write ----------------------------------------------------------------

ROUNDS = 50
FIELDS: dict[str, Callable[[int], Any]] = {
    "idle_unload_min": lambda n: n + 1,
    "consent_timeout_s": lambda n: n + 10,
    "language": lambda n: ("en", "ko", "system")[n % 3],
    "start_at_login": lambda n: n % 2 == 1,
}


def _settings_worker(path: str, field: str, start: Any, done: Any) -> None:
    """Keeps one SettingsFile for all rounds, as a running app does, and changes one field."""
    settings = SettingsFile(Path(path))
    for round_no in range(ROUNDS):
        start.wait(timeout=60)
        settings.update(**{field: FIELDS[field](round_no)})
        done.wait(timeout=60)


def test_parallel_settings_updates_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    ctx = multiprocessing.get_context("spawn")
    start, done = ctx.Barrier(len(FIELDS) + 1), ctx.Barrier(len(FIELDS) + 1)
    workers = [
        ctx.Process(target=_settings_worker, args=(str(path), field, start, done))
        for field in FIELDS
    ]
    for worker in workers:
        worker.start()
    lost = 0
    try:
        for round_no in range(ROUNDS):
            start.wait(timeout=60)
            done.wait(timeout=60)
            data = json.loads(path.read_text(encoding="utf-8"))
            lost += sum(data[field] != value(round_no) for field, value in FIELDS.items())
    finally:
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    assert [w.exitcode for w in workers] == [0] * len(FIELDS)
    assert lost == 0, f"{lost} lost updates in {ROUNDS} rounds"
    last_good = json.loads((tmp_path / "settings.json.last-good").read_text(encoding="utf-8"))
    assert last_good == json.loads(path.read_text(encoding="utf-8"))


KILLS = 30
_UPDATER = """
import sys
from pathlib import Path
from aurora_desktop.core.settings import SettingsFile
settings = SettingsFile(Path(sys.argv[1]))
print("ready", flush=True)
n = 0
while True:
    n += 1
    settings.update(idle_unload_min=n % 1440 + 1)
"""


def test_a_kill_at_any_moment_leaves_valid_files(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    SettingsFile(path).update(language="ko")
    rng = random.Random(14)
    for _ in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c", _UPDATER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.05))
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
        fresh = SettingsFile(path)
        assert fresh.warning is None and fresh.current().language == "ko"
        good = json.loads((tmp_path / "settings.json.last-good").read_text(encoding="utf-8"))
        assert good["language"] == "ko"
    SettingsFile(path).update(language="en")
    assert not list(tmp_path.glob(".settings.json.*.part"))
