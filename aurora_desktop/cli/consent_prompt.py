"""Asking for consent on a terminal; with no terminal the answer is always "deny"."""

from __future__ import annotations

import sys
import time

from aurora_desktop.core.policy.consent import ConsentAnswer, ConsentReply, ConsentRequest


def terminal_ask(request: ConsentRequest) -> ConsentReply:
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        sys.stderr.write(
            f"aurora: {request.scope} needs your consent and no one can be asked here, "
            "so it is denied; grant it with 'aurora consent grant' to allow it.\n"
        )
        return ConsentReply(ConsentAnswer.DENY)
    sys.stderr.write(
        (f"\n{request.app} (through Aurora's local API)" if request.app else "\nAurora")
        + f" wants to send data to {request.recipient}.\n"
        f"  scope: {request.scope}\n  why:   {request.why}\n"
        f"  exactly this would be sent ({request.bytes_out:,} bytes, personal data masked):\n"
        + "".join(f"    | {line}\n" for line in request.preview.splitlines())
    )
    while True:
        sys.stderr.write("Allow [o]nce, [a]lways, always for [d]ay, or [n]o? ")
        sys.stderr.flush()
        answer = sys.stdin.readline().strip().lower()
        if answer in ("o", "once"):
            return ConsentReply(ConsentAnswer.ALLOW_ONCE)
        if answer in ("a", "always"):
            return ConsentReply(ConsentAnswer.ALLOW_ALWAYS)
        if answer in ("d", "day"):
            return ConsentReply(ConsentAnswer.ALLOW_ALWAYS, time.time() + 86_400)
        if answer in ("n", "no", ""):
            return ConsentReply(ConsentAnswer.DENY)
