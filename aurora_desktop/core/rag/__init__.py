"""Local retrieval-augmented generation: chunk, embed, index and search the user's files.

The names below load on first use (PEP 562): the tray app imports `core.rag.grounding` at
start-up, and faiss and numpy must wait until a document is indexed or searched."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aurora_desktop.core.rag.chunker import Chunk, chunk_text
    from aurora_desktop.core.rag.index import IndexConfig, VectorIndex
    from aurora_desktop.core.rag.ingest import IngestProgress, IngestReport, IngestSettings
    from aurora_desktop.core.rag.prompt import citations, rag_messages
    from aurora_desktop.core.rag.retrieval import Hit
    from aurora_desktop.core.rag.service import RagService, RagStats, read_scope

_HOMES = {
    "Chunk": "chunker",
    "chunk_text": "chunker",
    "IndexConfig": "index",
    "VectorIndex": "index",
    "IngestProgress": "ingest",
    "IngestReport": "ingest",
    "IngestSettings": "ingest",
    "citations": "prompt",
    "rag_messages": "prompt",
    "Hit": "retrieval",
    "RagService": "service",
    "RagStats": "service",
    "read_scope": "service",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
