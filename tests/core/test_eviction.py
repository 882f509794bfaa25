"""The pure eviction and expiry choices, table by table."""

from __future__ import annotations

import pytest

from aurora_desktop.core.scheduler.eviction import (
    Resident,
    choose_evictions,
    eviction_order,
    expired,
    idle_bytes,
)

GB = 10**9


def r(
    name: str,
    gb: float = 1.0,
    *,
    refs: int = 0,
    pinned: bool = False,
    warm: bool = False,
    last: float = 0.0,
) -> Resident:
    return Resident(
        name=name, ram_bytes=int(gb * GB), refs=refs, pinned=pinned, warm=warm, last_used=last
    )


# (id, residents, need GB, free GB, expected)
EVICTIONS: list[tuple[str, list[Resident], float, float, tuple[str, ...] | None]] = [
    ("fits with nothing loaded", [], 1, 2, ()),
    ("fits exactly", [r("a", last=1)], 2, 2, ()),
    ("fits beside loaded models", [r("a", last=1), r("b", last=2)], 1, 3, ()),
    ("a zero-byte model always fits", [r("a", last=1)], 0, 0, ()),
    ("one eviction", [r("a", 2, last=1)], 3, 2, ("a",)),
    ("the least recently used goes first", [r("a", 2, last=5), r("b", 2, last=1)], 3, 2, ("b",)),
    ("two evictions in LRU order",
     [r("a", last=3), r("b", last=1), r("c", last=2)], 3, 1, ("b", "c")),
    ("stops as soon as it fits", [r("a", 2, last=1), r("b", 2, last=2)], 3, 2, ("a",)),
    ("greedy LRU, not the fewest models",
     [r("small", 0.5, last=1), r("big", 4, last=2)], 4, 0, ("small", "big")),
    ("a pinned model is skipped", [r("a", pinned=True, last=1), r("b", last=2)], 2, 1, ("b",)),
    ("a model in use is skipped", [r("a", refs=1, last=1), r("b", last=2)], 2, 1, ("b",)),
    ("a warm model goes after every non-warm one",
     [r("w", warm=True, last=1), r("b", last=5)], 2, 1, ("b",)),
    ("warm models go last, when nothing else is enough",
     [r("w", 2, warm=True, last=1), r("b", 1, last=5)], 3, 0, ("b", "w")),
    ("warm models among themselves go LRU first",
     [r("w1", warm=True, last=5), r("w2", warm=True, last=1)], 2, 1, ("w2",)),
    ("a pinned warm model is never chosen",
     [r("w", 4, warm=True, pinned=True, last=0), r("b", 1, last=9)], 2, 0, None),
    ("ties on last use are broken by name", [r("b", last=1), r("a", last=1)], 2, 1, ("a",)),
    ("a model holding no memory is not worth unloading",
     [r("empty", 0, last=0), r("b", 2, last=1)], 3, 1, ("b",)),
    ("impossible: too little even with everything idle unloaded", [r("a", 1, last=1)], 5, 1, None),
    ("impossible: everything is pinned or in use",
     [r("a", 4, pinned=True), r("b", 4, refs=2)], 2, 1, None),
    ("impossible: nothing loaded", [], 3, 2, None),
    ("negative free memory still adds up", [r("a", 3, last=1)], 1, -1, ("a",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("residents", "need", "free", "expected"),
    [case[1:] for case in EVICTIONS],
    ids=[case[0] for case in EVICTIONS],
)
def test_choose_evictions(
    residents: list[Resident], need: float, free: float, expected: tuple[str, ...] | None
) -> None:
    got = choose_evictions(residents, need_bytes=int(need * GB), free_bytes=int(free * GB))
    assert got == expected


def test_choose_evictions_never_returns_an_unevictable_model() -> None:
    residents = [
        r("in-use", 8, refs=1, last=0),
        r("pinned", 8, pinned=True, last=0),
        r("idle", 1, last=9),
    ]
    assert choose_evictions(residents, need_bytes=2 * GB, free_bytes=1 * GB) == ("idle",)
    assert choose_evictions(residents, need_bytes=3 * GB, free_bytes=1 * GB) is None


NOW = 1000.0

# (id, residents, ttl by name, expected)
EXPIRIES: list[tuple[str, list[Resident], dict[str, float], tuple[str, ...]]] = [
    ("idle past its TTL", [r("a", last=100)], {"a": 600}, ("a",)),
    ("exactly at its TTL", [r("a", last=400)], {"a": 600}, ("a",)),
    ("not yet", [r("a", last=401)], {"a": 600}, ()),
    ("in use never expires", [r("a", refs=1, last=0)], {"a": 1}, ()),
    ("pinned never expires", [r("a", pinned=True, last=0)], {"a": 1}, ()),
    ("warm never expires", [r("a", warm=True, last=0)], {"a": 1}, ()),
    ("a TTL of 0 expires as soon as idle", [r("a", last=NOW)], {"a": 0}, ("a",)),
    ("a negative TTL never expires", [r("a", last=0)], {"a": -1}, ()),
    ("a model without a TTL never expires", [r("a", last=0)], {}, ()),
    ("each model has its own TTL",
     [r("short", last=900), r("long", last=900)], {"short": 60, "long": 600}, ("short",)),
    ("oldest first",
     [r("new", last=300), r("old", last=100), r("mid", last=200)],
     {"new": 10, "old": 10, "mid": 10}, ("old", "mid", "new")),
    ("ties by name", [r("b", last=1), r("a", last=1)], {"a": 1, "b": 1}, ("a", "b")),
    ("only the due ones",
     [r("due", last=0), r("busy", refs=3, last=0), r("fresh", last=999)],
     {"due": 10, "busy": 10, "fresh": 10}, ("due",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("residents", "ttl", "expected"),
    [case[1:] for case in EXPIRIES],
    ids=[case[0] for case in EXPIRIES],
)
def test_expired(
    residents: list[Resident], ttl: dict[str, float], expected: tuple[str, ...]
) -> None:
    assert expired(residents, now=NOW, ttl_s=ttl) == expected


def test_eviction_order_puts_warm_after_cold_and_drops_the_untouchable() -> None:
    residents = [
        r("warm-old", warm=True, last=0),
        r("cold-new", last=9),
        r("cold-old", last=1),
        r("busy", refs=1, last=0),
        r("pinned", pinned=True, last=0),
    ]
    assert [x.name for x in eviction_order(residents)] == ["cold-old", "cold-new", "warm-old"]


def test_idle_bytes_counts_only_evictable_models() -> None:
    residents = [r("a", 1), r("b", 2, refs=1), r("c", 4, pinned=True), r("d", 0.5, warm=True)]
    assert idle_bytes(residents) == int(1.5 * GB)
