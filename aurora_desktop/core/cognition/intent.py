"""IntentClassifier: picks a label (or a task, for `task: auto`) locally; the strongest
signal decides first.

1. Encoder: the text goes through a sentence encoder — MiniLM for Latin script, the
   multilingual encoder (USE-m3) for anything else, such as Korean. With example utterances
   a label is scored by the cosine to its examples' centroid plus the character n-gram
   TF-IDF similarity to them (how a text is phrased: endings, cue words); with label names
   only, by the cosine to the name itself (zero-shot). The best label wins when it leads
   the runner-up clearly (a margin calibrated on public data, see bench/README.md). This
   takes a few milliseconds.
2. Otherwise, if a vote could still change the answer, a local LLM completes a few-shot
   prompt ("Message: …\\nLabel: …") under a grammar that admits only the encoder's
   shortlist, and its vote is added to the encoder's probabilities rather than replacing
   them. When the leader is too far ahead for the vote's weight, the LLM is not asked.
   Without any encoder it decides alone, among all labels.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aurora_desktop.core.cognition.grammar import labels_grammar
from aurora_desktop.core.cognition.labelsets import LabelSet, LabelSets
from aurora_desktop.core.cognition.verifier import canonical_label
from aurora_desktop.core.contract import Request, Response, Risk
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.errors import AuroraError, EngineError, RequestError
from aurora_desktop.core.text import phrase

if TYPE_CHECKING:  # numpy is imported with the first classification, not at start-up
    import numpy as np
    import numpy.typing as npt

    from aurora_desktop.core.cognition.ngrams import NgramProfiles

Embed = Callable[[Sequence[str]], "npt.NDArray[np.float32]"]
Generate = Callable[[Request, Constraint], Response]
SIMILARITY_FLOOR = 0.22  # centroid similarity below which the nearest label is a guess
MARGIN = 0.08  # the winner must lead the runner-up by this much
EXAMPLES_PER_LABEL = 2
MAX_TEXT_CHARS = 1500  # the classifier reads the start of long texts only
CLASSIFY_ID_PREFIX = "classify-"  # marks the classifier's own model calls in metrics and ledger
SHORTLIST = 3  # the labels the LLM may choose from when the encoder is unsure
# The LLM's vote, added to the encoder's probabilities. SmolLM2's vote on the cases the encoder
# is unsure of was right about as often as the encoder (0.24-0.56): it may tip a near tie only.
LLM_WEIGHT = 0.1
TEMPERATURE = 0.05  # encoder scores -> probabilities (cosines differ by hundredths)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When the encoder's best label is trusted: a score floor and a lead over the next."""

    floor: float
    margin: float


# Calibrated on the public development set (bench/README.md, "Classification"): with
# examples the score is centroid cosine + n-gram similarity (0..2); zero-shot, a cosine.
WITH_EXAMPLES = Thresholds(floor=SIMILARITY_FLOOR, margin=MARGIN)
ZERO_SHOT = Thresholds(floor=0.10, margin=0.06)


@dataclass(frozen=True, slots=True)
class Classification:
    label: str
    confidence: float  # the label's probability (encoder softmax, plus the LLM's vote)
    stage: str  # "embedding" | "combined" (encoder + LLM) | "grammar" (LLM alone)
    scores: Mapping[str, float] = field(default_factory=dict)
    ms: float = 0.0
    note: str = ""  # why the encoder did not decide alone, if it did not
    response: Response | None = None  # the LLM's answer, when it was consulted
    encoder: str = ""  # which encoder scored ("" when none did)

    def describe(self) -> str:
        if self.stage == "embedding":
            return phrase("embedding {confidence}", confidence=format(self.confidence, ".2f"))
        if self.stage == "combined":
            return phrase(
                "embedding + grammar {confidence} ({note})",
                confidence=format(self.confidence, ".2f"),
                note=self.note,
            )
        return phrase("grammar ({note})", note=self.note) if self.note else phrase("grammar")


def reads_latin(text: str) -> bool:
    """True if most letters are Latin: the English-only encoder can read it."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    latin = sum(1 for c in letters if c.isascii())
    return latin / len(letters) >= 0.7


def instruction_head(text: str, words: int = 20) -> str:
    """The first sentence (up to a colon or line break), at most `words` words: what a
    request asks for, without the document it asks about ("Summarize this: <article>")."""
    first = re.split(r"(?<=[.!?:])\s|\n", text.strip(), maxsplit=1)[0]
    return " ".join(first.split()[:words])


def embedding_verdict(
    scores: Mapping[str, float], *, floor: float = SIMILARITY_FLOOR, margin: float = MARGIN
) -> tuple[str | None, str]:
    """The label the embedding stage settles on, or None and the reason it does not."""
    if not scores:
        return None, phrase("no label has examples")
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    best, top = ranked[0]
    if top < floor:
        return None, phrase(
            "best similarity {top} < {floor}", top=format(top, ".2f"), floor=format(floor, ".2f")
        )
    if len(ranked) > 1 and top - ranked[1][1] < margin:
        return None, phrase(
            "{best} and {ranked_1_0} are within {margin}",
            best=best,
            ranked_1_0=ranked[1][0],
            margin=format(margin, ".2f"),
        )
    return best, ""


def probabilities(
    scores: Mapping[str, float], temperature: float = TEMPERATURE
) -> dict[str, float]:
    """Softmax of the encoder's scores: how sure it is, as numbers that add up to 1."""
    if not scores:
        return {}
    top = max(scores.values())
    weights = {label: math.exp((s - top) / temperature) for label, s in scores.items()}
    total = sum(weights.values())
    return {label: w / total for label, w in weights.items()}


def combine(probs: Mapping[str, float], vote: str, weight: float = LLM_WEIGHT) -> tuple[str, float]:
    """The encoder's probabilities plus the LLM's vote: the label and its share (0..1)."""
    combined = {label: p + (weight if label == vote else 0.0) for label, p in probs.items()}
    combined.setdefault(vote, weight)
    label = max(combined, key=lambda name: combined[name])
    return label, combined[label] / (1.0 + weight)


def vote_can_change(probs: Mapping[str, float], weight: float = LLM_WEIGHT) -> bool:
    """True if an LLM vote of `weight` for the runner-up could overtake the leader: when it
    cannot, asking the LLM would only cost time (on Korean, seconds), so it is not asked."""
    ranked = sorted(probs.values(), reverse=True)
    return len(ranked) > 1 and ranked[0] - ranked[1] < weight


def shortlist(
    scores: Mapping[str, float], labels: Sequence[str], size: int = SHORTLIST
) -> tuple[str, ...]:
    """The `size` labels the encoder ranks highest (all labels when it ranked none)."""
    if not scores:
        return tuple(labels)
    ranked = sorted(labels, key=lambda label: scores.get(label, -math.inf), reverse=True)
    return tuple(ranked[:size])


def few_shot_prompt(label_set: LabelSet, text: str, per_label: int = EXAMPLES_PER_LABEL) -> str:
    """A completion prompt with the `per_label` examples of each label most like the text
    (same script first, then by shared character pairs), the most similar one last: a
    small model leans on the nearest demonstration, and this keeps Korean workable."""
    latin = reads_latin(text)
    picks: list[tuple[float, str, str]] = []
    for label, examples in label_set.examples.items():
        ranked = sorted(
            examples,
            key=lambda e: (reads_latin(e) == latin, bigram_similarity(text, e)),
            reverse=True,
        )
        picks += [(bigram_similarity(text, e), e, label) for e in ranked[:per_label]]
    picks.sort(key=lambda pick: pick[0])
    lines = [f"Classify each message as one of: {', '.join(label_set.labels)}.", ""]
    for _, example, label in picks:
        lines += [f"Message: {_one_line(example)}", f"Label: {label}", ""]
    lines += [f"Message: {_one_line(text)}", "Label:"]
    return "\n".join(lines)


def bigram_similarity(a: str, b: str) -> float:
    """Cosine similarity of the character-pair counts of two texts (spaces ignored)."""
    left, right = _bigrams(a), _bigrams(b)
    dot = sum(count * right[pair] for pair, count in left.items())
    norm = math.sqrt(sum(v * v for v in left.values()) * sum(v * v for v in right.values()))
    return dot / norm if norm else 0.0


def _bigrams(text: str) -> Counter[str]:
    squeezed = "".join(text.casefold().split())
    return Counter(squeezed[i : i + 2] for i in range(len(squeezed) - 1))


@dataclass(frozen=True, slots=True)
class _LabelVectors:
    """What the encoder stage compares a text with, for one label set and one encoder."""

    names: tuple[str, ...]
    matrix: npt.NDArray[np.float32]  # one unit row per label: centroid or label-name vector
    ngrams: NgramProfiles | None  # with examples only
    thresholds: Thresholds


class IntentClassifier:
    """Labels a text with one label of a set; `detect_task` picks the task for auto."""

    def __init__(
        self,
        *,
        label_sets: Callable[[], LabelSets],
        embed: Embed | None,
        generate: Generate,
        model: str = "auto",
        embed_multilingual: Embed | None = None,
        with_examples: Thresholds = WITH_EXAMPLES,
        zero_shot: Thresholds = ZERO_SHOT,
    ) -> None:
        self._label_sets = label_sets
        self._encoders: dict[str, Embed] = {}
        if embed is not None:
            self._encoders["latin"] = embed
        if embed_multilingual is not None:
            self._encoders["multilingual"] = embed_multilingual
        self._generate = generate
        self._model = model
        self.with_examples = with_examples
        self.zero_shot = zero_shot
        self._vectors: dict[tuple[str, str], _LabelVectors] = {}
        self._lock = threading.Lock()

    def detect_task(self, text: str, *, risk: Risk = "low") -> Classification:
        found = self.classify(text, label_set="task", risk=risk)
        assert found is not None
        return found

    def label(
        self,
        text: str,
        *,
        label_set: str | LabelSet | None = None,
        labels: tuple[str, ...] | None = None,
        risk: Risk = "low",
    ) -> Classification:
        """`classify` with both stages: always a label."""
        found = self.classify(text, label_set=label_set, labels=labels, risk=risk)
        assert found is not None
        return found

    def classify(
        self,
        text: str,
        *,
        label_set: str | LabelSet | None = None,
        labels: tuple[str, ...] | None = None,
        risk: Risk = "low",
        embedding_only: bool = False,
    ) -> Classification | None:
        """The label for `text`, from a set (named in labels.json, or given whole) or from the
        `labels` a request gives; with `embedding_only`, None unless the encoder decides (no
        model call is made)."""
        started = time.perf_counter()
        sets = self._label_sets()
        if isinstance(label_set, LabelSet):
            chosen = label_set
        elif labels:
            chosen = sets.adhoc(labels)
        elif label_set:
            chosen = sets.get(label_set)
        else:
            raise RequestError(phrase("Say which labels to choose from (a label set or a list)."))
        text = text.strip()[:MAX_TEXT_CHARS]
        read = instruction_head(text) if label_set == "task" else text
        encoder = self._encoder_for(read)
        note = phrase("no encoder reads this script") if encoder is None else ""
        scores: dict[str, float] = {}
        if encoder is not None:
            try:
                scores, thresholds = self._scores(chosen, read, encoder)
            except AuroraError as exc:  # no encoder: the grammar stage still answers
                note = phrase("embeddings unavailable: {exc}", exc=exc)
                encoder = None
            else:
                label, note = embedding_verdict(
                    scores, floor=thresholds.floor, margin=thresholds.margin
                )
                probs = probabilities(scores)
                if label is None and not vote_can_change(probs):
                    label = max(probs, key=lambda name: probs[name])  # no vote could tip it
                if label is not None:
                    return Classification(
                        label, probs[label], "embedding", scores, _ms(started), encoder=encoder
                    )
        if embedding_only:
            return None
        candidates = shortlist(scores, chosen.labels)
        vote, response = self._by_grammar(_only(chosen, candidates), text, risk)
        if not scores:
            return Classification(vote, 1.0, "grammar", scores, _ms(started), note, response)
        label, confidence = combine(probabilities(scores), vote)
        return Classification(
            label, confidence, "combined", scores, _ms(started), note, response, encoder or ""
        )

    def labels_of(self, label_set: str) -> tuple[str, ...]:
        return self._label_sets().get(label_set).labels

    # -- stages --------------------------------------------------------------------------------

    def _encoder_for(self, text: str) -> str | None:
        """MiniLM reads Latin script; anything else needs the multilingual encoder."""
        if reads_latin(text) and "latin" in self._encoders:
            return "latin"
        return "multilingual" if "multilingual" in self._encoders else None

    def _scores(
        self, label_set: LabelSet, text: str, encoder: str
    ) -> tuple[dict[str, float], Thresholds]:
        vectors = self._vectors_for(label_set, encoder)
        vector = self._encoders[encoder]([text])[0]
        sims = vectors.matrix @ vector
        scores = {name: float(s) for name, s in zip(vectors.names, sims, strict=True)}
        if vectors.ngrams is not None:
            for name, similarity in vectors.ngrams.scores(text).items():
                scores[name] += similarity
        return {name: round(s, 4) for name, s in scores.items()}, vectors.thresholds

    def _vectors_for(self, label_set: LabelSet, encoder: str) -> _LabelVectors:
        key = (encoder, _fingerprint(label_set))
        with self._lock:
            cached = self._vectors.get(key)
        if cached is not None:
            return cached
        import numpy as np

        from aurora_desktop.core.cognition.ngrams import NgramProfiles

        embed = self._encoders[encoder]
        usable = {
            label: [e for e in examples if encoder != "latin" or reads_latin(e)]
            for label, examples in label_set.examples.items()
        }
        names = label_set.labels
        if all(usable.values()):
            rows = []
            for label in names:
                centroid = embed(usable[label]).mean(axis=0)
                rows.append(centroid / max(float(np.linalg.norm(centroid)), 1e-12))
            matrix = np.vstack(rows).astype(np.float32)
            vectors = _LabelVectors(names, matrix, NgramProfiles.build(usable), self.with_examples)
        else:  # zero-shot: the text against the label names themselves
            matrix = np.asarray(embed(list(names)), dtype=np.float32)
            vectors = _LabelVectors(names, matrix, None, self.zero_shot)
        with self._lock:
            self._vectors[key] = vectors
        return vectors

    def _by_grammar(self, label_set: LabelSet, text: str, risk: Risk) -> tuple[str, Response]:
        prompt = few_shot_prompt(label_set, text)
        request = Request.from_prompt(
            prompt, task="intent", model=self._model, risk=risk, max_tokens=16, temperature=0.0,
            request_id=f"{CLASSIFY_ID_PREFIX}{uuid.uuid4().hex[:8]}",
        )  # fmt: skip
        grammar = _after_colon(labels_grammar(label_set.labels))
        response = self._generate(request, Constraint(grammar=grammar, raw_prompt=True))
        label = find_label(response.text, label_set.labels)
        if label is None:  # only a model that ignored the grammar (a cloud one) gets here
            raise EngineError(
                phrase(
                    "{response_model} answered {response_text_strip_40}, which is "
                    "none of the labels.",
                    response_model=response.model,
                    response_text_strip_40=repr(response.text.strip()[:40]),
                )
            )
        return label, response


def _only(label_set: LabelSet, labels: tuple[str, ...]) -> LabelSet:
    """The set narrowed to `labels` (the encoder's shortlist), examples kept."""
    if len(labels) == len(label_set.labels):
        return label_set
    return LabelSet(
        label_set.name,
        label_set.description,
        {label: label_set.examples[label] for label in labels},
    )


def find_label(answer: str, labels: Sequence[str]) -> str | None:
    """The label an answer gives: the answer itself, or the one label it mentions as a word
    ("This message is a greeting." from a model that could not be constrained)."""
    exact = canonical_label(answer, tuple(labels))
    if exact is not None:
        return exact
    said = answer.casefold()
    named = [
        label
        for label in labels
        if re.search(rf"(?<!\w){re.escape(label.casefold())}(?!\w)", said) is not None
    ]
    return named[0] if len(named) == 1 else None


def _after_colon(grammar: str) -> str:
    """The label grammar, preceded by the one space that follows "Label:"."""
    return grammar.replace("root ::=", "label ::=", 1) + '\nroot ::= " " label\n'


def _fingerprint(label_set: LabelSet) -> str:
    digest = hashlib.sha256()
    for label, examples in label_set.examples.items():
        digest.update(label.encode("utf-8") + b"\x00")
        for example in examples:
            digest.update(example.encode("utf-8") + b"\x01")
    return digest.hexdigest()


def _one_line(text: str) -> str:
    return " ".join(text.split())[:400]


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 2)
