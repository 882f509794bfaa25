"""The chunker: offsets that slice the source, overlap, natural breaks, full coverage."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aurora_desktop.core.rag.chunker import chunk_text

PROSE = " ".join(f"Sentence number {i} talks about topic {i % 7} and ends here." for i in range(60))


def covered(text: str, chunks: list) -> bool:
    seen = [False] * len(text)
    for c in chunks:
        for i in range(c.start, c.end):
            seen[i] = True
    return all(seen[i] for i, ch in enumerate(text) if not ch.isspace())


def test_offsets_slice_the_source_and_every_character_is_covered() -> None:
    chunks = chunk_text(PROSE, max_chars=300, overlap=60)
    assert len(chunks) > 5
    for n, c in enumerate(chunks):
        assert c.ordinal == n
        assert PROSE[c.start : c.end] == c.text
        assert len(c.text) <= 300
        assert c.text == c.text.strip()
    assert covered(PROSE, chunks)


def test_chunks_overlap_and_end_at_sentence_ends() -> None:
    chunks = chunk_text(PROSE, max_chars=300, overlap=60)
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end  # overlap
        assert before.end - after.start <= 60
        assert after.start > before.start
    assert all(c.text.endswith(".") for c in chunks)


def test_paragraph_breaks_are_preferred() -> None:
    text = ("alpha " * 30).strip() + ".\n\n" + ("beta " * 60).strip() + "."
    first = chunk_text(text, max_chars=300, overlap=0)[0]
    assert first.text.endswith("alpha.")


def test_no_overlap_gives_disjoint_chunks() -> None:
    chunks = chunk_text(PROSE, max_chars=200, overlap=0)
    for before, after in itertools.pairwise(chunks):
        assert after.start >= before.end


def test_text_without_spaces_is_cut_hard() -> None:
    text = "x" * 1050
    chunks = chunk_text(text, max_chars=500, overlap=50)
    assert [len(c.text) for c in chunks][:2] == [500, 500]
    assert covered(text, chunks)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t"])
def test_blank_text_gives_no_chunks(text: str) -> None:
    assert chunk_text(text) == []


def test_short_text_is_one_chunk_with_its_offsets() -> None:
    (only,) = chunk_text("\n  A short note.  \n")
    assert (only.start, only.end, only.text) == (3, 16, "A short note.")


@pytest.mark.parametrize(("size", "overlap"), [(10, 0), (100, 50), (100, -1)])
def test_bad_settings_are_refused(size: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        chunk_text(PROSE, max_chars=size, overlap=overlap)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab .\n!가"), max_size=3000),
    size=st.integers(min_value=20, max_value=400),
    overlap_share=st.floats(min_value=0.0, max_value=0.49),
)
def test_any_text_is_covered_by_exact_slices(text: str, size: int, overlap_share: float) -> None:
    overlap = int(size * overlap_share)
    if overlap >= size // 2:
        overlap = size // 2 - 1
    chunks = chunk_text(text, max_chars=size, overlap=overlap)
    assert all(text[c.start : c.end] == c.text and 0 < len(c.text) <= size for c in chunks)
    assert all(b.start > a.start for a, b in itertools.pairwise(chunks))
    assert covered(text, chunks)
