"""Compares llama-cpp-python builds: decode, prefill, decode on a busy machine, KV reuse.

    python bench/build_compare.py --build A=/path/venvA/bin/python --build D2=... \\
        --model smollm2=/path/a.gguf --model gemma=/path/b.gguf [--rounds 5] [--json out.json]

Every figure comes from a fresh process of the build's own Python (stdlib + llama_cpp only),
builds interleaved in a rotating order each round; the table prints medians. "busy" runs
start two CPU-bound processes beside the measured one. The load average is recorded with
every sample, so a noisy round can be seen.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DECODE_TOKENS = 128
BUSY_DECODE_TOKENS = 48
PREFILL_TOKENS = 1000
SENTENCES = (
    "The lighthouse keeper logged the weather every four hours in a leather-bound book.",
    "Ships approaching the harbour at night looked for the light's pattern of flashes.",
    "Each station had its own rhythm, so a captain could tell one coast from another.",
    "In fog, a horn sounded at fixed intervals and the crews counted the seconds between.",
    "Supply boats brought oil, wicks, food and letters once a month when the sea allowed.",
    "The lens, ground from many prisms, bent the flame's light into one horizontal beam.",
)
PREFIX = (
    "You sort customer messages for a small online shop. Read the message and answer "
    "with one word from this list: refund, shipping, complaint, praise, question, other. "
    "Refund means the customer wants money back. Shipping means the message is about "
    "delivery time, tracking or an address. Complaint means the customer is unhappy but "
    "does not ask for money. Praise means the customer is happy. Question means the "
    "customer asks about a product before buying. Other is for everything else. "
) * 3
CASES = (
    "My parcel has not arrived after two weeks, where is it?",
    "The blender broke on the first day and I want my money back.",
    "Does the blue jacket come in a larger size?",
    "Great service, the shoes fit perfectly, thank you!",
    "The box was crushed and the staff on the phone were rude.",
    "Can I change the delivery address of order 5521?",
    "I would like a refund for the headphones, they hum.",
    "Is the kettle safe to use on a camping stove?",
    "Why was I charged twice for one order?",
    "Your packaging is lovely and the tea is excellent.",
    "Which charger fits the model X200 camera?",
    "The courier left my parcel in the rain and it is soaked.",
    "Please send the money back, the sofa is the wrong colour.",
    "How long does delivery to Busan usually take?",
    "I am disappointed, the lamp flickers and support never answered.",
    "Do you sell gift cards?",
)


# -- child: runs in the build's own Python ------------------------------------------------


def _llama(model: str, threads: int, n_ctx: int = 2048) -> Any:
    from llama_cpp import Llama

    return Llama(
        model_path=model,
        n_ctx=n_ctx,
        n_threads=threads,
        n_threads_batch=threads,
        seed=0,
        verbose=False,
    )


def _prefill_tokens(llm: Any) -> list[int]:
    text = ""
    for index in itertools.count():
        text += f"{index + 1}. {SENTENCES[index % len(SENTENCES)]} "
        tokens: list[int] = llm.tokenize(text.encode(), add_bos=True)
        if len(tokens) >= PREFILL_TOKENS:
            return tokens[:PREFILL_TOKENS]
    raise AssertionError("unreachable")


def _decode_tok_s(llm: Any, tokens: int) -> float:
    prompt = llm.tokenize(b"Once upon a time, in a small village by the sea,", add_bos=True)
    stamps = []
    for _token in llm.generate(prompt, top_k=1, temp=0.0, reset=True):
        stamps.append(time.perf_counter())
        if len(stamps) >= tokens:
            break
    return (len(stamps) - 1) / (stamps[-1] - stamps[0])


def _greedy(llm: Any, text: str, n: int = 24) -> list[int]:
    out = []
    for token in llm.generate(llm.tokenize(text.encode(), add_bos=True), top_k=1, temp=0.0):
        out.append(token)
        if len(out) >= n:
            break
    return out


def child(mode: str, model: str, threads: int) -> dict[str, Any]:
    load = os.getloadavg()[0]
    if mode == "quiet":
        llm = _llama(model, threads)
        warm = llm.tokenize(b"Warm up the threads.", add_bos=True)
        llm.eval(warm)
        tokens = _prefill_tokens(llm)
        llm.reset()
        started = time.perf_counter()
        llm.eval(tokens)
        prefill = len(tokens) / (time.perf_counter() - started)
        decode = _decode_tok_s(llm, DECODE_TOKENS)
        maps = Path("/proc/self/maps").read_text().splitlines()
        cpu = sorted({Path(line.split()[-1]).name for line in maps if "libggml-cpu" in line})
        return {"prefill": prefill, "decode": decode, "load": load, "cpu": cpu}
    if mode == "busy":
        llm = _llama(model, threads)
        return {"decode": _decode_tok_s(llm, BUSY_DECODE_TOKENS), "load": load}
    if mode == "reuse":
        # "suffix": the prefix comes from the cache, the rest is evaluated as a batch;
        # "turn": the cached prefix holds the previous answer, decoded token by token.
        # Each is compared with a fresh context evaluating the whole prompt in one batch.
        reused, fresh = _llama(model, threads), _llama(model, threads)
        _greedy(reused, f"{PREFIX}\nMessage: Hello there.\nLabel:")
        suffix, turn = [], []
        for index, case in enumerate(CASES):
            text = f"{PREFIX}\nMessage: {case}\nLabel:"
            fresh.reset()
            answer = _greedy(reused, text)
            suffix.append(answer == _greedy(fresh, text))
            follow = text + reused.detokenize(answer).decode(errors="replace")
            follow += f"\nMessage: {CASES[(index + 1) % len(CASES)]}\nLabel:"
            fresh.reset()
            turn.append(_greedy(reused, follow) == _greedy(fresh, follow))
        return {"suffix": sum(suffix), "turn": sum(turn), "cases": len(CASES)}
    raise ValueError(f"unknown mode {mode}")


# -- parent -------------------------------------------------------------------------------


def _run(python: str, *args: str, timeout: float = 600) -> dict[str, Any]:
    proc = subprocess.run(
        [python, __file__, "child", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd="/",
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["?"]}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _busy(n: int = 2) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def compare(
    builds: dict[str, str], models: dict[str, str], rounds: int, busy: bool, reuse: bool = True
) -> dict[str, Any]:
    samples: dict[str, list[dict[str, Any]]] = {}
    names = list(builds)
    for round_index in range(rounds):
        order = names[round_index % len(names) :] + names[: round_index % len(names)]
        for build in order:
            for model_name, model in models.items():
                row = _run(builds[build], "quiet", model, "2")
                samples.setdefault(f"{build}|{model_name}|quiet", []).append(row)
                print(f"round {round_index + 1} {build} {model_name} quiet {row}", flush=True)
        if not busy:
            continue
        hogs = _busy()
        try:
            time.sleep(1.0)
            for build in order:
                for model_name, model in models.items():
                    for threads in ("1", "2") if round_index % 2 == 0 else ("2", "1"):
                        row = _run(builds[build], "busy", model, threads)
                        samples.setdefault(f"{build}|{model_name}|busy{threads}", []).append(row)
                        print(f"round {round_index + 1} {build} {model_name} busy t={threads} "
                              f"{row}", flush=True)  # fmt: skip
        finally:
            for hog in hogs:
                hog.kill()
                hog.wait()
    same = {
        f"{build}|{model_name}": _run(builds[build], "reuse", model, "2")
        for build in (names if reuse else [])
        for model_name, model in models.items()
    }
    return {"samples": samples, "reuse": same}


def table(result: dict[str, Any], builds: list[str], models: list[str]) -> str:
    def med(key: str, field: str) -> str:
        values = [r[field] for r in result["samples"].get(key, []) if field in r]
        return f"{statistics.median(values):.0f}" if values else "-"

    head = ["build"]
    for m in models:
        head += [f"{m} decode", f"{m} prefill", f"{m} busy t=1", f"{m} busy t=2", f"{m} reuse"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for b in builds:
        cells = [b]
        for m in models:
            r = result["reuse"].get(f"{b}|{m}", {})
            cells += [
                med(f"{b}|{m}|quiet", "decode"),
                med(f"{b}|{m}|quiet", "prefill"),
                med(f"{b}|{m}|busy1", "decode"),
                med(f"{b}|{m}|busy2", "decode"),
                f"{r.get('suffix', '?')}+{r.get('turn', '?')}/{2 * r.get('cases', 0)}",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    loads = [r["load"] for rows in result["samples"].values() for r in rows if "load" in r]
    if loads:
        lines.append(f"\nload average (1 min) at the samples: {min(loads):.1f}-{max(loads):.1f}")
    return "\n".join(lines)


def _pairs(values: list[str], what: str) -> dict[str, str]:
    pairs = {
        name: os.path.abspath(path)  # the children run in /
        for name, path in (value.split("=", 1) for value in values if "=" in value)
    }
    if len(pairs) != len(values):
        raise SystemExit(f"build_compare: every --{what} is NAME=PATH.")
    return pairs


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["child"]:
        print(json.dumps(child(argv[1], argv[2], int(argv[3]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="append", required=True, help="NAME=python")
    parser.add_argument("--model", action="append", required=True, help="NAME=file.gguf")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-busy", action="store_true", help="skip the busy-machine runs")
    parser.add_argument("--no-reuse", action="store_true", help="skip the KV-reuse check")
    parser.add_argument("--json", type=Path, help="write the samples here")
    args = parser.parse_args(argv)
    builds, models = _pairs(args.build, "build"), _pairs(args.model, "model")
    result = compare(builds, models, args.rounds, not args.no_busy, not args.no_reuse)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(table(result, list(builds), list(models)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
