"""Prompt-lookup drafts: which tokens are proposed and how acceptance is counted."""

from __future__ import annotations

import numpy as np

from aurora_desktop.core.engines.lookup import JUDGE_AFTER, PromptLookup, find_draft


def ids(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.intc)


def test_drafts_what_followed_the_latest_match_longest_ngram_first() -> None:
    # "5 6" occurs twice before the end; the latest occurrence is followed by 9 9
    sequence = ids(1, 5, 6, 7, 8, 2, 5, 6, 9, 9, 3, 5, 6)
    assert find_draft(sequence, 2, 4, 3).tolist() == [9, 9, 3]
    # the longer n-gram "2 5 6" wins over the latest "5 6"
    sequence = ids(2, 5, 6, 7, 7, 1, 5, 6, 4, 2, 5, 6)
    assert find_draft(sequence, 2, 4, 2).tolist() == [7, 7]


def test_no_draft_without_a_long_enough_match() -> None:
    assert find_draft(ids(1, 2, 3, 4, 5, 1), 2, 4, 8).size == 0  # only a 1-gram recurs
    assert find_draft(ids(7), 2, 4, 8).size == 0
    assert find_draft(ids(1, 2, 1, 2), 2, 4, 8).tolist() == [1, 2]


def test_counts_the_drafted_tokens_the_model_kept() -> None:
    lookup = PromptLookup(min_ngram=2, max_ngram=3, tokens=4, break_even=1.0)
    prompt = [3, 4, 10, 11, 12, 13, 14, 3, 4]
    draft = lookup(ids(*prompt))
    assert draft.tolist() == [10, 11, 12, 13]
    # the model kept 10 and 11, then sampled 99 instead of 12
    lookup(ids(*prompt, 10, 11, 99))
    assert (lookup.drafted, lookup.kept) == (4, 2)  # "11 99" recurs nowhere: no new draft


def drafting_steps(break_even: float, kept_per_step: int, steps: int = 8) -> PromptLookup:
    """Feed a drafter a sequence where the model keeps `kept_per_step` tokens of each draft."""
    lookup = PromptLookup(min_ngram=1, max_ngram=1, tokens=4, break_even=break_even)
    sequence = [1, 2, 3, 4, 5, 6, 1]  # "1" recurs: the draft is 2 3 4 5
    for step in range(steps):
        draft = lookup(ids(*sequence))
        if not draft.size:
            break
        sequence = [*sequence, *draft.tolist()[:kept_per_step], 900 + step, 1]
    return lookup


def test_drafting_stops_when_the_drafts_do_not_pay_for_their_batches() -> None:
    # a draft batch costs 3.5 single steps: a step must keep 2.5 tokens to pay
    losing = drafting_steps(break_even=2.5, kept_per_step=1)
    assert losing.steps == JUDGE_AFTER and losing.kept == JUDGE_AFTER
    assert losing(ids(1, 2, 3, 4, 5, 6, 1)).size == 0  # stopped for this generation
    paying = drafting_steps(break_even=2.5, kept_per_step=3)
    assert paying.steps == 8 and paying.kept == 3 * 7  # the last draft is not judged yet
