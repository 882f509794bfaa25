"""Grounds an answer in the user's documents: the index on first use, the sources worth
showing a small model, and the prompt that cites them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from aurora_desktop.core.cognition.conductor import Retrieval
from aurora_desktop.core.embedding.service import EmbeddingService
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.models.fetch import ProgressCallback
from aurora_desktop.core.policy.consent import ConsentBroker
from aurora_desktop.core.sqlite_file import Report
from aurora_desktop.core.text import phrase

if TYPE_CHECKING:  # RAG (faiss) loads when first used, not at start-up
    from aurora_desktop.core.rag.retrieval import Hit
    from aurora_desktop.core.rag.service import RagService

RAG_SOURCE_CHARS = 4000  # sources in a RAG prompt: room for the answer in a 2k context
RAG_MIN_SCORE = 0.2  # cosine similarity below which a source is not shown to the model
RAG_SPREAD = 0.15  # nor when it is this far behind the best source


class Grounding:
    """The local document index (opened on first use), on the multilingual encoder: with
    lexical search fused in it found every gold document of the English and Korean
    development questions first (MiniLM: 58 of 60), see bench/rag_bench.py --quality."""

    def __init__(
        self, root: Path, encoder: EmbeddingService, consent: ConsentBroker, report: Report
    ) -> None:
        self._root = root
        self._encoder = encoder
        self._consent = consent
        self._report = report
        self._service: RagService | None = None

    def service(self) -> RagService:
        if self._service is None:
            from aurora_desktop.core.rag.service import RagService

            self._service = RagService(
                self._root, self._encoder, self._consent, report=self._report
            )
        return self._service

    def retrieve(self, question: str, k: int, progress: ProgressCallback) -> Retrieval:
        """The sources for a RAG answer and the grounded prompt that cites them."""
        from aurora_desktop.core.rag.prompt import citations, rag_messages

        self._encoder.ensure(progress)
        hits = relevant(self.service().query(question, k))
        if not hits:
            raise ConfigError(
                phrase("No documents are indexed yet; run 'aurora rag ingest FOLDER' first.")
            )
        messages = rag_messages(question, hits, budget=RAG_SOURCE_CHARS)
        return Retrieval(messages, tuple(citations(hits)))

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None


def relevant(hits: list[Hit]) -> list[Hit]:
    """The hits close to the best one: a small model answers from noise it is shown."""
    if not hits:
        return hits
    best = hits[0].score
    return [h for h in hits if h is hits[0] or h.score >= max(RAG_MIN_SCORE, best - RAG_SPREAD)]
