"""IntentClassifier: picks a label (or a task, for `task: auto`) locally, in two stages.

1. Embeddings: the text and each label's example utterances go through the local MiniLM
   encoder; the label whose centroid is nearest wins if it is clearly ahead (a similarity
   floor and a margin over the runner-up). This takes a few milliseconds.
2. Otherwise a local LLM completes a few-shot prompt ("Message: …\\nLabel: …") under a
   grammar that admits only the labels, so even a 135M model answers with a valid label.
   The encoder reads English only, so text that is mostly not Latin script (Korean) goes
   straight to this stage.
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

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.cognition.grammar import labels_grammar
from aurora_desktop.core.cognition.labelsets import LabelSet, LabelSets
from aurora_desktop.core.cognition.verifier import canonical_label
from aurora_desktop.core.contract import Request, Response, Risk
from aurora_desktop.core.engines.base import Constraint
from aurora_desktop.core.errors import AuroraError, EngineError, RequestError
from aurora_desktop.core.text import phrase

Embed = Callable[[Sequence[str]], npt.NDArray[np.float32]]
Generate = Callable[[Request, Constraint], Response]
SIMILARITY_FLOOR = 0.22  # centroid similarity below which the nearest label is a guess
MARGIN = 0.08  # the winner must lead the runner-up by this much
EXAMPLES_PER_LABEL = 2
MAX_TEXT_CHARS = 1500  # the classifier reads the start of long texts only
CLASSIFY_ID_PREFIX = "classify-"  # marks the classifier's own model calls in metrics and ledger


@dataclass(frozen=True, slots=True)
class Classification:
    label: str
    confidence: float  # cosine similarity for the embedding stage; 1.0 when grammar-picked
    stage: str  # "embedding" | "grammar"
    scores: Mapping[str, float] = field(default_factory=dict)
    ms: float = 0.0
    note: str = ""  # why the first stage did not decide, if it did not
    response: Response | None = None  # the LLM's answer, when the grammar stage decided

    def describe(self) -> str:
        if self.stage == "embedding":
            return phrase(f"embedding {self.confidence:.2f}")
        return phrase(f"grammar ({self.note})") if self.note else phrase("grammar")


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
        return None, phrase(f"best similarity {top:.2f} < {floor:.2f}")
    if len(ranked) > 1 and top - ranked[1][1] < margin:
        return None, phrase(f"{best} and {ranked[1][0]} are within {margin:.2f}")
    return best, ""


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


class IntentClassifier:
    """Labels a text with one label of a set; `detect_task` picks the task for auto."""

    def __init__(
        self,
        *,
        label_sets: Callable[[], LabelSets],
        embed: Embed | None,
        generate: Generate,
        model: str = "auto",
        floor: float = SIMILARITY_FLOOR,
        margin: float = MARGIN,
    ) -> None:
        self._label_sets = label_sets
        self._embed = embed
        self._generate = generate
        self._model = model
        self.floor = floor
        self.margin = margin
        self._centroids: dict[str, tuple[tuple[str, ...], npt.NDArray[np.float32]]] = {}
        self._lock = threading.Lock()

    def detect_task(self, text: str, *, risk: Risk = "low") -> Classification:
        found = self.classify(text, label_set="task", risk=risk)
        assert found is not None
        return found

    def label(
        self,
        text: str,
        *,
        label_set: str | None = None,
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
            raise RequestError("Say which labels to choose from (a label set or a list).")
        text = text.strip()[:MAX_TEXT_CHARS]
        note = phrase("not Latin script")
        scores: dict[str, float] = {}
        if self._embed is not None and reads_latin(text):
            try:
                scores = self._scores(
                    chosen, instruction_head(text) if label_set == "task" else text
                )
            except AuroraError as exc:  # no encoder: the grammar stage still answers
                note = phrase(f"embeddings unavailable: {exc}")
            else:
                label, note = embedding_verdict(scores, floor=self.floor, margin=self.margin)
                if label is not None:
                    return Classification(label, scores[label], "embedding", scores, _ms(started))
        elif self._embed is None:
            note = phrase("no encoder")
        if embedding_only:
            return None
        label, response = self._by_grammar(chosen, text, risk)
        return Classification(label, 1.0, "grammar", scores, _ms(started), note, response)

    def labels_of(self, label_set: str) -> tuple[str, ...]:
        return self._label_sets().get(label_set).labels

    # -- stages --------------------------------------------------------------------------------

    def _scores(self, label_set: LabelSet, text: str) -> dict[str, float]:
        assert self._embed is not None
        names, matrix = self._centroids_for(label_set)
        if not names:
            return {}
        vector = self._embed([text])[0]
        sims = matrix @ vector
        return {name: round(float(s), 4) for name, s in zip(names, sims, strict=True)}

    def _centroids_for(
        self, label_set: LabelSet
    ) -> tuple[tuple[str, ...], npt.NDArray[np.float32]]:
        key = _fingerprint(label_set)
        with self._lock:
            cached = self._centroids.get(key)
        if cached is not None:
            return cached
        assert self._embed is not None
        names: list[str] = []
        rows: list[npt.NDArray[np.float32]] = []
        for label, examples in label_set.examples.items():
            readable = [e for e in examples if reads_latin(e)]
            if not readable:
                continue
            centroid = self._embed(readable).mean(axis=0)
            rows.append(centroid / max(float(np.linalg.norm(centroid)), 1e-12))
            names.append(label)
        matrix = np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 1), np.float32)
        result = (tuple(names), matrix)
        with self._lock:
            self._centroids[key] = result
        return result

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
                f"{response.model} answered {response.text.strip()[:40]!r}, which is none of "
                "the labels."
            )
        return label, response


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
