"""Local RAG figures: retrieval quality, ingest throughput, query latency and HNSW recall.

- quality (`--quality`): a folder of documents and a JSONL file of questions with the gold
  document's file name (`doc`) and `lang`, as in ../shared/eval/: the gold document's rank
  through `RagService.documents`, hit@1/3/5 per language for the vector, the lexical and the
  fused retriever, for each embedding model named in `--models`.

- ingest: chunks/min through `RagService.ingest` (read, chunk, embed, commit, index) for
  short chunks (one sentence each) and 256-token chunks, on a temporary data folder.
- lexical: p50/p95 latency of one FTS5 search (k=50, as fusion asks) over 10k and 100k
  chunks of 60 words drawn from a Zipf-distributed vocabulary of 30,000 words (s = 1.1,
  roughly how words spread in prose), for 10-word questions drawn the same way.
- query: p50/p95 latency of one k=10 search at 10k and 100k vectors, exact (flat) and HNSW,
  and HNSW recall@10 against flat (with an efSearch sweep), on synthetic unit vectors of
  the model's width: uniformly random (the hard case for HNSW) and clustered around topic
  centres (closer to how sentence embeddings of real documents spread).

    .venv/bin/python bench/rag_bench.py [--json] [--sizes 10000,100000] [--short 3000]
    .venv/bin/python bench/rag_bench.py --quality [--docs DIR] [--questions FILE] [--models A,B]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from machine import cpu_model

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.embedding import (
    DEFAULT_EMBEDDING_MODEL,
    MULTILINGUAL_EMBEDDING_MODEL,
    EmbeddingService,
)
from aurora_desktop.core.evaluation.rag_score import CUTOFFS, score_rag
from aurora_desktop.core.rag import Chunk, IndexConfig, IngestSettings, RagService
from aurora_desktop.core.rag.docstore import Document, DocumentStore
from aurora_desktop.core.rag.index import FLAT, HNSW, VectorIndex, single_threaded
from aurora_desktop.core.rag.retrieval import RETRIEVERS

WIDTH = 384
QUERIES = 300
EF_SWEEP = (64, 256, 512)
K = 10
NOUNS = ["invoice", "server", "customer", "report", "garden", "train", "budget", "kettle"]
VERBS = ["was delayed by", "grew by", "failed after", "asked about", "covered", "lost"]
EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def quality(docs: Path, questions: Path, model: str) -> dict[str, Any]:
    """hit@1/3/5 per language and retriever for one embedding model, on a fresh index."""
    rows = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line]
    core = build_core()
    embedder = EmbeddingService(core.store, core.catalog, model_name=model)
    out: dict[str, Any] = {"model": model, "questions": len(rows)}
    with tempfile.TemporaryDirectory(prefix="rag-quality-") as tmp:
        rag = RagService(Path(tmp), embedder, core.consent)
        report = rag.ingest(docs, assume_yes=True)
        out["chunks"], out["ingest_s"] = report.chunks, round(report.seconds, 2)
        for using in RETRIEVERS:
            started = time.perf_counter()
            score = score_rag(rows, partial(_names, rag, using))
            ms = (time.perf_counter() - started) * 1000.0 / max(1, len(rows))
            out[using] = {
                "ms_per_question": round(ms, 1),
                "languages": {lang: s.to_dict() for lang, s in score.languages.items()},
                "misses_top3": [
                    {"question": r.question, "gold": r.gold, "rank": r.rank}
                    for r in score.misses(3)
                ],
            }
        rag.close()
    embedder.close()
    core.close()
    return out


def _names(rag: RagService, using: str, question: str, k: int) -> list[str]:
    return [Path(p).name for p in rag.documents(question, k, using=using)]


def print_quality(results: list[dict[str, Any]]) -> None:
    heads = " ".join(f"top{c}" for c in CUTOFFS)
    print(f"{'model':<22} {'retriever':<8} {'lang':<4} {'n':>3}  {heads}   ms/q")
    for r in results:
        for using in RETRIEVERS:
            for lang, s in r[using]["languages"].items():
                hits = " ".join(f"{s[f'in_top{c}']:>4}" for c in CUTOFFS)
                print(
                    f"{r['model']:<22} {using:<8} {lang:<4} {s['questions']:>3}  {hits}  "
                    f"{r[using]['ms_per_question']:>5}"
                )


def sentence(rng: random.Random, n: int) -> str:
    return (
        f"Item {n:05d}: the {rng.choice(NOUNS)} {rng.choice(VERBS)} {rng.randint(2, 97):02d} "
        f"{rng.choice(NOUNS)}s in week {rng.randint(1, 52):02d} of the year."
    )


def write_corpus(folder: Path, chunks: int, sentences_per_chunk: int, per_file: int) -> None:
    """Files of paragraphs; a paragraph is one chunk (blank lines between them)."""
    rng = random.Random(1)
    folder.mkdir(parents=True)
    n = 0
    for f in range(0, chunks, per_file):
        paragraphs = []
        for _ in range(min(per_file, chunks - f)):
            paragraphs.append(" ".join(sentence(rng, n + i) for i in range(sentences_per_chunk)))
            n += sentences_per_chunk
        (folder / f"file{f:05d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def ingest_rate(
    label: str, chunks: int, sentences: int, chunk_chars: int, per_file: int
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        root = Path(tmp)
        write_corpus(root / "docs", chunks, sentences, per_file)
        env = {**os.environ, "AURORA_HOME": str(root / "home")}
        core = build_core(env)
        rag = RagService(
            core.home.root,
            core.embedder,
            core.consent,
            settings=IngestSettings(chunk_chars=chunk_chars, overlap=0),
        )
        rag.embedder.ensure()
        rag.embedder.embed(["warm-up"])
        report = rag.ingest(root / "docs", assume_yes=True)
        tokens = _mean_tokens(rag, root / "docs", chunk_chars)
        provider = rag.embedder.provider if hasattr(rag.embedder, "provider") else "?"
        rag.close()
        core.close()
    return {
        "chunks": report.chunks,
        "mean_tokens": tokens,
        "seconds": round(report.seconds, 2),
        "chunks_per_min": round(report.chunks_per_min),
        "provider": provider,
        "label": label,
    }


def _mean_tokens(rag: RagService, docs: Path, chunk_chars: int) -> float:
    from tokenizers import Tokenizer

    from aurora_desktop.core.rag import chunk_text

    store = rag.embedder._store  # type: ignore[attr-defined]
    installed = store.ready_for_load(rag.embedder.model_name)  # type: ignore[attr-defined]
    tokenizer = Tokenizer.from_file(str(installed.folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    text = next(iter(sorted(docs.iterdir()))).read_text(encoding="utf-8")
    pieces = [c.text for c in chunk_text(text, max_chars=chunk_chars, overlap=0)]
    return round(statistics.mean(len(tokenizer.encode(p).ids) for p in pieces), 1)


def lexical_figures(size: int) -> dict[str, Any]:
    rng = np.random.default_rng(size)
    ranks = np.arange(1, 30_001)
    odds = 1.0 / ranks**1.1
    odds /= odds.sum()
    vocabulary = [f"w{n}" for n in ranks]
    with tempfile.TemporaryDirectory(prefix="rag-lexical-") as tmp:
        store = DocumentStore(Path(tmp) / "documents.db", 4)
        started = time.perf_counter()
        for first in range(0, size, 1000):
            chunks = []
            for n in range(1000):
                text = " ".join(vocabulary[i] for i in rng.choice(len(ranks), 60, p=odds))
                chunks.append(Chunk(n, 0, len(text), text))
            vectors = np.ones((len(chunks), 4), dtype=np.float32) / 2
            store.replace_many([(Document(0, f"/d/{first}", 1, 1, "0" * 64), chunks, vectors)], 0)
        build_s = time.perf_counter() - started
        times = []
        for _ in range(200):
            question = " ".join(vocabulary[i] for i in rng.choice(len(ranks), 10, p=odds))
            started = time.perf_counter()
            store.lexical(question, 50)
            times.append((time.perf_counter() - started) * 1000.0)
        store.close()
    times.sort()
    p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
    return {"chunks": size, "build_s": round(build_s, 1), "p50_ms": round(p50, 2),
            "p95_ms": round(p95, 2)}  # fmt: skip


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def latency(index: VectorIndex, queries: np.ndarray) -> tuple[float, float, list[list[int]]]:
    """One query at a time, on one FAISS thread, as `RagService.query` searches."""
    times, found = [], []
    for row in queries:
        started = time.perf_counter()
        with single_threaded():
            (hits,) = index.search(row.reshape(1, -1), K)
        times.append((time.perf_counter() - started) * 1000.0)
        found.append([i for _, i in hits])
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95)], found


def dataset(kind: str, size: int, seed: int) -> np.ndarray:
    """Random unit vectors (the hard case), or vectors around 2,000 topic centres."""
    rng = np.random.default_rng(seed)
    if kind == "random":
        return unit(rng.standard_normal((size, WIDTH)))
    centres = unit(rng.standard_normal((2000, WIDTH)))
    picks = rng.integers(0, len(centres), size)
    return unit(centres[picks] + 0.06 * rng.standard_normal((size, WIDTH)))


def query_figures(size: int, config: IndexConfig, data: str) -> dict[str, Any]:
    vectors = dataset(data, size + QUERIES, size)
    vectors, queries = vectors[:size], vectors[size:]
    ids = np.arange(1, size + 1, dtype=np.int64)
    out: dict[str, Any] = {"vectors": size, "data": data}
    exact: list[list[int]] = []
    for kind in (FLAT, HNSW):
        started = time.perf_counter()
        index = VectorIndex(WIDTH, config, kind=kind)
        for start in range(0, size, 10_000):
            index.add(ids[start : start + 10_000], vectors[start : start + 10_000])
        build_s = time.perf_counter() - started
        p50, p95, found = latency(index, queries)
        entry: dict[str, Any] = {
            "build_s": round(build_s, 1), "p50_ms": round(p50, 3), "p95_ms": round(p95, 3),
        }  # fmt: skip
        if kind == FLAT:
            exact = found
        else:
            entry["recall_at_10"] = recall(found, exact)
            sweep = {}
            for ef in EF_SWEEP:
                index.config = replace(config, ef_search=ef)
                e50, _, got = latency(index, queries)
                sweep[ef] = {"p50_ms": round(e50, 3), "recall_at_10": recall(got, exact)}
            entry["ef_search_sweep"] = sweep
        out[kind] = entry
    return out


def recall(found: list[list[int]], exact: list[list[int]]) -> float:
    hit = sum(len(set(a) & set(e)) for a, e in zip(found, exact, strict=True))
    return round(hit / (K * len(exact)), 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--short", type=int, default=3000, help="short chunks to ingest")
    parser.add_argument("--long", type=int, default=300, help="256-token chunks to ingest")
    parser.add_argument("--data", default="random,clustered", help="random and/or clustered")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--quality", action="store_true", help="retrieval quality only")
    parser.add_argument("--docs", type=Path, default=EVAL / "rag_dev")
    parser.add_argument("--questions", type=Path, default=EVAL / "rag_dev_questions.jsonl")
    parser.add_argument(
        "--models", default=f"{DEFAULT_EMBEDDING_MODEL},{MULTILINGUAL_EMBEDDING_MODEL}"
    )
    args = parser.parse_args()
    if args.quality:
        found = [quality(args.docs, args.questions, m) for m in args.models.split(",")]
        if args.json:
            sys.stdout.write(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
        else:
            print_quality(found)
        return 0
    config = IndexConfig()
    results: dict[str, Any] = {
        "machine": {"cpu": cpu_model(), "cpus": os.cpu_count(), "load": os.getloadavg()[0]},
        "index": {"hnsw_m": config.hnsw_m, "ef_construction": config.ef_construction,
                  "ef_search": config.ef_search},
    }  # fmt: skip
    if not args.skip_ingest:
        results["ingest_short"] = ingest_rate("1 sentence", args.short, 1, 100, 100)
        results["ingest_256"] = ingest_rate("256 tokens", args.long, 15, 1500, 10)
    results["lexical"] = [lexical_figures(int(size)) for size in args.sizes.split(",")]
    results["query"] = [
        query_figures(int(size), config, data)
        for data in args.data.split(",")
        for size in args.sizes.split(",")
    ]
    if args.json:
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
        return 0
    print(f"machine: {results['machine']}")
    for key in ("ingest_short", "ingest_256"):
        if key in results:
            r = results[key]
            print(
                f"ingest {r['label']:<10} {r['chunks']:>6} chunks (~{r['mean_tokens']} tokens) "
                f"in {r['seconds']:>6.1f} s = {r['chunks_per_min']:>7,} chunks/min "
                f"[{r['provider']}]"
            )
    for lex in results["lexical"]:
        print(
            f"lexical {lex['chunks']:>7,} chunks  p50 {lex['p50_ms']:7.2f} ms  "
            f"p95 {lex['p95_ms']:7.2f} ms  (build {lex['build_s']} s)"
        )
    for q in results["query"]:
        for kind in (FLAT, HNSW):
            e = q[kind]
            got = f"  recall@10 {e['recall_at_10']:.3f}" if "recall_at_10" in e else ""
            print(
                f"query {q['vectors']:>7,} {q['data']:<9} {kind:<4} p50 {e['p50_ms']:7.3f} ms  "
                f"p95 {e['p95_ms']:7.3f} ms  (build {e['build_s']} s){got}"
            )
            for ef, figures in e.get("ef_search_sweep", {}).items():
                print(
                    f"      efSearch {ef:>4}: p50 {figures['p50_ms']:7.3f} ms  "
                    f"recall@10 {figures['recall_at_10']:.3f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
