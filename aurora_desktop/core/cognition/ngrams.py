"""Character n-gram TF-IDF: a surface-form signal for the classifier, in any script.

Sentence encoders capture what a text is about; how it is phrased (a Korean sentence ending
in 까/요?/해줘, "can you…", "I want…") is often what separates speech acts and intents, and
it lives in short character sequences. So each label's examples are turned into one
TF-IDF vector of character 1- to 3-grams (spaces squeezed, case folded, word edges marked)
and a text is scored by cosine against each label's vector. Pure numpy, a few ms.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

ORDERS = (1, 2, 3)


def char_ngrams(text: str, orders: Sequence[int] = ORDERS) -> Counter[str]:
    """Counts of the text's character n-grams, with a space marking each word edge."""
    squeezed = " " + " ".join(text.casefold().split()) + " "
    grams: Counter[str] = Counter()
    for n in orders:
        grams.update(squeezed[i : i + n] for i in range(len(squeezed) - n + 1))
    del grams[" "]  # a word edge on its own says nothing
    return grams


@dataclass(frozen=True, slots=True)
class NgramProfiles:
    """One unit-length TF-IDF vector per label, over the examples' n-gram vocabulary."""

    labels: tuple[str, ...]
    vocabulary: Mapping[str, int]
    idf: npt.NDArray[np.float32]
    matrix: npt.NDArray[np.float32]  # (labels, vocabulary)

    @classmethod
    def build(cls, examples: Mapping[str, Sequence[str]]) -> NgramProfiles:
        """Profiles for the labels that have examples (a label without any is left out)."""
        labels = tuple(label for label, texts in examples.items() if texts)
        counted = {label: [char_ngrams(t) for t in examples[label]] for label in labels}
        documents = [grams for label in labels for grams in counted[label]]
        frequency: Counter[str] = Counter()
        for grams in documents:
            frequency.update(grams.keys())
        vocabulary = {gram: i for i, gram in enumerate(sorted(frequency))}
        total = len(documents)
        idf = np.array(
            [math.log((1 + total) / (1 + frequency[g])) + 1.0 for g in sorted(frequency)],
            dtype=np.float32,
        )
        matrix = np.zeros((len(labels), len(vocabulary)), dtype=np.float32)
        for row, label in enumerate(labels):
            for grams in counted[label]:
                matrix[row] += _vector(grams, vocabulary, idf)
        return cls(labels, vocabulary, idf, _unit_rows(matrix))

    def scores(self, text: str) -> dict[str, float]:
        """Cosine of the text's TF-IDF vector with each label's (0 when nothing is shared)."""
        if not self.labels:
            return {}
        vector = _vector(char_ngrams(text), self.vocabulary, self.idf)
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:
            return dict.fromkeys(self.labels, 0.0)
        sims = self.matrix @ (vector / norm)
        return {label: float(s) for label, s in zip(self.labels, sims, strict=True)}


def _vector(
    grams: Counter[str], vocabulary: Mapping[str, int], idf: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    vector = np.zeros(len(vocabulary), dtype=np.float32)
    for gram, count in grams.items():
        index = vocabulary.get(gram)
        if index is not None:
            vector[index] = (1.0 + math.log(count)) * idf[index]
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _unit_rows(matrix: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.clip(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12, None)
    return np.asarray(matrix / norms, dtype=np.float32)
