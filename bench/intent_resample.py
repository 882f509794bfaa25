"""Few-shot classification accuracy over many draws of the examples, not one.

The intent sets in eval-data/ are small (60-160 lines) and come with one fixed draw of 10
examples per label, so one `aurora eval` figure moves by 0.03-0.05 when a single example
changes. This pools each set's examples with its lines and, `--draws` times (seeded), picks
`--shots` examples per label at random, runs every remaining line through the app's own
classifier (`core.classifier`, both stages, as `aurora eval` does) and reports the mean,
the spread and the range of the accuracy. Use it to tell a real gain from a lucky draw.

    .venv/bin/python bench/intent_resample.py [--data DIR] [--draws 10] [--shots 10]
                                              [--only ko] [--json]

DIR defaults to the folder `aurora eval` reads (../shared/eval, else bench/eval-data).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aurora_desktop.cli.eval_cmd import default_folder, prepare_classifier
from aurora_desktop.core.cognition.labelsets import LabelSet
from aurora_desktop.core.errors import AuroraError
from aurora_desktop.core.evaluation.datasets import IntentSet, load_folder

SEED = 20241124

Classify = Callable[[str, LabelSet], str]


@dataclass(frozen=True, slots=True)
class Draw:
    examples: dict[str, list[str]]
    tests: list[tuple[str, str]]  # (text, gold label)


def pool(intent_set: IntentSet) -> dict[str, list[str]]:
    """Every text of the set by its gold label: the examples and the lines together."""
    texts: dict[str, list[str]] = {label: [] for label in intent_set.labels}
    for label, examples in (intent_set.examples or {}).items():
        texts[label].extend(examples)
    for row in intent_set.rows:
        texts[row.label].append(row.text)
    return texts


def draws(texts: dict[str, list[str]], shots: int, count: int, seed: int) -> list[Draw]:
    """`count` random splits: `shots` examples per label, the rest to classify."""
    if any(len(v) <= shots for v in texts.values()):
        raise ValueError(f"every label needs more than {shots} texts to draw from")
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        examples: dict[str, list[str]] = {}
        tests: list[tuple[str, str]] = []
        for label, items in texts.items():
            picked = set(rng.sample(range(len(items)), shots))
            examples[label] = [t for i, t in enumerate(items) if i in picked]
            tests += [(t, label) for i, t in enumerate(items) if i not in picked]
        out.append(Draw(examples, tests))
    return out


def accuracy(draw: Draw, name: str, classify: Classify) -> float:
    label_set = LabelSet(name, "", {k: tuple(v) for k, v in draw.examples.items()})
    right = sum(classify(text, label_set) == gold for text, gold in draw.tests)
    return right / len(draw.tests)


def summary(scores: Sequence[float]) -> dict[str, float]:
    return {
        "mean": round(statistics.fmean(scores), 4),
        "sd": round(statistics.stdev(scores), 4) if len(scores) > 1 else 0.0,
        "min": round(min(scores), 4),
        "max": round(max(scores), 4),
    }


def run(sets: Sequence[IntentSet], classify: Classify, *, shots: int, count: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for intent_set in sets:
        if not intent_set.examples:
            continue
        started = time.perf_counter()
        scores = [
            accuracy(draw, intent_set.name, classify)
            for draw in draws(pool(intent_set), shots, count, SEED)
        ]
        results[intent_set.name] = summary(scores) | {
            "draws": count,
            "per_draw": [round(s, 4) for s in scores],
            "seconds": round(time.perf_counter() - started, 1),
        }
        print(f"{intent_set.name}: {results[intent_set.name]['mean']:.3f}", file=sys.stderr)
    return results


def table(results: dict[str, Any], shots: int) -> str:
    lines = [
        f"| set ({shots} examples per label) | draws | mean | sd | min | max |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['draws']} | {r['mean']:.3f} | {r['sd']:.3f} "
            f"| {r['min']:.3f} | {r['max']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--shots", type=int, default=10)
    parser.add_argument("--only", default="", help="keep sets whose name contains this")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.draws < 1 or args.shots < 1:
        parser.error("--draws and --shots must be at least 1")
    try:
        folder = args.data if args.data is not None else default_folder()
        found = load_folder(folder, ("intent",)).intents
        sets = [s for s in found if args.only in s.name]
    except AuroraError as exc:
        parser.error(f"{exc}")
    for intent_set in sets:
        try:  # every label keeps lines to test after its examples are drawn
            draws(pool(intent_set), args.shots, 1, SEED)
        except ValueError as exc:
            parser.error(f"{intent_set.name}: {exc}")
    if not sets:
        parser.error(f"no intent set in {folder} matches {args.only!r}")

    from aurora_desktop.app.wiring import build_core
    from aurora_desktop.cli.progress import TerminalProgress

    core = build_core()
    progress = TerminalProgress(quiet=True)
    try:
        prepare_classifier(core, progress)

        def classify(text: str, label_set: LabelSet) -> str:
            found = core.classifier.label(text, label_set=label_set)
            return found.label

        results = run(sets, classify, shots=args.shots, count=args.draws)
    finally:
        progress.close()
        core.close()
    if args.json:
        print(json.dumps({"shots": args.shots, "sets": results}, ensure_ascii=False))
    else:
        print(table(results, args.shots), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
