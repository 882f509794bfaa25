"""The scheduler's slots change only through `Lifecycle`: its transitions, and a scan that
no other module of the core assigns a slot's fields."""

from __future__ import annotations

import ast
from dataclasses import fields
from pathlib import Path

import pytest

from aurora_desktop.core.errors import EngineClosedError
from aurora_desktop.core.scheduler.events import SchedulerEvent
from aurora_desktop.core.scheduler.lifecycle import Lifecycle
from aurora_desktop.core.scheduler.state import LoadTicket, Slot
from tests.core.test_scheduler_kit import FakeClock

CORE = Path(__file__).resolve().parents[2] / "aurora_desktop" / "core"
OWNER = CORE / "scheduler" / "lifecycle.py"
SLOT_FIELDS = {f.name for f in fields(Slot)} | {f.name for f in fields(LoadTicket)}


class FakeEngine:
    """Only what the lifecycle reads of an engine (it never calls one in these tests)."""

    engine_name = "fake"

    def __init__(self, name: str) -> None:
        self.model_name = name


def _life(clock: FakeClock, *, ttl_s: float = 60.0, warm: tuple[str, ...] = ()) -> Lifecycle:
    events: list[SchedulerEvent] = []
    return Lifecycle(
        clock=clock,
        on_event=events.append,
        default_ttl_s=ttl_s,
        warm=warm,
        unload_timeout_s=1.0,
        close_timeout_s=1.0,
    )


def _load(life: Lifecycle, name: str) -> tuple[Slot, FakeEngine]:
    slot = life.join(name, None)
    ticket = life.hold(slot)
    assert isinstance(ticket, LoadTicket)
    engine = FakeEngine(name)
    life.built(slot, engine)  # type: ignore[arg-type]
    assert life.load_ended(slot, ticket, engine, 7) is None  # type: ignore[arg-type]
    return slot, engine


def _assigned_attributes(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        else:
            continue
        while targets:
            target = targets.pop()
            if isinstance(target, (ast.Tuple, ast.List)):
                targets.extend(target.elts)
            elif isinstance(target, ast.Attribute) and not (
                isinstance(target.value, ast.Name) and target.value.id == "self"
            ):
                found.append((node.lineno, target.attr))
    return found


def test_only_the_lifecycle_assigns_the_fields_of_a_slot() -> None:
    scheduler = CORE / "scheduler"
    writes = [
        f"{path.relative_to(CORE)}:{line} assigns .{attr}"
        for path in sorted(scheduler.glob("*.py"))
        if path != OWNER
        for line, attr in _assigned_attributes(ast.parse(path.read_text(encoding="utf-8")))
        if attr in SLOT_FIELDS | {"closed", "default_ttl_s"}
    ]
    assert writes == []


def test_a_load_leases_the_slot_to_the_request_that_waited_for_it() -> None:
    clock = FakeClock()
    life = _life(clock)
    slot = life.join("m", keep_alive_s=5.0)
    assert (slot.waiting, slot.ttl_s, slot.kept_alive) == (1, 5.0, True)

    ticket = life.hold(slot)
    assert isinstance(ticket, LoadTicket) and slot.state == "loading"
    engine = FakeEngine("m")
    life.built(slot, engine)  # type: ignore[arg-type]
    assert life.load_ended(slot, ticket, engine, 7) is None  # type: ignore[arg-type]
    assert ticket.done and ticket.error is None
    assert (slot.state, slot.ram_bytes, slot.generation) == ("loaded", 7, 1)

    assert life.hold(slot) == (engine, 1)
    assert (slot.waiting, slot.refs, slot.last_used) == (0, 1, clock.now)


def test_a_lease_ends_and_an_expired_model_is_claimed_for_unloading() -> None:
    clock = FakeClock()
    life = _life(clock, ttl_s=0.0)
    slot, engine = _load(life, "m")
    assert life.hold(slot) == (engine, 1)

    assert life.release("m", generation=0) == []  # a stale lease counts for nothing
    assert slot.refs == 1
    assert life.release("m", generation=1) == [(slot, engine)]
    assert (slot.refs, slot.state) == (0, "unloading")


def test_a_failed_load_is_recorded_and_the_next_request_loads_afresh() -> None:
    life = _life(FakeClock())
    slot = life.join("m", None)
    ticket = life.hold(slot)
    assert isinstance(ticket, LoadTicket)
    engine = FakeEngine("m")
    life.built(slot, engine)  # type: ignore[arg-type]
    life.load_failed(slot, engine, "bad file")  # type: ignore[arg-type]
    error = RuntimeError("bad file")
    life.load_abandoned(slot, ticket, error)

    assert (slot.state, slot.error, slot.engine) == ("failed", "bad file", None)
    assert ticket.done and ticket.error is error
    again = life.hold(slot)  # a later request loads afresh
    assert isinstance(again, LoadTicket) and again is not ticket
    assert (slot.state, slot.error) == ("loading", "")


def test_a_broken_engine_is_dropped_only_if_it_is_still_the_slots() -> None:
    life = _life(FakeClock())
    slot, engine = _load(life, "m")

    assert life.drop_broken("m", "crashed", FakeEngine("m")) is None  # type: ignore[arg-type]
    assert life.drop_broken("m", "crashed", engine) is engine  # type: ignore[arg-type]
    assert (slot.state, slot.error, slot.engine, slot.generation) == ("failed", "crashed", None, 2)


def test_pins_and_an_unload_asked_for_while_a_request_holds_the_model() -> None:
    clock = FakeClock()
    life = _life(clock)
    slot, engine = _load(life, "m")
    assert life.pin("m") == (slot, False)
    assert life.hold(slot) == (engine, 1)

    clock.advance(3)
    assert life.claim_unload("m") == (False, [])
    assert not slot.pinned and slot.last_used == clock.now
    assert life.release("m", 1) == []
    assert life.claim_unload("m") == (True, [(slot, engine)])


def test_configure_moves_every_model_without_its_own_keep_alive() -> None:
    life = _life(FakeClock(), warm=("a",))
    life.join("kept", keep_alive_s=1.0)
    life.configure(default_ttl_s=30.0, warm=("b",))

    assert {n: (s.ttl_s, s.warm) for n, s in life.slots.items()} == {
        "a": (30.0, False),
        "kept": (1.0, False),
        "b": (30.0, True),
    }


def test_close_forgets_every_engine_and_refuses_new_requests() -> None:
    life = _life(FakeClock())
    slot, engine = _load(life, "m")

    assert life.close() == [("m", engine, "loaded")]
    assert (slot.state, slot.engine, slot.refs) == ("unloaded", None, 0)
    with pytest.raises(EngineClosedError):
        life.join("m", None)
