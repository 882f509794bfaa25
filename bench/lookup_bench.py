"""B9: prompt-lookup decoding on answers that copy from their prompt, and the first token of
a RAG answer over five retrieved passages.

Each case runs through Aurora's engine with Aurora's own prompts (extraction: the JSON Schema
system prompt and grammar; RAG: five numbered sources from the development set), greedy,
with and without prompt lookup; the text must be identical.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from common import REPS, median

from aurora_desktop.app.wiring import Core
from aurora_desktop.core.cognition.conductor import EXTRACT_SYSTEM
from aurora_desktop.core.cognition.grammar import schema_grammar
from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import Constraint, GenerationResult
from aurora_desktop.core.engines.llama_inproc import LlamaCppEngine
from aurora_desktop.core.rag.prompt import rag_messages
from aurora_desktop.core.rag.retrieval import Hit

DOCS = Path(__file__).resolve().parent / "eval-data" / "rag_dev"
SCHEMA = {
    "type": "object",
    "properties": {
        "people": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "email": {"type": "string"},
                    "company": {"type": "string"},
                },
                "required": ["name", "email", "company"],
            },
        }
    },
    "required": ["people"],
}
CONTACTS = (
    "Attendees: Jennifer Alvarez (jennifer.alvarez@northwind-traders.com) from Northwind "
    "Traders; Rahul Chandrasekaran (rahul.c@contoso-pharma.co.uk) from Contoso "
    "Pharmaceuticals; Mei-Ling Wu (meiling.wu@fabrikam-robotics.tw) from Fabrikam Robotics; "
    "Oluwaseun Adeyemi (seun.adeyemi@adventure-works.ng) from Adventure Works Cycles."
)


def _hits(count: int = 5) -> list[Hit]:
    files = sorted(DOCS.glob("en_*.txt"))[:count]
    texts = [f.read_text(encoding="utf-8")[:1200] for f in files]
    return [
        Hit(path=str(f), score=0.5, text=t, start=0, end=len(t), chunk_id=i, ordinal=0)
        for i, (f, t) in enumerate(zip(files, texts, strict=True))
    ]


def _run(
    engine: LlamaCppEngine,
    messages: tuple[Message, ...],
    constraint: Constraint,
    tokens: int,
    lookup: bool,
) -> GenerationResult:
    wanted = replace(constraint, lookup=lookup)
    return engine.generate(messages, max_tokens=tokens, temperature=0.0, constraint=wanted).result()


def _cases() -> dict[str, tuple[tuple[Message, ...], Constraint, int]]:
    extract = (
        Message("system", EXTRACT_SYSTEM.format(schema=json.dumps(SCHEMA))),
        Message("user", CONTACTS),
    )
    hits = _hits()
    question = "Quote the first sentence of source [1] exactly."
    return {
        "extract": (extract, Constraint(grammar=schema_grammar(SCHEMA)), 200),
        "rag": (rag_messages(question, hits), Constraint(), 96),
    }


def b9_prompt_lookup(core: Core, model_path: Path) -> dict[str, Any]:
    engine = LlamaCppEngine(model_path, model_name="bench-lookup", n_ctx=2048)
    rows: dict[str, Any] = {}
    try:
        engine.load().result()
        profile = engine._worker.submit(lambda: engine._draft_profile(engine._llm)).result()
        for name, (messages, constraint, tokens) in _cases().items():
            plain_speed, lookup_speed, same, kept, drafted = [], [], True, 0, 0
            for rep in range(REPS):
                last = replace(messages[-1], content=messages[-1].content + " " * rep)
                varied = (*messages[:-1], last)  # a fresh prompt tail each repetition

                plain = _run(engine, varied, constraint, tokens, lookup=False)
                drafted_run = _run(engine, varied, constraint, tokens, lookup=True)
                plain_speed.append(plain.decode_tok_s)
                lookup_speed.append(drafted_run.decode_tok_s)
                same = same and plain.text == drafted_run.text
                kept, drafted = kept + drafted_run.drafts_kept, drafted + drafted_run.drafted
            p, lk = median(plain_speed), median(lookup_speed)
            rows[name] = {
                "plain_tok_s": round(p, 1),
                "lookup_tok_s": round(lk, 1),
                "ratio": round(lk / p, 3) if p else 0.0,
                "same_text": same,
                "drafts_kept": f"{kept}/{drafted}",
                "tokens": plain.tokens_out,
            }
        rag, _, _ = _cases()["rag"]
        first = []
        for rep in range(REPS):  # a fresh prefix each time: the five sources are evaluated
            asked = (Message("system", f"Session {rep}. " + rag[0].content), *rag[1:])
            first.append(engine.generate(asked, max_tokens=8, temperature=0.0).result())
        rows["rag_first_token"] = {
            "passages": 5,
            "prompt_tokens": first[-1].tokens_in,
            "ttft_ms": round(median([r.ttft_ms for r in first]), 1),
        }
    finally:
        engine.close()
    return {
        "verdicts": {"B9": rows["extract"]["ratio"]},
        "B9": {
            "batches_bit_identical": profile.exact,
            "draft_batch_cost": round(profile.batch_cost, 2),  # single-token steps per batch
            **rows,
        },
    }
