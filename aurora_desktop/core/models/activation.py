"""Pure decision: does a newly installed version become the active one?"""

from __future__ import annotations

from dataclasses import dataclass

from aurora_desktop.core.models.manifest import version_key
from aurora_desktop.core.text import phrase


@dataclass(frozen=True, slots=True)
class Activation:
    activate: bool
    reason: str


def decide_activation(
    *, name: str, active: str | None, highest_seen: str | None, new: str
) -> Activation:
    """Never let an older version replace a newer one silently; rolling back is explicit."""
    if active is None:
        return Activation(
            True, phrase("{new} is now active (no other version was active).", new=new)
        )
    if new == active:
        return Activation(False, phrase("{new} is already the active version.", new=new))
    newest = highest_seen if highest_seen is not None else active
    if version_key(new) > version_key(newest):
        return Activation(
            True, phrase("{new} is newer than {active} and is now active.", new=new, active=active)
        )
    return Activation(
        False,
        phrase(
            "{new} is older than {newest}, which Aurora has already seen; it "
            "was installed but not activated. Use 'aurora models switch "
            "{name} --version {new}' to roll back.",
            new=new,
            newest=newest,
            name=name,
        ),
    )
