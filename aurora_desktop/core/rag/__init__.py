"""Local retrieval-augmented generation: chunk, embed, index and search the user's files."""

from aurora_desktop.core.rag.chunker import Chunk, chunk_text
from aurora_desktop.core.rag.index import IndexConfig, VectorIndex
from aurora_desktop.core.rag.ingest import IngestProgress, IngestReport, IngestSettings
from aurora_desktop.core.rag.prompt import citations, rag_messages
from aurora_desktop.core.rag.retrieval import Hit
from aurora_desktop.core.rag.service import RagService, RagStats, read_scope

__all__ = [
    "Chunk",
    "Hit",
    "IndexConfig",
    "IngestProgress",
    "IngestReport",
    "IngestSettings",
    "RagService",
    "RagStats",
    "VectorIndex",
    "chunk_text",
    "citations",
    "rag_messages",
    "read_scope",
]
