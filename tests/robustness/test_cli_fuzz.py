"""Every `aurora` command and flag, fed hostile values: a sentence or success, never a crash.

The commands are read from `build_parser()` (every subparser and action), so a new command or
flag is fuzzed without touching this file. Hypothesis draws the cases (argv, what stdin holds,
whether stdout is a pipe nobody reads); the fork server runs each in a fresh copy of a small
data folder, a few at a time, and every case must keep the rule `cli_runner.judge` states:
exit 0, or a non-zero exit whose last stderr line is the one "aurora: " sentence; never a
traceback, a signal or a run past the bound; nothing outside the data folder written; and
no number flag that is NaN, infinite or negative taken with exit 0.

Cases are drawn first and judged after (the generate phase only, no shrinking): one case costs
0.1-2 s and a hang the whole bound, so every failing case is listed as drawn, not minimised.
Under CI=true the draw is derandomized (the same cases every run). AURORA_FUZZ_EXAMPLES sets
the cases per command (default 30); the summary (cases, tracebacks, hangs) is printed at the
end of the session and written to $AURORA_TEST_OUTPUT/robustness-summary.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from aurora_desktop.cli.main import build_parser
from aurora_desktop.core.contract import REQUEST_TASKS
from aurora_desktop.core.resources import resource_path
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

pytestmark = pytest.mark.robustness

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
EXAMPLES = int(os.environ.get("AURORA_FUZZ_EXAMPLES", "30"))
BOUND_S = 15.0  # a case running longer hangs; a normal one takes 0.1-3 s
PARALLEL = 3  # hangs wait idle, so three at a time on two cores still pays
MAX_ARG = 131_071 - 32  # Linux's MAX_ARG_STRLEN less the NUL, and room for "--flag="
BIG = 10 * 1024 * 1024


# -- the commands, from the parser --------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """A command that runs something: its words and its own arguments."""

    path: tuple[str, ...]
    actions: tuple[argparse.Action, ...]

    @property
    def name(self) -> str:
        return " ".join(self.path) or "(no command)"

    @property
    def positionals(self) -> list[argparse.Action]:
        return [a for a in self.actions if not a.option_strings]

    @property
    def optionals(self) -> list[argparse.Action]:
        return [a for a in self.actions if a.option_strings]


def leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[Leaf]:
    own = tuple(
        a
        for a in parser._actions
        if not isinstance(a, argparse._HelpAction | argparse._VersionAction)
        and not isinstance(a, argparse._SubParsersAction)
    )
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs or not all(s.required for s in subs):  # runnable without a sub-command too
        yield Leaf(path, own)
    for sub in subs:
        seen: set[int] = set()
        for name, child in sub.choices.items():
            if id(child) not in seen:  # aliases share a parser
                seen.add(id(child))
                yield from leaves(child, (*path, name))


LEAVES = list(leaves(build_parser()))


# -- hostile values -----------------------------------------------------------------------

DEEP = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000
TEXT_HOSTILE = [
    "",
    " ",
    "\t\n",
    "-",
    "--",
    "-x",
    "x" * MAX_ARG,
    "é" * (MAX_ARG // 2),
    os.fsdecode(b"\xff\xfe\xfd"),  # invalid UTF-8 in argv arrives as surrogate escapes
    "a\udcffb",
    "\ud800",  # a lone surrogate (what a Windows command line can hold)
    "\udcff" * 1000,
    "../../etc/passwd",
    "/dev/zero",
    "%s%n{0}{}",
    "\x1b[2J\x1b]0;title\x07",
    "\u202etxt.exe",
    "🙂" * 1000,
    DEEP,
    '{"a":' * 2000 + "1" + "}" * 2000,
    "null",
    "{}",
    "[]",
    "NaN",
    "1e309",
    "-1",
]
INT_HOSTILE = [
    "0",
    "-1",
    "1" + "0" * 30,
    "-" + "9" * 30,
    "9" * 5000,
    "",
    "nan",
    "inf",
    "1e3",
    "0x10",
    " 5 ",
    "1_000",
    "٣",
    "\udcff",
    str(2**63),
    str(2**31),
    "--",  # `--k=--`: Python 3.11's argparse hands the option an empty list
]
FLOAT_HOSTILE = [
    "nan",
    "NaN",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "1e308",
    "1e309",
    "-1e308",
    "-1",
    "0",
    "-0",
    "1e-320",
    "",
    "1" + "0" * 400,
    "0x1p3",
    "\udcff",
    "--",
]
SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
CHARS = st.one_of(st.characters(exclude_characters="\x00"), SURROGATES)


def _catalog_names() -> list[str]:
    data = json.loads(resource_path("catalog.json").read_text(encoding="utf-8"))
    return sorted({m["name"] for m in data["models"]})


def _key_ids() -> list[str]:
    return sorted(p.name.split(".")[0] for p in resource_path("keys").glob("*.pub.json"))


def _label_sets() -> list[str]:
    data = json.loads(resource_path("cognition/labels.json").read_text(encoding="utf-8"))
    sets = data.get("sets", data) if isinstance(data, dict) else {}
    return sorted(sets)[:6] if isinstance(sets, dict) else []


PROVIDER = "loop"  # in the template data folder: a provider on a closed 127.0.0.1 port
KNOWN: dict[str, list[str]] = {
    "name": [*_catalog_names(), PROVIDER, "nope", "UPPER", "a" * 200],
    "version": ["0.1.2", "1.0.0", "9.9.9", "../../x"],
    "key_id": [*_key_ids(), "0" * 16],
    "scope": [f"cloud.send:{PROVIDER}", "cloud.send:", "file.read:/", "file.read:../..", ":"],
    "base_url": ["http://127.0.0.1:9/v1", "https://10.255.255.1/v1", "ftp://x", "file:///etc"],
    "model": [
        "auto",
        "local://smollm2-135m-instruct",
        "local://nope",
        f"cloud://{PROVIDER}/m",
        "cloud://nope/x",
        "m",
    ],
    "task": list(REQUEST_TASKS),
    "risk": ["low", "medium", "high", "HIGH"],
    "labels": ["yes,no", "a,,b", ",", *_label_sets()],
    "since": ["30m", "2h", "7d", "2026-11-24", "1e308d", "nand", "-5m", "9" * 30 + "d", ".d"],
    "only": ["B1", "B3", "B99", "B1,B3", "intent", "classify,extract", ","],
    "format": ["gguf", "onnx", "exe"],
    "prompt": ["hello there", "-"],
    "request": ["-", '{"prompt": "hi"}', '{"prompt": "hi", "task": "chat", "risk": "high"}'],
    "text": ["-", "mail me at a@b.example or call +1 555 0100", "hello"],
}


def new_key_file(owner: str = "robustness tests") -> str:
    """A fresh, valid Ed25519 public-key file in Aurora's format."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from aurora_desktop.core.models.keys import make_key_file

    return make_key_file(Ed25519PrivateKey.generate().public_key(), owner).to_json()


def _build_hostile(box: Sandbox) -> dict[str, list[str]]:
    """Files, folders and devices the path arguments point at; returns paths and stdin files."""
    h = box.outside / "hostile"
    shutil.rmtree(h, ignore_errors=True)
    h.mkdir(parents=True)
    (h / "empty.json").write_bytes(b"")
    (h / "nul.json").write_bytes(b'{"a": "x\x00y"}\x00\x00')
    (h / "bad-utf8.json").write_bytes(b'{"type": "object", "title": "\xff\xfe\xc3\x28"}')
    (h / "deep-array.json").write_text(DEEP)
    (h / "deep-object.json").write_text(DEEP_OBJECT)
    (h / "big.json").write_text('{"type": "object", "description": "' + "x" * BIG + '"}')
    (h / "numbers.json").write_text('{"type": "number", "maximum": 1e999, "minimum": -1e999}')
    (h / "nan.json").write_text('{"type": "number", "maximum": NaN}')
    (h / "schema.json").write_text(
        '{"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}'
    )
    (h / "list.json").write_text("[1, 2, 3]")
    key = next(resource_path("keys").glob("*.pub.json"))
    (h / "publisher.pub.json").write_bytes(key.read_bytes())
    data = json.loads(key.read_text(encoding="utf-8"))
    (h / "mangled.pub.json").write_text(json.dumps({k: "\udcff" for k in data}, ensure_ascii=True))
    (h / "user.pub.json").write_text(new_key_file())
    (h / "model.gguf").write_bytes(b"GGUF" + bytes(range(256)) * 8)
    (h / "model.onnx").write_bytes(b"\x08\x07" + b"\xff" * 4000)
    os.mkfifo(h / "fifo.json")
    (h / "folder.json").mkdir()
    (h / "unreadable.json").write_text('{"type": "object"}')
    (h / "unreadable.json").chmod(0)
    (h / "link-out.json").symlink_to(box.outside / "decoy" / "secret.json")
    (h / "loop-a.json").symlink_to(h / "loop-b.json")
    (h / "loop-b.json").symlink_to(h / "loop-a.json")
    (h / "dangling.json").symlink_to(h / "nothing-here.json")
    os.close(os.open(os.fsencode(h) + b"/name-\xff.json", os.O_CREAT | os.O_WRONLY, 0o644))
    docs = h / "docs"  # for `rag ingest`: what a notes folder can hold
    docs.mkdir()
    (docs / "readme.md").write_text("# Notes\n\nAurora keeps notes local.\n")
    os.mkfifo(docs / "notes.txt")
    (docs / "page.html").write_text("<a" * 150_000)
    (docs / "bad.txt").write_bytes(b"\xff\xfe broken \x00 text")
    (docs / "link.txt").symlink_to(box.outside / "decoy" / "secret.txt")
    (docs / "unreadable.txt").write_text("secret")
    (docs / "unreadable.txt").chmod(0)
    (docs / "deep" / "er").mkdir(parents=True)
    (docs / "deep" / "er" / "x.md").write_text("x " * 1000)
    paths = [str(p) for p in sorted(h.iterdir())]
    paths += [
        str(docs),
        "../../etc/passwd",
        "/dev/zero",
        "/dev/null",
        "/dev/urandom",
        "/proc/self/mem",
        "",
        ".",
        "no/such/file.json",
        "a/" * 3000,
        "x" * 300,
        os.fsdecode(os.fsencode(h) + b"/name-\xff.json"),
        str(h / "empty.json") + "/",
    ]
    s = box.outside / "stdin"
    shutil.rmtree(s, ignore_errors=True)
    s.mkdir()
    stdin = {
        "text": b"hello there, what time is it?\n",
        "key": b"sk-test-0123456789\n",
        "empty": b"",
        "nul": b"he\x00llo\x00",
        "bad-utf8": b"\xff\xfe hello \xc3\x28\n",
        "deep": DEEP.encode(),
        "big": b"word " * (BIG // 5),
        "request": b'{"prompt": "hello", "task": "chat"}',
        "request-nan": b'{"prompt": "hi", "keep_alive_s": NaN, "temperature": Infinity}',
        "request-bytes": b'{"prompt": "\xff\xfe hi"}',
        "request-surrogate": b'{"prompt": "\\udcff\\ud800"}',
        "request-huge": b'{"prompt": "hi", "max_tokens": 1' + b"0" * 40 + b', "slo_ms": -5}',
        "request-deep": b'{"prompt": "hi", "schema": ' + DEEP_OBJECT.encode() + b"}",
    }
    files = []
    for name, content in stdin.items():
        (s / name).write_bytes(content)
        files.append(str(s / name))
    return {"paths": paths, "stdin": files}


# -- drawing cases ------------------------------------------------------------------------


def _text(dest: str) -> st.SearchStrategy[str]:
    known = KNOWN.get(dest, [])
    options = [st.sampled_from(TEXT_HOSTILE), st.text(CHARS, max_size=40)]
    if known:
        options = [st.sampled_from(known), st.sampled_from(known), *options]
    return st.one_of(*options)


def _value(action: argparse.Action, hostile: dict[str, list[str]]) -> st.SearchStrategy[str]:
    kind = getattr(action.type, "__name__", None)
    if action.choices:
        return st.one_of(st.sampled_from([str(c) for c in action.choices]), _text(action.dest))
    if kind == "int":
        return st.one_of(st.sampled_from(INT_HOSTILE), st.integers().map(str))
    if kind == "float":
        return st.one_of(
            st.sampled_from(FLOAT_HOSTILE),
            st.floats(allow_nan=True).map(repr),
            st.floats().map(str),
        )
    if kind in ("Path", "PurePath"):
        return st.one_of(st.sampled_from(hostile["paths"]), _text(action.dest))
    return _text(action.dest)


@st.composite
def _case(draw: st.DrawFn, leaf: Leaf, hostile: dict[str, list[str]]) -> dict[str, Any]:
    argv = list(leaf.path)
    numbers: list[list[str]] = []
    for action in leaf.optionals:
        wanted = (
            draw(st.sampled_from([True] * 9 + [False])) if action.required else draw(st.booleans())
        )
        if not wanted:
            continue
        flag = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            argv.append(flag)
            continue
        value = draw(_value(action, hostile))
        argv += [f"{flag}={value}"] if draw(st.booleans()) else [flag, value]
        if getattr(action.type, "__name__", None) in ("int", "float"):
            numbers.append([flag, value])
    values = []
    for action in leaf.positionals:
        if action.nargs == "?" and not draw(st.booleans()):
            continue
        values.append(draw(_value(action, hostile)))
    if values and draw(st.booleans()):
        argv.append("--")  # so "-x" is a value, not an unknown option
    argv += values
    stdin_choices = [None, None, None, *hostile["stdin"], "/dev/zero"]
    return {
        "argv": argv,
        "stdin": draw(st.sampled_from(stdin_choices)),
        "stdout_mode": draw(st.sampled_from(["file"] * 9 + ["broken-pipe"])),
        "numbers": numbers,
    }


def nonsense_accepted(case: dict[str, Any], outcome: Outcome) -> list[str]:
    """A number flag that is not finite or is negative must be refused, not taken (issue 14).

    Every number flag Aurora has is a count, a duration, a temperature or a size: none of
    them means anything below zero, and NaN or infinity never does.
    """
    if outcome.exit != 0:
        return []
    problems = []
    for flag, value in case.get("numbers", []):
        try:
            number = float(value)
        except ValueError:
            continue
        if not math.isfinite(number) or number < 0:
            problems.append(f"accepted {flag} {value!r} (exit 0)")
    return problems


def draw_cases(leaf: Leaf, hostile: dict[str, list[str]], n: int) -> list[dict[str, Any]]:
    """`n` cases for one command, drawn by Hypothesis (derandomized under CI)."""
    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=n,
        derandomize=CI,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(_case(leaf, hostile))
    def collect(case: dict[str, Any]) -> None:
        drawn.append(case)

    collect()
    unique = {json.dumps(case, sort_keys=True): case for case in drawn}
    return list(unique.values())


def examples_for(leaf: Leaf) -> int:
    """Fewer cases for a command with few arguments (they would repeat themselves)."""
    return EXAMPLES if leaf.actions else 3


# -- running them -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_box(
    base_sandbox: Sandbox, fork_server: ForkServer
) -> tuple[Sandbox, dict[str, list[str]]]:
    """The sandbox with its hostile files and a template data folder that has been used."""
    hostile = _build_hostile(base_sandbox)
    seed = [
        ["providers", "add", PROVIDER, "--base-url", "http://127.0.0.1:9/v1", "--model", "m",
         "--no-key"],
        ["consent", "grant", f"cloud.send:{PROVIDER}"],
        ["models", "list"],
        ["audit"],
    ]  # fmt: skip
    for argv in seed:  # not asserted here: a broken seed shows up in the cases themselves
        fork_server.run([base_sandbox.new_case(argv, home=base_sandbox.template)])
    return base_sandbox, hostile


def run_and_judge(
    server: ForkServer, box: Sandbox, drawn: list[dict[str, Any]], label: str
) -> list[Outcome]:
    specs = [
        box.new_case(
            d["argv"],
            stdin=Path(d["stdin"]) if d["stdin"] else None,
            stdout_mode=d["stdout_mode"],
            timeout_s=BOUND_S,
        )
        for d in drawn
    ]
    before = snapshot(box.outside)
    results = server.run(specs, parallel=PARALLEL)
    outcomes = [judge(s, r, label, BOUND_S) for s, r in zip(specs, results, strict=True)]
    for case, outcome in zip(drawn, outcomes, strict=True):
        outcome.problems += nonsense_accepted(case, outcome)
    if changes(before, snapshot(box.outside)):  # find which case: again, one at a time
        for spec, outcome in zip(specs, outcomes, strict=True):
            _build_hostile(box)
            before = snapshot(box.outside)
            result = server.run([spec])[0]
            touched = changes(before, snapshot(box.outside))
            if touched:
                outcome.problems.append("wrote outside the data folder: " + ", ".join(touched[:3]))
                outcome.seconds = max(outcome.seconds, result["seconds"])
        _build_hostile(box)
    for spec in specs:
        shutil.rmtree(spec["home"], ignore_errors=True)
    return outcomes


def report(outcomes: list[Outcome], root: Path) -> str:
    failed = [o for o in outcomes if o.problems]
    lines = [f"{len(failed)} of {len(outcomes)} cases broke the rule:"]
    lines += [describe(o).replace(str(root), "$SANDBOX") for o in failed]
    return "\n".join(lines)


@pytest.mark.parametrize("leaf", LEAVES, ids=[leaf.name for leaf in LEAVES])
def test_every_command_survives_hostile_input(
    leaf: Leaf,
    fuzz_box: tuple[Sandbox, dict[str, list[str]]],
    fork_server: ForkServer,
    tally: Tally,
) -> None:
    box, hostile = fuzz_box
    drawn = draw_cases(leaf, hostile, examples_for(leaf))
    outcomes = run_and_judge(fork_server, box, drawn, leaf.name)
    tally.add("cli fuzz", outcomes)
    assert not any(o.problems for o in outcomes), report(outcomes, box.root)


def test_the_fuzzer_sees_every_command() -> None:
    """The parser walk finds the commands the README documents (and so any added later)."""
    names = {leaf.name for leaf in LEAVES}
    for expected in ("ask", "consent grant", "models trust add", "route", "rag ingest", "app"):
        assert expected in names
    assert "(no command)" in names
