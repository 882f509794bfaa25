"""The words about a reply's route: the one-line summary and the full decision, translated."""

from __future__ import annotations

import re
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from aurora_desktop.core.contract import Response
from aurora_desktop.ui.chat_choices import task_name
from aurora_desktop.ui.core_text import core_text

RULE_IN_WHY = re.compile(r'Rule (\d+) "(.*?)" matched')


def where_name(target: str) -> str:
    if target == "local":
        return QCoreApplication.translate("RouteText", "Local")
    return QCoreApplication.translate("RouteText", "Cloud")


def rule_name(response: Response) -> str:
    """The rule's name as the router wrote it into `why` ("" when it is not there)."""
    found = RULE_IN_WHY.search(response.why)
    return found.group(2) if found and response.rule is not None else ""


def rule_text(response: Response) -> str:
    """`rule 2 "short classification work is local"`, the default route, or ""."""
    if response.rule is not None:
        name = rule_name(response)
        if name:
            return QCoreApplication.translate("RouteText", 'rule {number} "{name}"').format(
                number=response.rule, name=name
            )
        return QCoreApplication.translate("RouteText", "rule {number}").format(number=response.rule)
    if response.why.startswith("No rule matched"):
        return QCoreApplication.translate("RouteText", "default route")
    return ""


def describe_route(response: Response) -> str:
    """The line under a reply: where it ran, on what, by which rule, and how fast."""
    parts = [f"{where_name(response.target)} · {response.engine} · {response.model}"]
    rule = rule_text(response)
    if rule:
        parts.append(rule)
    if response.task:
        task = task_name(response.task)
        parts.append(f"{task}: {response.label}" if response.label else task)
    if response.verified is False:
        parts.append(QCoreApplication.translate("RouteText", "unverified (best effort)"))
    if response.citations:
        parts.append(
            QCoreApplication.translate("RouteText", "{count} sources").format(
                count=len(response.citations)
            )
        )
    parts += [
        QCoreApplication.translate("RouteText", "{count} tokens").format(count=response.tokens_out),
        QCoreApplication.translate("RouteText", "{speed} tok/s").format(
            speed=f"{response.tok_s:.1f}"
        ),
        QCoreApplication.translate("RouteText", "first token {ms} ms").format(
            ms=f"{response.ttft_ms:.0f}"
        ),
    ]
    if response.finish_reason == "cancelled":
        parts.append(QCoreApplication.translate("RouteText", "stopped"))
    elif response.finish_reason == "length":
        parts.append(QCoreApplication.translate("RouteText", "cut at the token limit"))
    return " · ".join(parts)


def entity_name(kind: str) -> str:
    names = {
        "EMAIL": QCoreApplication.translate("RouteText", "email address"),
        "PHONE": QCoreApplication.translate("RouteText", "phone number"),
        "CARD": QCoreApplication.translate("RouteText", "card number"),
        "RRN": QCoreApplication.translate("RouteText", "resident registration number"),
        "IP": QCoreApplication.translate("RouteText", "IP address"),
        "SECRET": QCoreApplication.translate("RouteText", "secret (key or password)"),
    }
    return names.get(kind, kind)


def masked_text(masked: Mapping[str, int]) -> str:
    """Counts per kind only: the original values never reach the UI."""
    counts = [(kind, n) for kind, n in sorted(masked.items()) if n > 0]
    if not counts:
        return QCoreApplication.translate("RouteText", "nothing was masked")
    return ", ".join(f"{entity_name(kind)} ({n})" for kind, n in counts)


def verifier_text(response: Response) -> str:
    if response.verified is None:
        return QCoreApplication.translate("RouteText", "not checked")
    if response.verified:
        return QCoreApplication.translate("RouteText", "passed")
    return QCoreApplication.translate("RouteText", "failed; this is the best effort")


def _step_line(step: Mapping[str, object]) -> str:
    return QCoreApplication.translate(
        "RouteText", "{number}. {step} ({target} · {model} · {tokens} tokens · {ms} ms)"
    ).format(
        number=step.get("number", "?"),
        step=step.get("step", ""),
        target=where_name(str(step.get("target", ""))),
        model=step.get("model", ""),
        tokens=step.get("tokens_out", 0),
        ms=step.get("ms", 0),
    )


def _citation_line(citation: Mapping[str, object]) -> str:
    return QCoreApplication.translate(
        "RouteText", "[{n}] {path}, characters {start}-{end} (score {score})"
    ).format(
        n=citation.get("n", "?"),
        path=citation.get("path", ""),
        start=citation.get("start", "?"),
        end=citation.get("end", "?"),
        score=citation.get("score", "?"),
    )


def _rule_line(response: Response, none: str) -> str:
    name = rule_name(response)
    if response.rule is not None and name:
        return QCoreApplication.translate("RouteText", 'Rule {number}: "{name}"').format(
            number=response.rule, name=name
        )
    return QCoreApplication.translate("RouteText", "Rule: {rule}").format(
        rule=rule_text(response) or none
    )


def _section(title: str, items: list[str], empty: str) -> list[str]:
    if not items:
        return [f"{title}: {empty}"]
    return [f"{title}:", *(f"  {item}" for item in items)]


def route_details(response: Response) -> str:
    """Everything about how the reply was made, one fact a line (plain text)."""
    none = QCoreApplication.translate("RouteText", "none")
    lines = [
        QCoreApplication.translate("RouteText", "Route: {where} · {engine} · {model}").format(
            where=where_name(response.target), engine=response.engine, model=response.model
        ),
        _rule_line(response, none),
    ]
    if response.why:
        lines.append(
            QCoreApplication.translate("RouteText", "Why: {why}").format(
                why=core_text(response.why)
            )
        )
    lines.append(
        QCoreApplication.translate("RouteText", "Task: {task} · label: {label}").format(
            task=task_name(response.task) if response.task else none,
            label=response.label or none,
        )
    )
    if response.classified_by:
        lines.append(
            QCoreApplication.translate("RouteText", "Decided by: {how}").format(
                how=core_text(response.classified_by)
            )
        )
    lines.append(
        QCoreApplication.translate("RouteText", "Masked before sending: {masked}").format(
            masked=masked_text(response.masked)
        )
    )
    lines.append(
        QCoreApplication.translate("RouteText", "Verifier: {result}").format(
            result=verifier_text(response)
        )
    )
    lines += _section(
        QCoreApplication.translate("RouteText", "Checks"),
        [core_text(check) for check in response.checks],
        none,
    )
    lines += _section(
        QCoreApplication.translate("RouteText", "Attempts"),
        [core_text(attempt) for attempt in response.attempts],
        none,
    )
    lines += _section(
        QCoreApplication.translate("RouteText", "Fallbacks"),
        [f"{i}. {core_text(hop)}" for i, hop in enumerate(response.fallbacks, 1)],
        none,
    )
    if response.plan:
        lines += _section(
            QCoreApplication.translate("RouteText", "Plan"),
            [_step_line(step) for step in response.plan],
            none,
        )
    if response.citations:
        lines += _section(
            QCoreApplication.translate("RouteText", "Sources"),
            [_citation_line(c) for c in response.citations],
            none,
        )
    lines.append(
        QCoreApplication.translate("RouteText", "Tokens: {tokens_in} in, {tokens_out} out").format(
            tokens_in=response.tokens_in, tokens_out=response.tokens_out
        )
    )
    lines.append(
        QCoreApplication.translate(
            "RouteText", "Speed: first token {ttft} ms · total {latency} ms · {speed} tok/s"
        ).format(
            ttft=f"{response.ttft_ms:.0f}",
            latency=f"{response.latency_ms:.0f}",
            speed=f"{response.tok_s:.1f}",
        )
    )
    if response.target == "cloud" or response.bytes_sent:
        lines.append(
            QCoreApplication.translate(
                "RouteText", "Sent off this device: {bytes} bytes · consent: {consent}"
            ).format(bytes=response.bytes_sent, consent=response.consent or none)
        )
    return "\n".join(lines)
