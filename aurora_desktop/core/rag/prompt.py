"""The local answer prompt built from retrieved chunks, and the citations that go with it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aurora_desktop.core.contract import Message
from aurora_desktop.core.rag.retrieval import Hit

DEFAULT_SOURCE_BUDGET = 6000  # characters of sources in the prompt (about 1,500 tokens)

# A small model told to cite "[1]" after each fact tends to answer with "[1]" alone, so the
# answer is asked for in plain words and Aurora lists the sources it was given.
SYSTEM_PROMPT = (
    "Answer the question in one or two sentences using only the facts in the numbered "
    "sources. Give names, numbers and dates exactly as the sources write them. If the "
    "sources do not contain the answer, say that they do not."
)


def rag_messages(
    question: str, hits: Sequence[Hit], *, budget: int = DEFAULT_SOURCE_BUDGET
) -> tuple[Message, ...]:
    """System instructions, then the numbered sources and the question in one user turn.

    Sources keep their retrieval order; each gets an equal share of `budget` characters.
    """
    share = max(200, budget // max(1, len(hits)))
    blocks = []
    for number, hit in enumerate(hits, start=1):
        text = " ".join(hit.text.split())
        if len(text) > share:
            text = text[:share].rsplit(" ", 1)[0] + " …"
        blocks.append(f"[{number}] {Path(hit.path).name}\n{text}")
    sources = "\n\n".join(blocks) if blocks else "(no sources were found)"
    user = f"Sources:\n\n{sources}\n\nQuestion: {question.strip()}"
    return (Message("system", SYSTEM_PROMPT), Message("user", user))


def citations(hits: Sequence[Hit]) -> list[dict[str, Any]]:
    """What each [n] in the answer refers to: the file, the character span and the score."""
    return [
        {
            "n": number,
            "path": hit.path,
            "start": hit.start,
            "end": hit.end,
            "chunk": hit.ordinal,
            "score": round(hit.score, 4),
        }
        for number, hit in enumerate(hits, start=1)
    ]
