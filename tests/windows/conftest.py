"""Shared set-up of the Windows tests: the AURORA_SKIP_WINE switch and a Wine environment."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.windows import wine

SKIP_VARIABLE = "AURORA_SKIP_WINE"
summary_lines: list[str] = []  # printed after the run (step timings of the smoke test)


def wine_skip_reason() -> str | None:
    """Why the Wine tests are skipped, or None; in CI (CI=true) the switch is an error."""
    if os.environ.get(SKIP_VARIABLE, "").strip() in ("", "0"):
        return None
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(
            f"{SKIP_VARIABLE} is set while CI=true; the Wine tests may be skipped only locally."
        )
    return f"{SKIP_VARIABLE} is set: Wine tests skipped for a quick local run."


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip or fail before any expensive fixture (chroot, prefix) is built."""
    reason = wine_skip_reason()
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def wine_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[wine.WineEnv]:
    """Wine 10 in the cached chroot, sharing the checkout and pytest's temporary folders."""
    root = wine.ensure_chroot()
    with wine.WineEnv(root, binds=[wine.REPO, tmp_path_factory.getbasetemp()]) as env:
        yield env


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in summary_lines:
        terminalreporter.write_line(line)
