"""Every file the user owns in the data folder, damaged every way, under the main commands.

A template data folder is filled the way a user fills it (providers, consents, a trusted key,
settings, a custom router policy, banned words, label sets, the ledgers and databases), then
for every file in it (and the ones Aurora creates later) by every kind of damage, each main
command runs on its own copy. Every case must keep `cli_runner.judge`'s rule (success, or one
"aurora: " sentence; no traceback, signal or hang) and write nothing outside the data folder
(a link in place of a file points at a decoy outside it). Where issue 14 says how a damage is
handled, that is checked too:

- with a damaged `decisions.db` or `metrics.db` every command ends as it does on the undamaged
  folder, and one SQLite cannot open at all is moved aside (`<name>.damaged-<time>`);
- a damaged `model_router.json` falls back to the user's last valid policy (not the built-in
  one), with a warning on stderr;
- a damaged `providers.json` does not stop a local answer: `ask` fails, as on the undamaged
  folder, only because no model is installed.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aurora_desktop.core.resources import resource_path
from aurora_desktop.core.routing.policy import DEFAULT_POLICY
from tests.robustness.cli_runner import (
    ForkServer,
    Outcome,
    Sandbox,
    changes,
    describe,
    judge,
    snapshot,
)
from tests.robustness.conftest import Tally
from tests.robustness.test_cli_fuzz import new_key_file

pytestmark = pytest.mark.robustness

_PER = os.environ.get("AURORA_MATRIX_COMMANDS", "all")
PER_DAMAGE = None if _PER == "all" else max(1, int(_PER))  # commands per (file, damage)
BOUND_S = 10.0  # a normal case takes 0.1-1 s
PARALLEL = 3
HUGE = 50 * 1024 * 1024
PROVIDER = "loop"
LONG_REQUEST = {"prompt": "Write a long story about the sea.", "task": "generate_long"}
CUSTOM_RULE = {
    "name": "long writing stays here",
    "if": {"task": "generate_long"},
    "then": {"target": "local", "fallback": "none"},
}

COMMANDS: dict[str, list[str]] = {
    "models list": ["models", "list"],
    "models trust list": ["models", "trust", "list"],
    "ask --json": ["ask", "--json", "hello there"],
    "consent list": ["consent", "list"],
    "consent grant": ["consent", "grant", "cloud.send:other"],
    "providers list": ["providers", "list"],
    "route -": ["route", "--json", "-"],
    "audit": ["audit"],
    "stats": ["stats"],
    "rag query": ["rag", "query", "notes"],
}

FALLBACK_COMMANDS = ("models list", "ask --json", "rag query")  # for a file nothing opened yet

# Files that may not exist yet in a used data folder but that Aurora reads when they do.
KNOWN_FILES = [
    "consents.json",
    "providers.json",
    "settings.json",
    "model_router.json",
    "banned_words.json",
    "labels.json",
    "ledger.jsonl",
    "decisions.db",
    "metrics.db",
    "models/model_manifest.json",
    "trust/revoked.json",
    "trust/seal.json",
    "rag/documents.db",
    "rag/vectors.faiss",
]
SQLITE_FILES = ("decisions.db", "metrics.db")
CONTENT_DAMAGES = ("truncated", "garbage", "wrong-schema", "invalid-utf8", "huge")
PLACE_DAMAGES = ("symlink-out", "folder", "fifo", "mode-000")
DAMAGES = CONTENT_DAMAGES + PLACE_DAMAGES


# -- the template data folder -------------------------------------------------------------


def _custom_router() -> str:
    policy = copy.deepcopy(DEFAULT_POLICY)
    policy["rules"] = [CUSTOM_RULE, *policy["rules"]]
    return json.dumps(policy, indent=2) + "\n"


def _settings() -> str:
    from aurora_desktop.core.settings import Settings

    return json.dumps(Settings().to_json(), indent=2) + "\n"


def build_template(box: Sandbox, server: ForkServer) -> list[str]:
    """Fill the template as a user would; returns the notes of seed commands that failed."""
    home = box.template
    (home / "model_router.json").write_text(_custom_router())
    (home / "settings.json").write_text(_settings())
    (home / "banned_words.json").write_text('[{"word": "forbiddenword", "action": "block"}]\n')
    shutil.copy(resource_path("cognition/labels.json"), home / "labels.json")
    key = box.outside / "keys" / "user.pub.json"
    key.parent.mkdir(parents=True)
    key.write_text(new_key_file())
    request = box.outside / "keys" / "long-request.json"
    request.write_text(json.dumps(LONG_REQUEST))
    seeds: list[tuple[list[str], Path | None]] = [
        (["providers", "add", PROVIDER, "--base-url", "http://127.0.0.1:9/v1", "--model", "m",
          "--no-key"], None),
        (["consent", "grant", f"cloud.send:{PROVIDER}"], None),
        (["models", "trust", "add", str(key)], None),
        (["route", "--json", "-"], request),  # the custom policy is read once: now it is known good
        (["ask", "--json", "hello there"], None),
        (["models", "list"], None),
        (["audit"], None),
        (["stats"], None),
        (["rag", "query", "notes"], None),
    ]  # fmt: skip
    notes = []
    for argv, stdin in seeds:
        case = box.new_case(argv, home=home, stdin=stdin)
        outcome = judge(case, server.run([case])[0], "seed", BOUND_S)
        if outcome.exit != 0:
            notes.append(describe(outcome))
    return notes


def user_files(template: Path) -> list[str]:
    """Every regular file in the template, and the known ones it does not hold yet."""
    found = {
        str(p.relative_to(template))
        for p in template.rglob("*")
        if p.is_file() and not p.is_symlink() and "models/llm" not in str(p)
    }
    return sorted(found | set(KNOWN_FILES))


# -- damage -------------------------------------------------------------------------------


def damage(path: Path, kind: str, decoys: Path) -> None:
    """Damage the file at `path` in one way (creating it first when it does not exist)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    original = path.read_bytes() if path.is_file() else _plausible(path)
    if path.exists() or path.is_symlink():
        path.unlink()
    if kind == "truncated":
        path.write_bytes(original[: max(1, len(original) // 2)])
    elif kind == "garbage":
        path.write_bytes(b"\x00\x01garbage{{{ not json, not a database \xfe" * 50)
    elif kind == "wrong-schema":
        _wrong_schema(path)
    elif kind == "invalid-utf8":
        middle = len(original) // 2
        path.write_bytes(original[:middle] + b"\xff\xfe\xc3\x28" + original[middle:])
    elif kind == "huge":  # sparse: 50 MB on the size check and the read, little on the disk
        with path.open("wb") as f:
            f.write(original)
            f.truncate(HUGE)
    elif kind == "symlink-out":
        target = decoys / path.name
        target.write_bytes(original)
        path.symlink_to(target)
    elif kind == "folder":
        path.mkdir()
        (path / "inside.txt").write_text("a folder where a file should be\n")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "mode-000":
        path.write_bytes(original)
        path.chmod(0)
    else:
        raise ValueError(kind)


def _plausible(path: Path) -> bytes:
    if path.suffix == ".db":
        return b"SQLite format 3\x00" + b"\x00" * 4080
    if path.suffix == ".jsonl":
        return b'{"ts": 1, "event": "x"}\n'
    return b'{"version": 1}\n'


def _wrong_schema(path: Path) -> None:
    if path.suffix == ".db":  # a real database, of something else
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE unrelated (x TEXT)")
            db.execute("INSERT INTO unrelated VALUES ('not aurora')")
        db.close()
    elif path.suffix == ".jsonl":
        path.write_text('[1, 2]\n"text"\n{"ts": "yesterday", "event": 5}\nnull\n')
    else:
        path.write_text('[{"unexpected": [1, "two", null]}, 3.5, {"version": "x"}]\n')


# -- running ------------------------------------------------------------------------------


Job = tuple[str | None, str, str]  # (file in the data folder or None, damage, command)


@dataclass
class Ran:
    rel: str | None
    kind: str
    spec: dict[str, Any]
    outcome: Outcome


def _label(rel: str | None, kind: str, name: str) -> str:
    return f"{rel} {kind} / {name}" if rel else f"undamaged / {name}"


class Matrix:
    """The template, the undamaged baseline of every command, and a way to run cases."""

    def __init__(self, box: Sandbox, server: ForkServer, seed_notes: list[str]) -> None:
        self.box = box
        self.server = server
        self.seed_notes = seed_notes
        self.decoys = box.outside / "decoy"
        self.request = box.outside / "keys" / "long-request.json"
        self.files = user_files(box.template)
        self._unusable: dict[tuple[str, str], bool] = {}
        self.opened: dict[str, set[str]] = {}
        ran = self.run_jobs([(None, "", name) for name in COMMANDS], record=True)
        self.baseline = {name: one.outcome for name, one in zip(COMMANDS, ran, strict=True)}

    def commands_for(self, rel: str) -> list[str]:
        """The commands that open `rel` on the undamaged folder (all, if it is not there yet).

        A command that never opens a file cannot be hurt by its damage; skipping those pairs
        keeps the matrix within its time budget. A file not in the template yet also goes to
        the commands that opened its neighbours, and one nothing touched to FALLBACK_COMMANDS.
        """
        wanted = [name for name in COMMANDS if rel in self.opened[name]]  # tried, even if absent
        if not (self.box.template / rel).exists():
            folder = str(Path(rel).parent)
            wanted += [
                name
                for name in COMMANDS
                if name not in wanted
                and folder != "."
                and any(str(Path(p).parent) == folder for p in self.opened[name])
            ]
        if wanted or rel.endswith(".lock"):  # a lock nobody takes cannot matter
            return wanted
        return list(FALLBACK_COMMANDS)

    def unusable(self, rel: str, kind: str) -> bool:
        """Whether this damage leaves an SQLite file SQLite cannot use (judged on a copy)."""
        key = (rel, kind)
        if key not in self._unusable:
            probe = self.box.root / "probe"
            shutil.rmtree(probe, ignore_errors=True)
            shutil.copytree(self.box.template, probe, symlinks=True)
            damage(probe / rel, kind, self.decoys)
            self._unusable[key] = sqlite_unusable(probe / rel)
            shutil.rmtree(probe, ignore_errors=True)
            self._restore_decoys()
        return self._unusable[key]

    def case(self, name: str, home: Path) -> dict[str, Any]:
        stdin = self.request if name == "route -" else None
        return self.box.new_case(COMMANDS[name], home=home, stdin=stdin, timeout_s=BOUND_S)

    def run_jobs(self, jobs: list[Job], record: bool = False) -> list[Ran]:
        """Run (file, damage, command) jobs, each on its own damaged copy, all in one batch."""
        specs = []
        for rel, kind, name in jobs:
            home = self.box.root / "homes" / f"m{self.box.counter}-{len(specs)}"
            shutil.copytree(self.box.template, home, symlinks=True)
            if rel is not None:
                damage(home / rel, kind, self.decoys)
            spec = self.case(name, home)
            if record:
                spec["record_opens"] = str(self.box.root / "io" / f"{name}.opened")
            specs.append(spec)
        before = snapshot(self.box.outside)
        results = self.server.run(specs, parallel=PARALLEL)
        ran = [
            Ran(rel, kind, spec, judge(spec, result, _label(rel, kind, name), BOUND_S))
            for (rel, kind, name), spec, result in zip(jobs, specs, results, strict=True)
        ]
        if record:
            for (_, _, name), spec in zip(jobs, specs, strict=True):
                home = Path(spec["home"])
                paths = json.loads(Path(spec["record_opens"]).read_text())
                self.opened[name] = {
                    str(Path(p).relative_to(home)) for p in paths if Path(p).is_relative_to(home)
                }
        if changes(before, snapshot(self.box.outside)):  # which case: again, one at a time
            self._restore_decoys()
            for one in ran:
                self._rerun_alone(one)
        return ran

    def _rerun_alone(self, one: Ran) -> None:
        home = Path(one.spec["home"])
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(self.box.template, home, symlinks=True)
        if one.rel is not None:
            damage(home / one.rel, one.kind, self.decoys)
        before = snapshot(self.box.outside)
        self.server.run([one.spec])
        touched = changes(before, snapshot(self.box.outside))
        if touched:
            one.outcome.problems.append("wrote outside the data folder: " + ", ".join(touched[:3]))
        self._restore_decoys()

    def _restore_decoys(self) -> None:
        shutil.rmtree(self.decoys, ignore_errors=True)
        self.decoys.mkdir()


Check = Callable[[str, str, Outcome, Path, Matrix], list[str]]


def _sqlite_moved_aside(rel: str, kind: str, o: Outcome, home: Path, m: Matrix) -> list[str]:
    if Path(rel).name not in SQLITE_FILES or kind not in CONTENT_DAMAGES:
        return []
    problems = []
    base = m.baseline[o.label.split(" / ")[-1]]
    if o.exit != base.exit:
        problems.append(f"exit {o.exit} where the undamaged folder gives {base.exit}")
    name = Path(rel).name
    if m.unusable(rel, kind) and not any(
        p.name.startswith(f"{name}.damaged-") for p in (home / rel).parent.iterdir()
    ):
        problems.append(f"the damaged {name} was not moved aside as {name}.damaged-<time>")
    return problems


def sqlite_unusable(path: Path) -> bool:
    """True if SQLite cannot even read the file's schema: no command can use it at all.

    Damage deeper in the file (a page that no query of this command reads) may go unnoticed
    until a query reaches it; then only "ends as on the undamaged folder" is asked.
    """
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            tables = db.execute("SELECT name FROM sqlite_master").fetchall()
        db.close()
    except sqlite3.DatabaseError:
        return True
    return not tables


def _router_last_good(rel: str, kind: str, o: Outcome, home: Path, m: Matrix) -> list[str]:
    if rel != "model_router.json" or not o.label.endswith("/ route -"):
        return []
    problems = []
    try:
        decision = json.loads(o.stdout.decode("utf-8"))
    except ValueError:
        return [f"route printed no decision: {o.stdout[:200]!r}"]
    if decision.get("target") != "local":
        problems.append(
            f"routed generate_long to {decision.get('target')!r}: not the user's last valid "
            "policy (which keeps it local)"
        )
    warned = any(
        line.strip() and not line.startswith("{")
        for line in o.stderr.decode("utf-8", "replace").splitlines()
    )
    if kind != "symlink-out" and not warned:
        problems.append("no warning on stderr that model_router.json is damaged")
    return problems


def _providers_local_ask(rel: str, kind: str, o: Outcome, home: Path, m: Matrix) -> list[str]:
    if rel != "providers.json" or not o.label.endswith("/ ask --json"):
        return []
    base = m.baseline["ask --json"]
    last = (o.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
    if o.exit != base.exit or "providers" in last:
        return [f"ask fails because of providers.json, not the missing model: {last[:200]}"]
    return []


CHECKS: list[Check] = [_sqlite_moved_aside, _router_last_good, _providers_local_ask]


def rotation(openers: list[str], index: int) -> list[str]:
    """The commands for the `index`-th damage of a file: all its openers, or PER_DAMAGE in turn.

    AURORA_MATRIX_COMMANDS=N (for a slower machine) runs N of a file's openers per damage,
    taking turns, so every file still meets every damage and every command that opens it.
    """
    if PER_DAMAGE is None or len(openers) <= PER_DAMAGE:
        return openers
    start = index * PER_DAMAGE
    return [openers[(start + j) % len(openers)] for j in range(PER_DAMAGE)]


@pytest.fixture(scope="module")
def matrix(fork_server: ForkServer) -> Iterator[Matrix]:
    box = Sandbox.create()
    try:
        notes = build_template(box, fork_server)
        yield Matrix(box, fork_server, notes)
    finally:
        box.remove()


def _files_for_collection() -> list[str]:
    """The parameter list: the known files (the template adds what it finds at run time)."""
    return [*KNOWN_FILES, "trust/<user key>.pub.json", "(every other file in the template)"]


@pytest.mark.parametrize("rel", _files_for_collection())
def test_every_damaged_file_ends_in_a_sentence(
    rel: str, matrix: Matrix, fork_server: ForkServer, tally: Tally
) -> None:
    if rel == "trust/<user key>.pub.json":
        targets = [f for f in matrix.files if f.startswith("trust/") and f.endswith(".pub.json")]
        assert targets, "the template has no user key: " + "; ".join(matrix.seed_notes)
    elif rel == "(every other file in the template)":
        covered = set(KNOWN_FILES)
        targets = [f for f in matrix.files if f not in covered and not f.endswith(".pub.json")]
    else:
        targets = [rel]
    jobs: list[Job] = []
    for target in targets:
        kinds = PLACE_DAMAGES if target.endswith(".lock") else DAMAGES
        openers = matrix.commands_for(target)
        for index, kind in enumerate(kinds):
            jobs += [(target, kind, name) for name in rotation(openers, index)]
    outcomes: list[Outcome] = []
    for one in matrix.run_jobs(jobs):
        assert one.rel is not None
        for check in CHECKS:
            one.outcome.problems += check(
                one.rel, one.kind, one.outcome, Path(one.spec["home"]), matrix
            )
        outcomes.append(one.outcome)
        shutil.rmtree(one.spec["home"], ignore_errors=True)
    tally.add("corruption matrix", outcomes)
    failed = [o for o in outcomes if o.problems]
    assert not failed, f"{len(failed)} of {len(outcomes)} cases not handled:\n" + "\n".join(
        describe(o).replace(str(matrix.box.root), "$SANDBOX") for o in failed
    )


def test_the_undamaged_folder_works(matrix: Matrix) -> None:
    """The baseline the matrix compares with: no command breaks the rule on a good folder."""
    broken = [describe(o) for o in matrix.baseline.values() if o.problems]
    assert not broken, "\n".join(broken)
    route = json.loads(matrix.baseline["route -"].stdout)
    assert route["target"] == "local", "the custom router policy is not in force"
    ask = matrix.baseline["ask --json"]  # no model, and fetching stays local: one quick sentence
    last = ask.stderr.decode("utf-8", "replace").strip().split("\n")[-1]
    assert ask.exit == 1 and "download" in last.lower() and ask.seconds < BOUND_S, last
