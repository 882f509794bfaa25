"""BannedWords: block or redact, whole Latin words, Hangul anywhere, the message of a refusal."""

from __future__ import annotations

import unicodedata

import pytest

from aurora_desktop.core.errors import PolicyDenied
from aurora_desktop.core.policy.banned import REDACTED, BannedVerdict, BannedWord, BannedWords

WORDS = BannedWords([
    BannedWord("ass", "mask"),
    BannedWord("Project Falcon", "block"),
    BannedWord("금지어", "block"),
    BannedWord("비속어", "mask"),
    BannedWord("darn", "mask"),
])  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nothing to see here.", BannedVerdict("Nothing to see here.", None, ())),
        ("This class has a bass and an assistant.", BannedVerdict(
            "This class has a bass and an assistant.", None, ())),
        ("What an ass.", BannedVerdict(f"What an {REDACTED}.", None, ("ass",))),
        ("ASS, Ass and aSs", BannedVerdict(
            f"{REDACTED}, {REDACTED} and {REDACTED}", None, ("ass",))),
        ("ass를 쓰지 마", BannedVerdict(f"{REDACTED}를 쓰지 마", None, ("ass",))),
        ("project  FALCON launches", BannedVerdict(
            "project  FALCON launches", "Project Falcon", ("Project Falcon",))),
        ("Project Falconry is a hobby", BannedVerdict("Project Falconry is a hobby", None, ())),
        ("금지어를 말하지 마세요", BannedVerdict("금지어를 말하지 마세요", "금지어", ("금지어",))),
        ("이건비속어였어", BannedVerdict(f"이건{REDACTED}였어", None, ("비속어",))),
        ("darn 금지어 darn", BannedVerdict(
            f"{REDACTED} 금지어 {REDACTED}", "금지어", ("darn", "금지어"))),
    ],
)  # fmt: skip
def test_check(text: str, expected: BannedVerdict) -> None:
    assert WORDS.check(text) == expected


def test_hits_are_listed_once_in_order_of_appearance_and_block_is_the_first() -> None:
    verdict = WORDS.check("비속어 then Project Falcon then 금지어 then ass and 비속어 again")
    assert verdict.hits == ("비속어", "Project Falcon", "금지어", "ass")
    assert verdict.blocked_by == "Project Falcon"


def test_enforce_returns_the_redacted_text_when_nothing_blocks() -> None:
    assert WORDS.enforce("darn it", where="your prompt") == f"{REDACTED} it"


@pytest.mark.parametrize(
    ("text", "where", "word"),
    [
        ("Tell me about project falcon", "your prompt", "Project Falcon"),
        ("그 금지어는 안 됩니다", "the reply", "금지어"),
    ],
)
def test_enforce_refuses_with_a_message_naming_the_word_and_where(
    text: str, where: str, word: str
) -> None:
    with pytest.raises(PolicyDenied) as caught:
        WORDS.enforce(text, where=where)
    assert f'"{word}"' in str(caught.value)
    assert where in str(caught.value)


def test_decomposed_hangul_still_matches() -> None:
    decomposed = unicodedata.normalize("NFD", "금지어를")
    assert decomposed != "금지어를"
    assert WORDS.check(decomposed).blocked_by == "금지어"


def test_block_wins_when_a_word_is_listed_twice_and_blank_words_are_ignored() -> None:
    words = BannedWords([
        BannedWord("secret", "mask"),
        BannedWord("SECRET", "block"),
        BannedWord("   ", "block"),
    ])  # fmt: skip
    assert [item.action for item in words.words] == ["block"]
    assert words.check("a secret plan").blocked_by == "SECRET"
    assert words.check("nothing here").hits == ()


def test_regex_characters_in_a_word_are_literal() -> None:
    words = BannedWords([BannedWord("c++", "mask"), BannedWord("a.b", "mask")])
    assert words.check("I like c++ and axb").text == f"I like {REDACTED} and axb"
    assert words.check("a.b").text == REDACTED


def test_no_words_means_nothing_changes() -> None:
    assert BannedWords([]).check("anything at all") == BannedVerdict("anything at all", None, ())
