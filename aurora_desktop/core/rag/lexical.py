"""Words for SQLite FTS5: lower-cased words, and overlapping bigrams inside CJK runs.

Korean glues particles to nouns (대통령은, 대통령이) and Chinese and Japanese do not space
words, so a run of CJK characters is indexed as its overlapping character pairs, the way
Lucene's CJK analyzer does: a question's 대통령이 shares 대통, 통령 with the text's 대통령은.
Other scripts are split into words at non-word characters. Measured on the RAG development
set (15 English, 15 Korean documents), words plus CJK bigrams put every gold document first,
where FTS5's own trigram tokenizer missed English ones (its 3-grams favour long shared
substrings) and plain words missed a Korean one.

The same analysis runs on stored chunks and on questions; a question becomes an FTS5 query
of quoted terms joined by OR, so nothing the user types is read as FTS5 syntax.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping

ANALYZER_VERSION = "words+cjk2/1"  # stored in the database: a change rebuilds the table
TOKENIZE = "unicode61 remove_diacritics 2"
MAX_QUERY_TERMS = 64  # a pasted page is still one bounded query
_WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 keeps as one token
_CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff]+"
)


def terms(text: str) -> list[str]:
    """The index terms of `text`, in order, repeats kept (they weigh in BM25)."""
    out: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", text).casefold()):
        at = 0
        for run in _CJK.finditer(word):
            if run.start() > at:
                out.append(_fold(word[at : run.start()]))
            out.extend(_bigrams(run.group()))
            at = run.end()
        if at < len(word):
            out.append(_fold(word[at:]))
    return out


def indexed_text(text: str) -> str:
    """What goes into the FTS5 table for a chunk: its terms separated by spaces."""
    return " ".join(terms(text))


def question_terms(text: str) -> list[str]:
    """The distinct terms of a question, in order, at most `MAX_QUERY_TERMS`."""
    return list(dict.fromkeys(terms(text)))[:MAX_QUERY_TERMS]


def match_expression(text: str) -> str | None:
    """A safe FTS5 query for `text`: each distinct term quoted, OR-ed; None without terms."""
    return any_of(question_terms(text))


def any_of(words: Iterable[str]) -> str | None:
    """An FTS5 query matching any of `words`, each quoted; None for no words."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    return " OR ".join(quoted) if quoted else None


def idf(documents_with: int, n: int) -> float:
    """FTS5's bm25 weight of a term found in `documents_with` of `n` rows (at least 1e-6)."""
    return max(math.log((n - documents_with + 0.5) / (documents_with + 0.5)), 1e-6)


def query_weight(words: Iterable[str], documents_with: Mapping[str, int], n: int) -> float:
    """The BM25 a chunk of average length gets for holding each distinct term once.

    This is the sum of the terms' inverse document frequencies as FTS5's bm25 computes them
    (a term in no chunk counts as if in none of `n + 1`, a term in most chunks barely
    counts); dividing a chunk's BM25 by it gives the share of the question's rare words
    that the chunk matches, comparable across questions.
    """
    return sum(idf(documents_with.get(term, 0), n) for term in dict.fromkeys(words))


def _fold(word: str) -> str:
    """Diacritics removed, as the unicode61 tokenizer's remove_diacritics does."""
    if word.isascii():
        return word
    parts = unicodedata.normalize("NFKD", word)
    return unicodedata.normalize("NFC", "".join(c for c in parts if not unicodedata.combining(c)))


def _bigrams(run: str) -> list[str]:
    if len(run) <= 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]
