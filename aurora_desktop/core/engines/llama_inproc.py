"""llama.cpp in-process through llama-cpp-python; the `Llama` object lives on one thread.

A `Llama` holds a KV cache and is not thread-safe, so every call that touches it runs on
the engine's `EngineWorker`. Generation streams token by token: the loop checks the cancel
event and the token callback after each token, so Stop takes effect within one token.
The KV cache is reused across calls for the longest shared prompt prefix (llama-cpp-python's
`generate` does the matching), so a repeated system prompt is not evaluated twice.

Threads: a `ThreadPolicy` picks the count before each prompt and every half second while
decoding (`llama_set_n_threads`), so other busy programs do not make decode collapse.

Prompt lookup: when a constraint says the answer copies from the prompt and decoding is
greedy, each step may evaluate the sampled token plus up to `LOOKUP_TOKENS` tokens that
followed the same n-gram earlier (`lookup.PromptLookup` in llama-cpp-python's speculative
loop), keeping those the model itself samples. At the first such request after a load the
engine measures whether a batch gives bit-identical logits to tokens evaluated one by one
(else drafting is off: the text must be that of plain greedy decoding) and what a draft batch
costs, and a generation drafts only while its drafts keep enough tokens to pay for it.
"""

from __future__ import annotations

import codecs
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aurora_desktop.core.contract import Message
from aurora_desktop.core.engines.base import (
    NO_CONSTRAINT,
    Constraint,
    GenerationResult,
    TokenCallback,
)
from aurora_desktop.core.engines.llama_logging import quiet_llama_logs
from aurora_desktop.core.engines.threaded import ThreadedEngine, free_model_memory
from aurora_desktop.core.errors import EngineLoadError
from aurora_desktop.core.text import phrase
from aurora_desktop.core.threads import RECHECK_S, ThreadPolicy

if TYPE_CHECKING:
    from aurora_desktop.core.engines.lookup import PromptLookup

DEFAULT_CONTEXT = 2048
LOOKUP_MIN_NGRAM = 2  # the shortest n-gram match that drafts (one token matches too often)
LOOKUP_NGRAM = 4  # the longest n-gram matched against the prompt
LOOKUP_TOKENS = 8  # drafted tokens per step


class LlamaCppEngine(ThreadedEngine):
    """A GGUF model served in-process by llama.cpp."""

    engine_name = "llama.cpp"

    def __init__(
        self,
        model_path: Path,
        *,
        model_name: str,
        n_ctx: int = DEFAULT_CONTEXT,
        n_threads: int | None = None,
        threads: ThreadPolicy | None = None,
        seed: int = 0,
        resolve: Callable[[], Path] | None = None,
    ) -> None:
        super().__init__(model_name=model_name, thread_name=f"engine-{model_name}")
        self.model_path = model_path
        self._resolve = resolve  # verifies the model and names the file to open, at every load
        self.n_ctx = n_ctx
        if n_threads:  # a fixed count (tests, benchmarks)
            threads = ThreadPolicy(fixed=lambda: n_threads)
        self.threads = threads or ThreadPolicy()
        self._in_use = (0, 0)  # the (decode, batch) thread counts the context has now
        self._drafts: DraftProfile | None = None  # measured at the first lookup, per load
        self._seed = seed
        self._llm: Any = None
        self._template: Any = None

    @property
    def n_threads(self) -> int:
        """Threads on a quiet machine: one per physical core (fewer while others are busy)."""
        return self.threads.cores

    @property
    def loaded(self) -> bool:
        return self._llm is not None

    def memory_bytes(self) -> int:
        """The mapped weights plus the KV cache (f16 keys and values per layer and position)."""
        llm = self._llm
        if llm is None:
            return 0
        arch = llm.metadata.get("general.architecture", "")
        layers = int(llm.metadata.get(f"{arch}.block_count", 0))
        kv = 2 * 2 * int(llm.n_ctx()) * int(llm.n_embd()) * layers
        return int(self.model_path.stat().st_size) + kv

    def count_tokens(self, text: str) -> Future[int]:
        return self._worker.submit(lambda: len(self._require().tokenize(text.encode("utf-8"))))

    # -- everything below runs on the worker thread --------------------------------------

    def _open(self) -> None:
        if self._resolve is not None:
            self.model_path = self._resolve()
        quiet_llama_logs()
        try:
            from llama_cpp import Llama
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            choice = self.threads.choose()
            llm = Llama(
                model_path=str(self.model_path),
                n_ctx=self.n_ctx,
                n_threads=choice.decode,
                n_threads_batch=choice.batch,
                seed=self._seed,
                verbose=False,
            )
            self._in_use = (choice.decode, choice.batch)
        except (ValueError, RuntimeError, OSError) as exc:
            raise EngineLoadError(
                phrase(
                    "llama.cpp could not load {model_path_name} ({exc}); reinstall "
                    "the model or choose another one.",
                    model_path_name=self.model_path.name,
                    exc=exc,
                )
            ) from exc
        template = llm.metadata.get("tokenizer.chat_template")
        if template:
            eos, bos = llm.token_eos(), llm.token_bos()
            self._template = Jinja2ChatFormatter(
                template=template,
                eos_token=llm._model.token_get_text(eos) if eos != -1 else "",
                bos_token=llm._model.token_get_text(bos) if bos != -1 else "",
                stop_token_ids=[eos],
            )
        llm.eval = _DraftAwareEval(llm)  # type: ignore[method-assign]  # this instance only
        self._llm = llm

    def _unload(self) -> None:
        llm, self._llm, self._template = self._llm, None, None
        self._drafts = None
        if llm is not None:
            llm.close()
            del llm
            free_model_memory()

    def _require(self) -> Any:
        self._load()
        return self._llm

    def _prompt_tokens(
        self, messages: tuple[Message, ...], raw: bool = False
    ) -> tuple[list[int], list[str]]:
        llm = self._require()
        if raw:  # a plain completion: the text as written, no chat template
            text = "".join(m.content for m in messages)
            return llm.tokenize(text.encode("utf-8"), add_bos=True, special=False), []
        plain = [{"role": m.role, "content": m.content} for m in messages]
        if self._template is None:
            text = "\n".join(f"{m['role']}: {m['content']}" for m in plain) + "\nassistant:"
            return llm.tokenize(text.encode("utf-8"), add_bos=True, special=False), []
        formatted = self._template(messages=plain)
        stops = formatted.stop if isinstance(formatted.stop, list) else [formatted.stop]
        tokens = llm.tokenize(
            formatted.prompt.encode("utf-8"),
            add_bos=not formatted.added_special,
            special=True,
        )
        return tokens, [s for s in stops if s]

    def _generate(
        self,
        messages: tuple[Message, ...],
        max_tokens: int,
        temperature: float,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        constraint: Constraint = NO_CONSTRAINT,
    ) -> GenerationResult:
        import llama_cpp

        llm = self._require()
        started = time.perf_counter()
        self._fit_threads(llm)
        tokens, stops = self._prompt_tokens(messages, constraint.raw_prompt)
        grammar = _compile_grammar(constraint.grammar)
        budget = min(max_tokens, self._room(tokens, self.n_ctx))
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        vocab = llm._model.vocab
        pieces: list[str] = []
        n_out = 0
        first_at: float | None = None
        finish = "length"
        profile = self._draft_profile(llm) if constraint.lookup and temperature <= 0.0 else None
        lookup = _lookup(profile.batch_cost - 1.0) if profile and profile.exact else None
        llm.draft_model = lookup
        recheck = time.monotonic() + RECHECK_S
        for token in llm.generate(tokens, temp=temperature, top_k=40, top_p=0.95,
                                  repeat_penalty=1.1, reset=True, grammar=grammar):  # fmt: skip
            if time.monotonic() >= recheck:
                self._fit_threads(llm)
                recheck = time.monotonic() + RECHECK_S
            if cancel.is_set():
                finish = "cancelled"
                break
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                finish = "stop"
                break
            n_out += 1
            if first_at is None:
                first_at = time.perf_counter()
            piece = decoder.decode(llm.detokenize([token], special=False))
            if piece:
                pieces.append(piece)
                if stops and _hit_stop(pieces, stops):
                    finish = "stop"
                    break
                if on_token is not None and on_token(piece) is False:
                    finish = "cancelled"
                    break
            if n_out >= budget:
                break
        llm.draft_model = None
        tail = decoder.decode(b"", final=True)
        if tail and finish != "cancelled":
            pieces.append(tail)
            if on_token is not None:
                on_token(tail)
        ended = time.perf_counter()
        first = first_at if first_at is not None else ended
        return GenerationResult(
            text=_strip_stops("".join(pieces), stops),
            tokens_in=len(tokens),
            tokens_out=n_out,
            ttft_ms=(first - started) * 1000.0,
            decode_ms=(ended - first) * 1000.0,
            finish_reason=finish,
            threads=self._in_use[0],
            drafted=lookup.drafted if lookup is not None else 0,
            drafts_kept=lookup.kept if lookup is not None else 0,
        )

    def _draft_profile(self, llm: Any) -> DraftProfile:
        """Whether drafting is exact on this model and build, and what a draft batch costs;
        measured once per load (it costs the KV prefix cache)."""
        if self._drafts is None:
            self._drafts = _measure_drafts(llm)
        return self._drafts

    def _fit_threads(self, llm: Any) -> None:
        """Give the context the thread counts the policy chooses now (between evaluations)."""
        import llama_cpp

        choice = self.threads.choose()
        wanted = (choice.decode, choice.batch)
        if wanted != self._in_use:
            llama_cpp.llama_set_n_threads(llm._ctx.ctx, *wanted)
            self._in_use = wanted


@dataclass(frozen=True, slots=True)
class DraftProfile:
    """`exact`: a token's logits are bit-identical whether it is evaluated alone or in a
    batch, so a prompt-lookup answer is the same text as plain greedy decoding.
    `batch_cost`: a batch of one token plus a full draft costs this many single-token steps."""

    exact: bool
    batch_cost: float


def _measure_drafts(
    llm: Any, probe: bytes = b"Aurora checks that a batch of tokens is exact and what it costs."
) -> DraftProfile:
    import numpy as np

    tokens = llm.tokenize(probe, add_bos=True, special=False)[: LOOKUP_TOKENS + 2]
    vocab = llm.n_vocab()
    times: dict[int, list[float]] = {}

    def logits_of(steps: list[list[int]]) -> list[Any]:
        llm.reset()
        llm._ctx.kv_cache_clear()
        rows: list[Any] = []
        for step in steps:
            llm._batch.set_batch(batch=step, n_past=llm.n_tokens, logits_all=True)
            started = time.perf_counter()
            llm._ctx.decode(llm._batch)
            times.setdefault(len(step), []).append(time.perf_counter() - started)
            llm.n_tokens += len(step)
            for i in range(len(step)):
                rows.append(
                    np.ctypeslib.as_array(llm._ctx.get_logits_ith(i), shape=(vocab,)).copy()
                )
        return rows

    try:
        one_by_one = logits_of([[token] for token in tokens])
        batched = logits_of([tokens[:1], tokens[1:]])
        logits_of([tokens[:1], tokens[1:]])  # a second timing of the batch
    finally:
        llm.reset()
        llm._ctx.kv_cache_clear()
    exact = all(np.array_equal(a, b) for a, b in zip(one_by_one, batched, strict=True))
    single = sorted(times[1][1:])[len(times[1][1:]) // 2]  # the median after the first
    batch = min(times[len(tokens) - 1])
    return DraftProfile(exact, batch / single if single > 0 else float("inf"))


def _lookup(break_even: float) -> PromptLookup:
    from aurora_desktop.core.engines.lookup import PromptLookup  # numpy: not at app start-up

    return PromptLookup(
        min_ngram=LOOKUP_MIN_NGRAM,
        max_ngram=LOOKUP_NGRAM,
        tokens=LOOKUP_TOKENS,
        break_even=break_even,
    )


class _DraftAwareEval:
    """`Llama.eval` for one instance, without its copy of the logits into `Llama.scores`.

    llama-cpp-python verifies drafted tokens by sampling at each of their positions, which
    needs the model's output at every position of that small batch; upstream gets it by
    constructing the model with `logits_all=True`, which also computes the outputs of every
    prompt token and keeps an n_ctx-by-vocabulary float array (2 GB for Gemma 3 at 2,048
    tokens). Here only a batch of a sampled token plus its drafts asks for every output, and
    the sampler reads them from the context itself, as it does without drafts.
    """

    def __init__(self, llm: Any) -> None:
        self._llm = llm

    def __call__(self, tokens: Sequence[int]) -> None:
        llm = self._llm
        drafting = llm.draft_model is not None and len(tokens) <= LOOKUP_TOKENS + 1
        llm._ctx.kv_cache_seq_rm(-1, llm.n_tokens, -1)
        for start in range(0, len(tokens), llm.n_batch):
            batch = tokens[start : start + llm.n_batch]
            n_past = llm.n_tokens
            llm._batch.set_batch(batch=batch, n_past=n_past, logits_all=drafting)
            llm._ctx.decode(llm._batch)
            llm.input_ids[n_past : n_past + len(batch)] = batch
            llm.n_tokens += len(batch)
            llm._requires_eval = False


def _compile_grammar(text: str | None) -> Any:
    """A llama.cpp grammar from GBNF text; a grammar that does not parse is a request error."""
    if not text:
        return None
    from llama_cpp.llama_grammar import LlamaGrammar

    from aurora_desktop.core.cognition.grammar import check_grammar

    check_grammar(text)  # from_string only stores the text; a bad grammar would fail mid-decode
    return LlamaGrammar.from_string(text, verbose=False)


def _hit_stop(pieces: list[str], stops: list[str]) -> bool:
    window = "".join(pieces[-8:])
    return any(stop in window for stop in stops)


def _strip_stops(text: str, stops: list[str]) -> str:
    for stop in stops:
        cut = text.find(stop)
        if cut != -1:
            text = text[:cut]
    return text
