"""The escalation ladder: which tries a request gets when its answer fails verification.

Pure: first try → repairs (same route, told what was wrong) → each other installed local
model → the cloud, only when the request may leave this device. Each rung still passes
through the full pipeline, which re-applies routing, masking and consent.
"""

from __future__ import annotations

from dataclasses import dataclass

from aurora_desktop.core.contract import Request
from aurora_desktop.core.text import phrase


@dataclass(frozen=True, slots=True)
class Attempt:
    kind: str  # "first" | "repair" | "alternate" | "cloud"
    model: str | None = None  # None: the request's own model (routed by policy)
    temperature: float | None = None

    def describe(self) -> str:
        if self.kind == "first":
            return phrase("first try")
        if self.kind == "repair":
            return phrase("retry with the problem pointed out")
        if self.kind == "alternate":
            return phrase(f"alternate local model {self.model}")
        return phrase(f"escalated to {self.model}")


def escalation_ladder(
    request: Request,
    *,
    repairs: int,
    local_models: list[str],
    cloud: str | None,
    local_only: bool,
) -> tuple[Attempt, ...]:
    """Every try for `request`, in order; `local_models` lists the default model first.

    A request pinned to a model (local://NAME or cloud://…) is only retried on that model."""
    ladder = [Attempt("first")]
    ladder += [Attempt("repair", temperature=0.2) for _ in range(max(0, repairs))]
    if request.model != "auto":
        return tuple(ladder)
    current = local_models[0] if local_models else None
    ladder += [
        Attempt("alternate", model=f"local://{name}") for name in local_models if name != current
    ]
    if cloud is not None and request.risk != "high" and not local_only:
        ladder.append(Attempt("cloud", model=f"cloud://{cloud}"))
    return tuple(ladder)
