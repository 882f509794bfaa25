"""Prompt-lookup drafts: the tokens that followed the latest earlier occurrence of the last
few tokens, for answers that copy from their prompt (extraction, quotes, summaries).

It plugs into llama-cpp-python's speculative loop (`Llama.draft_model`), which evaluates the
sampled token with the drafts in one batch and keeps the drafts the model itself samples, so
the text is the same as without drafts. A draft costs a longer batch: `break_even` is how
many drafted tokens a step must keep on average to pay for it (the engine measures a batch's
cost on the loaded model), and drafting stops for the rest of a generation once the steps so
far have kept fewer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

JUDGE_AFTER = 3  # drafting steps seen before their payoff is judged


class PromptLookup:
    """A `LlamaDraftModel`: drafts by n-gram lookup in the tokens so far (prompt + answer)."""

    def __init__(self, *, min_ngram: int, max_ngram: int, tokens: int, break_even: float) -> None:
        self.min_ngram, self.max_ngram, self.tokens = min_ngram, max_ngram, tokens
        self.break_even = break_even
        self.drafted = 0  # tokens proposed so far
        self.kept = 0  # of those, tokens the model sampled too
        self.steps = 0  # calls that proposed a draft
        self._last: npt.NDArray[np.intc] = np.zeros(0, dtype=np.intc)
        self._seen = 0  # length of the input at the last call

    def __call__(self, input_ids: npt.NDArray[np.intc], /, **_: Any) -> npt.NDArray[np.intc]:
        self._score(input_ids)
        if self.steps >= JUDGE_AFTER and self.kept < self.break_even * self.steps:
            draft = np.zeros(0, dtype=np.intc)  # the drafts cost more than they saved
        else:
            draft = find_draft(input_ids, self.min_ngram, self.max_ngram, self.tokens)
        self._last, self._seen = draft, len(input_ids)
        self.drafted += len(draft)
        self.steps += 1 if len(draft) else 0
        return draft

    def _score(self, input_ids: npt.NDArray[np.intc]) -> None:
        """Count how many of the last draft's tokens the model went on to sample."""
        if not len(self._last):
            return
        # the input now ends with what was kept of the last draft plus one sampled token
        grown = input_ids[self._seen : len(input_ids) - 1]
        n = min(len(grown), len(self._last))
        same = np.asarray(grown[:n] == self._last[:n])
        self.kept += int(np.argmin(same)) if not same.all() else n


def find_draft(
    ids: npt.NDArray[np.intc], min_ngram: int, max_ngram: int, tokens: int
) -> npt.NDArray[np.intc]:
    """Up to `tokens` ids that followed the latest earlier occurrence of the input's last
    n-gram, trying the longest n-gram first; empty when no n-gram of `min_ngram` recurs."""
    length = len(ids)
    for size in range(min(max_ngram, length - 1), min_ngram - 1, -1):
        tail = ids[length - size :]
        windows = np.lib.stride_tricks.sliding_window_view(ids[: length - 1], size)
        hits = np.flatnonzero((windows == tail).all(axis=1))
        for start in hits[::-1]:  # the latest occurrence first
            follow = ids[start + size : min(start + size + tokens, length)]
            if len(follow):
                return np.asarray(follow, dtype=np.intc)
    return np.zeros(0, dtype=np.intc)
