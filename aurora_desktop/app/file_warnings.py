"""The warnings of the user files in force: an invalid router policy, banned-word list, label
file or settings file, with what Aurora uses instead (one sentence each)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from aurora_desktop.core.errors import AuroraError

if TYPE_CHECKING:
    from aurora_desktop.app.wiring import Core


def file_warnings(core: Core) -> list[str]:
    """Looks at each watched file again (a stat unless it changed) and returns the warnings."""
    policy, banned, labels, settings = (
        core.policy, core.banned, core.label_sets, core.settings
    )  # fmt: skip
    for check in (policy.current, banned, labels.current, settings.current):
        with contextlib.suppress(AuroraError):  # no fallback: the error reaches the user anyway
            check()
    return [f.warning for f in (policy, banned, labels, settings) if f.warning]
