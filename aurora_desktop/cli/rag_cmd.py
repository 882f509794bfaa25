"""`aurora rag ingest FOLDER [--yes]` and `aurora rag query "…" [--k N] [--using R] [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from aurora_desktop.app.wiring import build_core
from aurora_desktop.cli.consent_prompt import terminal_ask
from aurora_desktop.cli.numbers import whole
from aurora_desktop.cli.progress import TerminalProgress
from aurora_desktop.core.errors import ConfigError
from aurora_desktop.core.policy.consent import ConsentAnswer, ConsentReply, ConsentRequest
from aurora_desktop.core.rag import IngestProgress, IngestReport, RagService, citations
from aurora_desktop.core.rag.reembed import ReembedProgress
from aurora_desktop.core.rag.retrieval import FUSED, RETRIEVERS
from aurora_desktop.core.rag.service import DEFAULT_K, MAX_K
from aurora_desktop.core.userinput import clean_text

PIPED_EVERY_S = 5.0
SHOWN_SKIPS = 10
BORING_SKIPS = ("hidden file", "not a text file type", "symbolic link")


def add_rag_parser(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    rag = commands.add_parser("rag", help="search your own documents locally")
    actions = rag.add_subparsers(dest="rag_command", required=True, parser_class=parser_class)
    ingest = actions.add_parser("ingest", help="index the text files of a folder")
    ingest.add_argument("folder", type=Path)
    ingest.add_argument(
        "--yes", action="store_true", help="allow Aurora to read this folder without asking"
    )
    query = actions.add_parser("query", help="the passages nearest to a question")
    query.add_argument("text", help="what to look for")
    query.add_argument(
        "--k", type=whole(1, MAX_K), default=DEFAULT_K, metavar="N", help="how many passages"
    )
    query.add_argument(
        "--using",
        choices=RETRIEVERS,
        default=FUSED,
        help="by meaning and words together (fused, the default), or by one of them",
    )
    query.add_argument("--json", action="store_true", help="print one JSON object")


def run_rag(args: argparse.Namespace) -> int:
    core = build_core(ask=_ask_on_terminal)
    reembed = ReembedMeter(sys.stderr)
    try:
        rag = core.grounding.service()
        rag.reembed_progress = reembed
        if args.rag_command == "ingest":
            code = _ingest(rag, args.folder, assume_yes=args.yes)
            if core.multilingual.loaded:
                provider = core.multilingual.provider
                sys.stderr.write(f"Embeddings ran on ONNX Runtime's {provider}.\n")
            return code
        return _query(rag, clean_text(args.text), args.k, args.using, as_json=args.json)
    finally:
        reembed.close()
        core.close()


def _ask_on_terminal(request: ConsentRequest) -> ConsentReply:
    """A terminal asks; with no one to ask the answer is "no" (the error says what to do)."""
    if sys.stdin.isatty() and sys.stderr.isatty():
        return terminal_ask(request)
    return ConsentReply(ConsentAnswer.DENY)


def _ingest(rag: RagService, folder: Path, *, assume_yes: bool) -> int:
    model_progress = TerminalProgress(quiet=True)
    progress = IngestMeter(sys.stderr)
    try:
        report = rag.ingest(
            folder, progress=progress, assume_yes=assume_yes, model_progress=model_progress
        )
    finally:
        model_progress.close()
        progress.close()
    notable = [s for s in report.skipped if not s.reason.startswith(BORING_SKIPS)]
    for skip in notable[:SHOWN_SKIPS]:
        sys.stderr.write(f"skipped {skip.path}: {skip.reason}\n")
    if len(notable) > SHOWN_SKIPS:
        sys.stderr.write(f"skipped {len(notable) - SHOWN_SKIPS} more files that cannot be read\n")
    sys.stdout.write(summary_line(report) + "\n")
    return 0


def summary_line(report: IngestReport) -> str:
    return (
        f"Ingested {report.folder}: {report.files_total} files seen ({report.files_indexed} new "
        f"or changed, {report.files_unchanged} unchanged, {len(report.skipped)} skipped), "
        f"{report.files_removed} removed; {report.chunks_embedded} chunks embedded in "
        f"{report.seconds:.1f} s ({report.chunks_per_min:,.0f} chunks/min); the index holds "
        f"{report.documents} documents and {report.chunks} chunks ({report.index_kind})."
    )


def _query(rag: RagService, text: str, k: int, using: str, *, as_json: bool) -> int:
    stats = rag.stats()
    if stats.chunks == 0:
        raise ConfigError("Nothing has been ingested yet; run 'aurora rag ingest FOLDER' first.")
    started = time.perf_counter()
    hits = rag.query(text, k, using=using)
    took_ms = (time.perf_counter() - started) * 1000.0
    if as_json:
        out = {
            "query": text,
            "k": k,
            "using": using,
            "latency_ms": round(took_ms, 2),
            "index": stats.index_kind,
            "hits": [hit.to_dict() for hit in hits],
            "citations": citations(hits),
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return 0
    for number, hit in enumerate(hits, start=1):
        snippet = " ".join(hit.text.split())
        snippet = snippet if len(snippet) <= 240 else snippet[:239] + "…"
        sys.stdout.write(
            f"[{number}] {hit.score:.3f}  {hit.path}:{hit.start}-{hit.end}  "
            f"({' + '.join(hit.found_by)})\n    {snippet}\n"
        )
    sys.stderr.write(
        f"[{len(hits)} of {stats.chunks} chunks · {using} · {stats.index_kind} · "
        f"{took_ms:.0f} ms]\n"
    )
    return 0


class IngestMeter:
    """Ingest progress: one redrawn line on a terminal, a line every few seconds when piped."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = stream.isatty()
        self._last = 0.0
        self._drawn = False

    def __call__(self, event: IngestProgress) -> None:
        now = time.monotonic()
        final = event.files_done == event.files_total
        every = 0.1 if self._tty else PIPED_EVERY_S
        if now - self._last < every and not (final and self._tty):
            return
        self._last = now
        line = (
            f"Ingesting  {event.files_done}/{event.files_total} files  "
            f"{event.chunks_embedded:,} chunks  {event.chunks_per_min:,.0f} chunks/min"
        )
        if self._tty:
            self._stream.write(f"\r\x1b[2K{line}")
            self._drawn = True
        else:
            self._stream.write(line + "\n")
        self._stream.flush()

    def close(self) -> None:
        if self._tty and self._drawn:
            self._stream.write("\n")
            self._stream.flush()


class ReembedMeter:
    """Progress of embedding the index again with a new model, drawn like `IngestMeter`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = stream.isatty()
        self._last = 0.0
        self._drawn = False

    def __call__(self, event: ReembedProgress) -> None:
        now = time.monotonic()
        final = event.done == event.total
        if now - self._last < (0.1 if self._tty else PIPED_EVERY_S) and not final:
            return
        self._last = now
        line = (
            f"The embedding model changed: embedding the index again with {event.model}  "
            f"{event.done:,}/{event.total:,} chunks  {event.chunks_per_min:,.0f} chunks/min"
        )
        self._stream.write(f"\r\x1b[2K{line}" if self._tty else line + "\n")
        self._drawn = self._tty
        self._stream.flush()

    def close(self) -> None:
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()
