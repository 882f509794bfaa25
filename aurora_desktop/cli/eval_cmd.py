"""`aurora eval`: Aurora's own front doors over labelled data files, as one table (or JSON)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aurora_desktop.cli.numbers import whole
from aurora_desktop.cli.progress import TerminalProgress
from aurora_desktop.core.errors import ConfigError, EngineError
from aurora_desktop.core.evaluation.datasets import KINDS, RagSet, load_folder
from aurora_desktop.core.evaluation.runner import FrontDoors, Search, evaluate, relative_name

if TYPE_CHECKING:
    from aurora_desktop.app.wiring import Core
    from aurora_desktop.core.cognition.intent import Classification
    from aurora_desktop.core.cognition.labelsets import LabelSet

REPO = Path(__file__).resolve().parents[2]
# A development checkout: the shared sets beside the repository, else the vendored copy.
DEFAULT_FOLDERS = (REPO.parent / "shared" / "eval", REPO / "bench" / "eval-data")
CHUNKS_PER_QUESTION = 20  # chunks asked of the index, folded into distinct documents


def add_eval_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "eval", help="measure classification, PII masking and retrieval on labelled data files"
    )
    parser.add_argument(
        "--data", type=Path, metavar="DIR", help="a folder of evaluation files (default: the "
        "development set of a source checkout)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--only", metavar="KINDS", help="e.g. intent,pii (of intent, pii, rag)")
    parser.add_argument(
        "--limit", type=whole(1, 1_000_000), metavar="N", help="the first N lines of each file"
    )


def default_folder() -> Path:
    for folder in DEFAULT_FOLDERS:
        if folder.is_dir():
            return folder
    raise ConfigError("No evaluation data was found beside Aurora; pass --data DIR.")


def run_eval(args: argparse.Namespace) -> int:
    from aurora_desktop.app.wiring import build_core

    kinds = _kinds(args.only)
    folder = args.data if args.data is not None else default_folder()
    data = load_folder(folder, kinds)
    core = build_core()
    progress = TerminalProgress(quiet=True)
    try:
        if data.intents:
            prepare_classifier(core, progress)
        else:
            core.embedder.ensure(progress)
        if data.rag:  # the encoder the app's document index uses (not opened here)
            core.grounding.service().embedder.ensure(progress)
        doors = FrontDoors(
            classify=lambda text, label_set: _classify(core, text, label_set),
            detect=lambda text: [(e.kind, e.start, e.end) for e in core.masker.mask(text).entities],
            open_index=lambda rag_set: fresh_index(core, rag_set),
        )
        report = evaluate(data, doors, limit=args.limit, say=_say)
    finally:
        progress.close()
        core.close()
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(report.table())
    return 0


def prepare_classifier(core: Core, progress: TerminalProgress) -> None:
    """Install what the classifier's stages need: both encoders and the local LLM."""
    core.embedder.ensure(progress)  # Latin script
    core.multilingual.ensure(progress)  # any other script
    core.local.prepare(progress)  # the LLM stage


@contextmanager
def fresh_index(core: Core, rag_set: RagSet) -> Iterator[Search]:
    """The set's folder ingested into a new index in a temporary folder, with the encoder
    the app's own index uses; the user's index and consents are never touched."""
    from aurora_desktop.core.policy.consent import ConsentBroker, ConsentStore
    from aurora_desktop.core.rag.service import MAX_K, RagService

    with tempfile.TemporaryDirectory(prefix="aurora-eval-") as scratch:
        consent = ConsentBroker(ConsentStore(Path(scratch) / "consents.json"))
        service = RagService(Path(scratch), core.grounding.service().embedder, consent)
        try:
            service.ingest(rag_set.folder, assume_yes=True)

            def search(question: str, k: int) -> list[tuple[str, float]]:
                best: dict[str, float] = {}
                for hit in service.query(question, min(MAX_K, max(CHUNKS_PER_QUESTION, 4 * k))):
                    best.setdefault(relative_name(hit.path, rag_set.folder), hit.score)
                return list(best.items())[:k]

            yield search
        finally:
            service.close()


def _classify(core: Core, text: str, label_set: LabelSet) -> Classification:
    found = core.classifier.classify(text, label_set=label_set)
    if found is None:  # only an embedding-only call returns None
        raise EngineError("The classifier gave no label.")
    return found


def _kinds(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return KINDS
    wanted = tuple(dict.fromkeys(k.strip() for k in raw.split(",") if k.strip()))
    unknown = [k for k in wanted if k not in KINDS]
    if unknown or not wanted:
        raise ConfigError(f"--only takes {', '.join(KINDS)}, not {raw[:40]!r}.")
    return wanted


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
