"""Sentence embeddings shared by retrieval and intent classification."""

from aurora_desktop.core.embedding.service import (
    DEFAULT_EMBEDDING_MODEL,
    MULTILINGUAL_EMBEDDING_MODEL,
    EmbeddingService,
)

__all__ = ["DEFAULT_EMBEDDING_MODEL", "MULTILINGUAL_EMBEDDING_MODEL", "EmbeddingService"]
