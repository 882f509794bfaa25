"""The local answer prompt from retrieved chunks, and the citations that go with it."""

from __future__ import annotations

from aurora_desktop.core.contract import Request
from aurora_desktop.core.rag import Hit, citations, rag_messages


def hit(n: int, text: str, score: float = 0.5) -> Hit:
    return Hit(
        path=f"/docs/file{n}.md", score=score, text=text, start=10 * n, end=10 * n + len(text),
        chunk_id=100 + n, ordinal=n,
    )  # fmt: skip


def test_sources_are_numbered_in_order_and_the_question_comes_last() -> None:
    hits = [hit(1, "The bridge opened in 1932.", 0.81), hit(2, "It is  made\nof steel.", 0.62)]
    system, user = rag_messages("  When did the bridge open? ", hits)
    assert system.role == "system" and "numbered sources" in system.content
    assert "only" in system.content
    assert user.role == "user"
    assert user.content.index("[1] file1.md\nThe bridge opened in 1932.") < user.content.index(
        "[2] file2.md\nIt is made of steel."
    )
    assert user.content.endswith("Question: When did the bridge open?")
    Request(messages=(system, user))  # a valid request for the local model


def test_long_sources_share_the_budget() -> None:
    hits = [hit(n, "word " * 2000) for n in range(1, 4)]
    _, user = rag_messages("q?", hits, budget=900)
    assert len(user.content) < 900 + 200
    assert user.content.count(" …") == 3


def test_no_hits_says_so() -> None:
    _, user = rag_messages("q?", [])
    assert "(no sources were found)" in user.content


def test_citations_name_the_file_span_and_score() -> None:
    hits = [hit(1, "alpha", 0.812345), hit(2, "beta", 0.5)]
    assert citations(hits) == [
        {"n": 1, "path": "/docs/file1.md", "start": 10, "end": 15, "chunk": 1, "score": 0.8123},
        {"n": 2, "path": "/docs/file2.md", "start": 20, "end": 24, "chunk": 2, "score": 0.5},
    ]
