"""Fixtures of the core tier."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.store_kit import StoreKit, make_kit


@pytest.fixture
def kit(tmp_path: Path) -> StoreKit:
    """A store in a temporary data folder that trusts a publisher key made for this test."""
    return make_kit(tmp_path)
