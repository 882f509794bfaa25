"""The classifier's stages with stand-in encoders and LLM: which signal decides, the
shortlist the LLM may pick from, how its vote combines with the encoder, and which encoder
reads which script. No model: the encoders map texts to fixed unit vectors."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from aurora_desktop.core.cognition.intent import (
    IntentClassifier,
    combine,
    probabilities,
    shortlist,
    vote_can_change,
)
from aurora_desktop.core.cognition.labelsets import LabelSet, LabelSets
from aurora_desktop.core.cognition.ngrams import NgramProfiles, char_ngrams
from aurora_desktop.core.contract import Request, Response
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.errors import ModelError

AXES = {"money": 0, "travel": 1, "food": 2, "weather": 3}


class Encoder:
    """Puts a text on the axis of the first keyword it contains (a fixed toy geometry)."""

    def __init__(self, name: str, keywords: dict[str, str]) -> None:
        self.name = name
        self.keywords = keywords
        self.seen: list[str] = []

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.seen.extend(texts)
        rows = np.full((len(texts), len(AXES)), 0.05, dtype=np.float32)
        for row, text in enumerate(texts):
            for word, axis in self.keywords.items():
                if word in text.casefold():
                    rows[row, AXES[axis]] = 1.0
                    break
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


ENGLISH = {"bank": "money", "balance": "money", "money": "money", "flight": "travel",
           "travel": "travel", "pizza": "food", "food": "food", "rain": "weather",
           "weather": "weather"}  # fmt: skip
KOREAN = {"잔액": "money", "money": "money", "비행기": "travel", "travel": "travel",
          "피자": "food", "food": "food", "비": "weather", "weather": "weather"}  # fmt: skip


class Llm:
    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.grammars: list[str] = []
        self.prompts: list[str] = []

    def __call__(self, request: Request, constraint: Constraint) -> Response:
        self.grammars.append(constraint.grammar or "")
        self.prompts.append(request.prompt)
        return Response(
            request_id=request.request_id, text=f" {self.answer}", target="local",
            engine="llama.cpp", model="SmolLM2", rule=None, why="", tokens_in=1, tokens_out=1,
            ttft_ms=1.0, latency_ms=1.0, tok_s=1.0, load_ms=0.0, finish_reason="stop",
        )  # fmt: skip


def offered(grammar: str) -> list[str]:
    """The labels a label grammar admits (its `label ::= "a" | "b"` line)."""
    line = next(x for x in grammar.splitlines() if x.startswith("label ::="))
    return re.findall(r'"([^"]+)"', line)


def classifier(llm: Llm, *, latin: Encoder | None, multi: Encoder | None) -> IntentClassifier:
    return IntentClassifier(
        label_sets=lambda: LabelSets({}), embed=latin, embed_multilingual=multi, generate=llm
    )


ZERO = LabelSet("zs", "", {"money": (), "travel": (), "food": (), "weather": ()})


def test_zero_shot_compares_the_text_with_the_label_names() -> None:
    llm, latin = Llm("food"), Encoder("latin", ENGLISH)
    result = classifier(llm, latin=latin, multi=None).label(
        "what is my bank balance", label_set=ZERO
    )
    assert (result.label, result.stage, result.encoder) == ("money", "embedding", "latin")
    assert result.confidence > 0.9 and not llm.prompts
    assert set(latin.seen) >= {"money", "travel", "food", "weather"}  # the names were embedded


def test_an_unsure_encoder_asks_the_llm_among_its_shortlist_and_adds_the_vote() -> None:
    llm = Llm("travel")
    result = classifier(llm, latin=Encoder("latin", ENGLISH), multi=None).label(
        "tell me something", label_set=ZERO
    )  # no keyword: every label scores the same
    assert result.stage == "combined" and result.label == "travel"
    assert result.response is not None and "within" in result.note
    assert len(llm.grammars) == 1 and len(offered(llm.grammars[0])) == 3  # the shortlist
    assert 0.0 < result.confidence < 1.0


def test_korean_goes_to_the_multilingual_encoder_not_straight_to_the_llm() -> None:
    llm, latin, multi = Llm("food"), Encoder("latin", ENGLISH), Encoder("multi", KOREAN)
    result = classifier(llm, latin=latin, multi=multi).label("피자 주문하고 싶어요", label_set=ZERO)
    assert (result.label, result.encoder, result.stage) == ("food", "multilingual", "embedding")
    assert "피자 주문하고 싶어요" not in latin.seen and not llm.prompts


def test_without_a_multilingual_encoder_korean_is_left_to_the_llm() -> None:
    llm = Llm("weather")
    result = classifier(llm, latin=Encoder("latin", ENGLISH), multi=None).label(
        "비가 와요", label_set=ZERO
    )
    assert (result.label, result.stage, result.confidence) == ("weather", "grammar", 1.0)
    assert len(offered(llm.grammars[0])) == 4  # no encoder ranking: every label offered


def test_an_encoder_that_fails_leaves_the_llm_to_decide_alone() -> None:
    def broken(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        raise ModelError("all-minilm-l6-v2-int8 is not installed")

    result = IntentClassifier(
        label_sets=lambda: LabelSets({}), embed=broken, generate=Llm("food")
    ).label("pizza please", label_set=ZERO)
    assert result.stage == "grammar" and "not installed" in result.note


def test_examples_score_by_centroid_plus_ngrams() -> None:
    examples = LabelSet("fs", "", {
        "money": ("check my bank balance", "how much money do I have"),
        "travel": ("book a flight to Jeju", "I want to travel to Busan"),
    })  # fmt: skip
    llm = Llm("money")
    result = classifier(llm, latin=Encoder("latin", ENGLISH), multi=None).label(
        "book a flight for me", label_set=examples
    )
    assert result.label == "travel" and result.stage == "embedding"
    assert result.scores["travel"] > 1.0  # cosine (~1) plus the n-gram similarity (> 0)


class Fixed:
    """An encoder that puts the text at fixed cosines to the label names a, b, c."""

    def __init__(self, cosines: tuple[float, float, float]) -> None:
        self.cosines = cosines

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        names = np.eye(4, dtype=np.float32)[:3]
        rows = []
        for text in texts:
            if text in ("a", "b", "c"):
                rows.append(names["abc".index(text)])
                continue
            a, b, c = self.cosines
            rest = float(np.sqrt(max(0.0, 1.0 - a * a - b * b - c * c)))
            rows.append(np.array([a, b, c, rest], dtype=np.float32))
        return np.vstack(rows)


ABC = LabelSet("abc", "", {"a": (), "b": (), "c": ()})


@pytest.mark.parametrize(
    ("cosines", "asked"),
    [
        ((0.50, 0.46, 0.10), False),  # unsure by margin, but a 0.1 vote cannot tip 0.69 vs 0.31
        ((0.50, 0.499, 0.10), True),  # a near tie: the vote decides
        ((0.50, 0.30, 0.10), False),  # clear by margin
    ],
)
def test_the_llm_is_asked_only_when_its_vote_could_change_the_answer(
    cosines: tuple[float, float, float], asked: bool
) -> None:
    llm = Llm("b")
    result = IntentClassifier(
        label_sets=lambda: LabelSets({}), embed=Fixed(cosines), generate=llm
    ).label("the text", label_set=ABC)
    assert bool(llm.prompts) is asked
    assert result.label == ("b" if asked else "a")
    assert result.stage == ("combined" if asked else "embedding")


def test_vote_can_change() -> None:
    assert vote_can_change({"a": 0.52, "b": 0.48})
    assert not vote_can_change({"a": 0.7, "b": 0.3})
    assert not vote_can_change({"a": 1.0})


def test_embedding_only_never_calls_the_llm() -> None:
    llm = Llm("food")
    found = classifier(llm, latin=Encoder("latin", ENGLISH), multi=None).classify(
        "tell me something", label_set=ZERO, embedding_only=True
    )
    assert found is None and not llm.prompts


def test_probabilities_and_combine() -> None:
    probs = probabilities({"a": 0.50, "b": 0.45, "c": 0.10}, temperature=0.05)
    assert sum(probs.values()) == pytest.approx(1.0)
    assert probs["a"] > probs["b"] > probs["c"]
    assert combine(probs, "b", weight=0.5)[0] == "b"  # a close call: the vote tips it
    assert combine({"a": 0.98, "b": 0.01, "c": 0.01}, "b", weight=0.5)[0] == "a"
    label, share = combine({"a": 0.6, "b": 0.4}, "a", weight=0.5)
    assert label == "a" and share == pytest.approx(1.1 / 1.5)
    assert probabilities({}) == {}


def test_shortlist_keeps_the_best_ranked_labels() -> None:
    assert shortlist({"a": 0.1, "b": 0.9, "c": 0.5, "d": 0.2}, ("a", "b", "c", "d")) == (
        "b", "c", "d",
    )  # fmt: skip
    assert shortlist({}, ("a", "b")) == ("a", "b")


def test_char_ngrams_mark_word_edges_and_fold_case() -> None:
    grams = char_ngrams("Hi  hi")
    assert grams[" hi"] == 2 and grams["hi "] == 2 and grams["h"] == 2


def test_ngram_profiles_tell_phrasing_apart_in_korean() -> None:
    profiles = NgramProfiles.build({
        "question": ("오늘 비 와?", "지금 몇 시야?", "어디 가세요?"),
        "command": ("문 좀 닫아줘", "불 좀 꺼줘", "음악 틀어줘"),
    })  # fmt: skip
    scores = profiles.scores("창문 좀 열어줘")
    assert scores["command"] > scores["question"]
    assert profiles.scores("") == {"question": 0.0, "command": 0.0}
    assert NgramProfiles.build({"a": (), "b": ()}).scores("x") == {}
