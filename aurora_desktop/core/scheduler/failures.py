"""How the scheduler reads a failed load and the sentences it tells the user about it."""

from __future__ import annotations

from collections.abc import Sequence

from aurora_desktop.core.text import phrase


def is_memory_failure(exc: BaseException) -> bool:
    """True when a load failed for lack of memory: a MemoryError or a message naming memory."""
    return isinstance(exc, MemoryError) or "memory" in str(exc).lower()


def gigabytes(need_bytes: int, free_bytes: int) -> tuple[str, str]:
    """Both figures in GB, with a second decimal when one decimal would make them look equal."""
    digits = 1
    while digits < 3 and f"{need_bytes / 1e9:.{digits}f}" == f"{free_bytes / 1e9:.{digits}f}":
        digits += 1
    return f"{need_bytes / 1e9:.{digits}f} GB", f"{free_bytes / 1e9:.{digits}f} GB"


def refusal_message(name: str, *, need_bytes: int, free_bytes: int, idle_bytes: int) -> str:
    """Why `name` may not load now: the memory it needs, the memory free, and what to do."""
    need, free = gigabytes(need_bytes, free_bytes)
    if idle_bytes <= 0:
        return phrase(
            "Loading {name} needs {need} but only {free} is free, and every "
            "loaded model is in use or pinned; close other programs or unpin "
            "a model.",
            name=name,
            need=need,
            free=free,
        )
    idle = f"{idle_bytes / 1e9:.1f} GB"
    return phrase(
        "Loading {name} needs {need} but only {free} is free, and "
        "unloading every idle model would free just {idle} more; close "
        "other programs, unpin a model or choose a smaller one.",
        name=name,
        need=need,
        free=free,
        idle=idle,
    )


def cause_text(exc: BaseException) -> str:
    """An exception as a clause: its message without the final full stop, or its type."""
    return str(exc).strip().rstrip(".") or type(exc).__name__


REINSTALL = phrase("reinstall the model or choose another one")
FREE_MEMORY = phrase("close other programs or choose a smaller model")


def load_failure_message(name: str, cause: BaseException, *, advice: str = REINSTALL) -> str:
    """The error for a load that failed twice; `advice` fits the cause (FREE_MEMORY when it ran
    out of memory or took too long, REINSTALL otherwise)."""
    cause_clause = cause_text(cause)
    if advice in cause_clause:  # the engine already said what to do: do not say it twice
        return phrase(
            "{name} could not be loaded, even on a second try: {cause_clause}.",
            name=name,
            cause_clause=cause_clause,
        )
    return phrase(
        "{name} could not be loaded, even on a second try ({cause_clause}); {advice}.",
        name=name,
        cause_clause=cause_clause,
        advice=advice,
    )


def timeout_cause(timeout_s: float) -> str:
    """The cause recorded for a load that hung (the user sees it inside a failure sentence)."""
    return phrase("loading took longer than {timeout_s} s", timeout_s=format(timeout_s, "g"))


def memory_warning(name: str, *, evicted: Sequence[str], loaded: bool) -> str:
    """The tray's warning after a load ran out of memory and was retried."""
    freed = (
        phrase("unloaded {join_evicted} and ", join_evicted=", ".join(evicted)) if evicted else ""
    )
    if loaded:
        return phrase(
            "{name} ran out of memory while loading, so Aurora {freed}loaded "
            "it on a second try; close other programs to keep it from "
            "happening again.",
            name=name,
            freed=freed,
        )
    return phrase(
        "{name} ran out of memory while loading, and Aurora {freed}tried "
        "again without success; close other programs or choose a smaller "
        "model.",
        name=name,
        freed=freed,
    )
