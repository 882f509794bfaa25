"""UI tests run offscreen against the real core and the real model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aurora_desktop.app.wiring import Core, build_core
from aurora_desktop.core.paths import AuroraHome


@pytest.fixture
def core(model_home: AuroraHome) -> Iterator[Core]:
    built = build_core()
    yield built
    built.close()
