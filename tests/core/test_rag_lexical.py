"""Lexical retrieval: the analysis of English and Korean, safe FTS5 queries, the table's
upkeep and its migration into older document stores, and the fusion of the two rankings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from aurora_desktop.core.rag import lexical
from aurora_desktop.core.rag.chunker import chunk_text
from aurora_desktop.core.rag.docstore import Document, DocumentStore
from aurora_desktop.core.rag.fusion import Fused, reciprocal_rank_fusion, weighted_sum

DIM = 8
NASTY = [
    'the "quoted" word',
    'unbalanced " quote',
    "star* and prefix^ and caret",
    "-minus NOT this AND that OR NEAR(a b, 2)",
    "column:filter {a b}: c",
    "(((",
    "a + b",
    "'single' \\ backslash",
    "NEAR",
    '대통령은 "누구"* 인가?',
]


def put(store: DocumentStore, path: str, text: str) -> list[int]:
    chunks = chunk_text(text, max_chars=200, overlap=0)
    rows = np.ones((len(chunks), DIM), dtype=np.float32) / np.sqrt(DIM)
    _, added = store.replace_many([(Document(0, path, 1, 1, "a" * 64), chunks, rows)], now=1.0)
    return added


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Cat's café", ["the", "cat", "s", "cafe"]),
        ("대통령은", ["대통", "통령", "령은"]),
        ("대통령이 2016년에", ["대통", "통령", "령이", "2016", "년에"]),
        ("東京タワー", ["東京", "京タ", "タワ", "ワー"]),
        ("북 snake_case", ["북", "snake", "case"]),
        ("   ...  ", []),
    ],
)
def test_words_and_cjk_bigrams(text: str, expected: list[str]) -> None:
    assert lexical.terms(text) == expected


def test_a_question_is_quoted_terms_joined_by_or() -> None:
    assert lexical.match_expression('say "NEAR" -x') == '"say" OR "near" OR "x"'
    assert lexical.match_expression("?!") is None
    many = " ".join(f"w{n}" for n in range(500))
    expression = lexical.match_expression(many)
    assert expression is not None and expression.count(" OR ") == lexical.MAX_QUERY_TERMS - 1


@pytest.mark.parametrize("question", NASTY)
def test_no_question_is_read_as_fts5_syntax(tmp_path: Path, question: str) -> None:
    store = DocumentStore(tmp_path / "documents.db", DIM)
    put(store, "/d/a.txt", "A note about NEAR misses, stars and quoted words; 대통령은 누구인가.")
    store.lexical(question, 5)  # must not raise
    expression = lexical.match_expression(question)
    if expression is not None:  # the same text straight into SQLite raises for most of these
        with sqlite3.connect(":memory:") as db:
            db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize = '{lexical.TOKENIZE}')")
            db.execute("SELECT * FROM t WHERE t MATCH ?", (expression,)).fetchall()
    store.close()


def test_korean_words_match_across_particles_and_rare_words_rank_first(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents.db", DIM)
    president = put(store, "/d/ko.txt", "대통령은 국회에서 연설을 했다. 날씨는 맑았다.")
    common = put(store, "/d/en1.txt", "The report was about the weather in the city.")
    rare = put(store, "/d/en2.txt", "The report mentions a zymurgy workshop in the city.")
    found = store.lexical("대통령이 연설한 곳은?", 5)
    assert [i for _, i in found] == president
    found = store.lexical("the zymurgy report", 5)
    assert [i for _, i in found] == rare  # "the" and "report" are in most chunks: no weight
    assert 0.3 < found[0][0] <= 1.5  # the share of the question's rare words
    everywhere = store.lexical("the city", 5)  # only common words: they are searched after all
    assert sorted(i for _, i in everywhere) == sorted(common + rare)
    assert store.lexical("nothing matches qwertyuiop", 5) == []
    store.close()


def test_replacing_and_removing_documents_keeps_the_terms_in_step(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "documents.db", DIM)
    put(store, "/d/a.txt", "An aardvark ate ants.")
    assert store.lexical("aardvark", 5)
    put(store, "/d/a.txt", "A badger dug burrows.")  # the new version of the same file
    assert store.lexical("aardvark", 5) == [] and store.lexical("badger", 5)
    store.remove(["/d/a.txt"])
    assert store.lexical("badger", 5) == []
    store.close()


def test_an_older_store_gets_its_lexical_table_built_from_its_chunks(tmp_path: Path) -> None:
    path = tmp_path / "documents.db"
    store = DocumentStore(path, DIM)
    added = put(store, "/d/a.txt", "The quokka smiles at tourists on Rottnest Island.")
    store.close()
    with sqlite3.connect(path) as db:  # as a store written before lexical retrieval
        db.execute("DROP TABLE chunk_terms_vocab")
        db.execute("DROP TABLE chunk_terms")
        db.execute("DELETE FROM meta WHERE key = 'lexical'")
    reopened = DocumentStore(path, DIM)
    assert [i for _, i in reopened.lexical("Where does the quokka live?", 5)] == added
    reopened.close()
    with sqlite3.connect(path) as db:  # an older analysis is replaced the same way
        db.execute("UPDATE meta SET value = 'old' WHERE key = 'lexical'")
        db.execute("DELETE FROM chunk_terms")
    again = DocumentStore(path, DIM)
    assert [i for _, i in again.lexical("quokka", 5)] == added
    again.close()
    with sqlite3.connect(path) as db:
        (version,) = db.execute("SELECT value FROM meta WHERE key = 'lexical'").fetchone()
    assert version == lexical.ANALYZER_VERSION


def test_query_weight_counts_rare_words_and_barely_common_ones() -> None:
    rare = lexical.query_weight(["quokka"], {"quokka": 1}, 100)
    common = lexical.query_weight(["the"], {"the": 95}, 100)
    unseen = lexical.query_weight(["zzz"], {}, 100)
    assert unseen > rare > 3.0 and common == pytest.approx(1e-6)
    assert lexical.query_weight(["quokka", "quokka"], {"quokka": 1}, 100) == rare


def test_reciprocal_rank_fusion_sums_reciprocal_ranks_and_names_the_finders() -> None:
    fused = reciprocal_rank_fusion({"vector": [1, 2, 3], "lexical": [3, 4, 1, 1]}, k=60)
    assert [f.item for f in fused] == [1, 3, 2, 4]  # ties in the order first met
    assert fused[0] == Fused(1, 1 / 61 + 1 / 63, ("vector", "lexical"))
    assert fused[1].found_by == ("vector", "lexical") and fused[3].found_by == ("lexical",)
    assert reciprocal_rank_fusion({"a": [], "b": []}) == []
    assert [f.item for f in reciprocal_rank_fusion({"a": [1, 2], "b": [2, 1]}, k=0)] == [1, 2]
    with pytest.raises(ValueError):
        reciprocal_rank_fusion({"a": [1]}, k=-1)


def test_weighted_sum_lets_a_strong_score_beat_two_weak_ones() -> None:
    scores = {"vector": {1: 0.7, 2: 0.3}, "lexical": {2: 0.1, 3: 0.9}}
    fused = weighted_sum(scores, {"vector": 0.55, "lexical": 0.45})
    assert [f.item for f in fused] == [3, 1, 2]
    assert fused[1].score == pytest.approx(0.55 * 0.7) and fused[1].found_by == ("vector",)
    assert fused[2].found_by == ("vector", "lexical")
    with pytest.raises(ValueError, match="one weight per"):
        weighted_sum(scores, {"vector": 1.0})


def test_damaged_lexical_terms_are_made_again_from_the_chunks(tmp_path: Path) -> None:
    path = tmp_path / "documents.db"
    store = DocumentStore(path, DIM)
    added = put(store, "/d/a.txt", "The quokka smiles at tourists on Rottnest Island.")
    with sqlite3.connect(path) as db:  # the FTS5 index's own pages turned to garbage
        db.execute("UPDATE chunk_terms_data SET block = x'ffffffffffffffffffff' WHERE id > 1")
    with pytest.raises(sqlite3.DatabaseError), sqlite3.connect(path) as db:
        db.execute("SELECT rowid FROM chunk_terms WHERE chunk_terms MATCH 'quokka'").fetchall()
    assert [i for _, i in store.lexical("quokka", 5)] == added
    with sqlite3.connect(path) as db:
        db.execute("UPDATE chunk_terms_data SET block = x'ffffffffffffffffffff' WHERE id > 1")
    later = put(store, "/d/b.txt", "A wombat digs.")  # writing mends them too
    store.remove(["/d/a.txt"])
    assert store.lexical("quokka", 5) == []
    assert [i for _, i in store.lexical("wombat", 5)] == later
    store.close()
