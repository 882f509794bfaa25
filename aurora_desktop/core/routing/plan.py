"""Which targets to try, in order, for a decision: a pure function of decision and risk.

A high-risk request never gets a cloud hop, whatever the rules or fallbacks say; a request
whose masking failed is treated as high risk.
"""

from __future__ import annotations

from aurora_desktop.core.routing.router import RoutingDecision

Targets = tuple[str, ...]


def attempt_plan(decision: RoutingDecision, *, risk: str, pinned: str | None = None) -> Targets:
    """Ordered targets: the decision's, then its fallback; `pinned` ("local"/"cloud") if the
    request named a model explicitly."""
    primary = pinned or decision.target
    fallback = decision.fallback
    if fallback is None:
        fallback = "local" if primary == "cloud" else "none"
    plan = [primary] if fallback in ("none", primary) else [primary, fallback]
    if risk == "high":
        plan = [t for t in plan if t != "cloud"] or ["local"]
    return tuple(plan)


def local_only(plan: Targets) -> Targets:
    """The same plan with every cloud hop removed (masking failed, or the user chose local only)."""
    return tuple(t for t in plan if t != "cloud") or ("local",)
