"""Which version becomes active after an install: a pure decision, table-tested."""

from __future__ import annotations

import pytest

from aurora_desktop.core.models.activation import decide_activation
from aurora_desktop.core.models.manifest import version_key


@pytest.mark.parametrize(
    ("active", "highest", "new", "activate", "says"),
    [
        (None, None, "1.0.0", True, "no other version"),
        ("1.0.0", "1.0.0", "1.1.0", True, "newer than 1.0.0"),
        ("1.0.0", "1.0.0", "1.0.0", False, "already the active"),
        ("1.1.0", "1.1.0", "1.0.0", False, "older than 1.1.0"),
        ("1.0.0", "2.0.0", "1.5.0", False, "older than 2.0.0"),  # rolled back earlier
        ("1.0.0", "2.0.0", "2.1.0", True, "newer"),
        ("1.0.0", None, "0.9.0", False, "older than 1.0.0"),
        ("1.0.0", "1.0.0", "1.0.0-rc1", False, "older"),
        ("1.9.0", "1.9.0", "1.10.0", True, "newer"),  # numeric, not string, order
    ],
)  # fmt: skip
def test_decide_activation(
    active: str | None, highest: str | None, new: str, activate: bool, says: str
) -> None:
    decision = decide_activation(name="m", active=active, highest_seen=highest, new=new)
    assert decision.activate is activate
    assert says in decision.reason
    if not activate and "older" in says:
        assert f"aurora models switch m --version {new}" in decision.reason


def test_version_order() -> None:
    ordered = ["0.9", "1.0.0-rc1", "1.0.0", "1.0.1", "1.2", "1.10.0", "2.0.0"]
    assert sorted(ordered, key=version_key) == ordered
