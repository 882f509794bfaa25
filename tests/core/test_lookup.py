"""Prompt-lookup drafts: which tokens are proposed and how acceptance is counted."""

from __future__ import annotations

import numpy as np

from aurora_desktop.core.engines.lookup import GIVE_UP_AFTER, PromptLookup, find_draft


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
    lookup = PromptLookup(min_ngram=2, max_ngram=3, tokens=4)
    prompt = [3, 4, 10, 11, 12, 13, 14, 3, 4]
    draft = lookup(ids(*prompt))
    assert draft.tolist() == [10, 11, 12, 13]
    # the model kept 10 and 11, then sampled 99 instead of 12
    lookup(ids(*prompt, 10, 11, 99))
    assert (lookup.drafted, lookup.kept) == (4, 2)  # "11 99" recurs nowhere: no new draft


def test_gives_up_when_drafts_keep_being_rejected() -> None:
    lookup = PromptLookup(min_ngram=1, max_ngram=1, tokens=8)
    sequence = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1]
    for step in range(GIVE_UP_AFTER):  # every draft rejected at its first token
        if lookup.drafted >= GIVE_UP_AFTER:
            break
        lookup(ids(*sequence))
        sequence = [*sequence, 100 + step, 1]
    assert lookup.drafted >= GIVE_UP_AFTER and lookup.kept == 0
    assert lookup(ids(*sequence)).size == 0
