"""Sentence embeddings from an ONNX graph that tokenizes inside itself (Universal Sentence
Encoder multilingual), run on plain ONNX Runtime.

The published graph begins with a `SentencepieceTokenizer` node from onnxruntime-extensions,
a custom op plain ONNX Runtime does not have (and whose newer releases ship no Windows
wheels). So at load time, in memory, the verified file is cut just after that node: the
node's two outputs (every sentence's token ids as one flat int32 array, and int64 row
offsets) become the graph's inputs, and the sentencepiece model stored in the node's `model`
attribute tokenizes here with the `sentencepiece` package, honouring the node's own BOS/EOS
and reverse settings. The result is bit-identical to the whole graph. Nothing derived is
written to disk, so what runs is always the file whose sha256 and signature were checked.
The output is already L2-normalised, one 512-wide row per sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from aurora_desktop.core.engines.onnx_batches import BatchedEncoder, open_session, unit_rows
from aurora_desktop.core.errors import EngineLoadError
from aurora_desktop.core.text import phrase

TOKENIZER_OP = "SentencepieceTokenizer"
CUSTOM_DOMAIN = "ai.onnx.contrib"


@dataclass(frozen=True, slots=True)
class CutGraph:
    """The graph without its tokenizer, and what the tokenizer node was told to do."""

    model: bytes  # serialised ModelProto, tokenizer-free
    spm: bytes  # the sentencepiece model the node carried
    ids_input: str
    splits_input: str
    add_bos: bool
    add_eos: bool
    reverse: bool


def cut_tokenizer(path: Path) -> CutGraph:
    """Read `path` and remove its sentencepiece node (see the module docstring)."""
    try:
        import onnx
        from onnx import numpy_helper
        from onnx.utils import Extractor
    except ImportError as exc:
        raise EngineLoadError(
            phrase(
                "The onnx package is missing ({exc}); reinstall Aurora to use this model.", exc=exc
            )
        ) from exc
    try:
        model = onnx.load(str(path))
    except Exception as exc:  # onnx raises DecodeError and friends from protobuf
        raise EngineLoadError(
            phrase(
                "{path_name} is not a readable ONNX file ({type_exc___name}); reinstall the model.",
                path_name=path.name,
                type_exc___name=type(exc).__name__,
            )
        ) from exc
    nodes = [n for n in model.graph.node if n.op_type == TOKENIZER_OP]
    if len(nodes) != 1 or len(nodes[0].output) != 2:
        raise EngineLoadError(
            phrase(
                "{path_name} has no sentencepiece tokenizer at its start; choose "
                "another embedding model.",
                path_name=path.name,
            )
        )
    node = nodes[0]
    attributes = {a.name: a for a in node.attribute}
    if "model" not in attributes:
        raise EngineLoadError(
            phrase("{path_name} carries no sentencepiece model; reinstall it.", path_name=path.name)
        )
    constants = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}

    def flag(index: int, default: bool) -> bool:
        if len(node.input) <= index or node.input[index] not in constants:
            return default
        return bool(np.asarray(constants[node.input[index]]).reshape(-1)[0])

    outputs = [o.name for o in model.graph.output]
    try:
        cut = Extractor(model).extract_model(list(node.output), outputs)
    except Exception as exc:  # onnx's checker raises ValidationError / ValueError
        raise EngineLoadError(
            phrase(
                "{path_name} could not be prepared for ONNX Runtime ({exc}); reinstall it.",
                path_name=path.name,
                exc=exc,
            )
        ) from exc
    kept = [o for o in cut.opset_import if o.domain != CUSTOM_DOMAIN]
    del cut.opset_import[:]
    cut.opset_import.extend(kept)
    # inputs 3-5 of the node: add_bos, add_eos, reverse (onnxruntime-extensions' order)
    return CutGraph(
        model=cut.SerializeToString(),
        spm=attributes["model"].s,
        ids_input=node.output[0],
        splits_input=node.output[1],
        add_bos=flag(3, True),
        add_eos=flag(4, True),
        reverse=flag(5, False),
    )


class SentencepieceGraphEmbedder(BatchedEncoder):
    """Turns texts into unit-length float32 vectors with a tokenizer-in-graph encoder."""

    def __init__(
        self,
        model_path: Path,
        *,
        batch_size: int = 64,
        max_tokens: int = 256,
        threads: int | None = None,
        providers: Sequence[str] | None = None,
    ) -> None:
        if batch_size < 1 or max_tokens < 3:
            raise ValueError("batch_size must be at least 1 and max_tokens at least 3")
        if not model_path.is_file():
            raise EngineLoadError(
                phrase(
                    "The embedding model {model_path} is missing; reinstall it.",
                    model_path=model_path,
                )
            )
        self.model_path = model_path
        self.tokenizer_path: Path | None = None
        self.max_tokens = max_tokens
        graph = cut_tokenizer(model_path)
        self._sp = _load_spm(graph.spm, model_path)
        session = open_session(model_path, model=graph.model, providers=providers, threads=threads)
        super().__init__(session, batch_size=batch_size)
        self._output, self.dimension = _output_of(session, model_path)
        self._spm_bytes = len(graph.spm)
        self._graph = replace(graph, model=b"", spm=b"")  # the names and flags are enough now

    def memory_bytes(self) -> int:
        """The weights held (the model file and its sentencepiece model); 0 once closed."""
        if self._session is None:
            return 0
        return int(self.model_path.stat().st_size + self._spm_bytes)

    def token_ids(self, text: str) -> list[int]:
        """The ids the graph sees for one text: BOS/EOS as the node said, at most
        `max_tokens` (a long text is cut at the end, keeping EOS)."""
        ids: list[int] = list(self._sp.encode(text))
        if self._graph.reverse:
            ids.reverse()
        room = self.max_tokens - int(self._graph.add_bos) - int(self._graph.add_eos)
        ids = ids[:room]
        if self._graph.add_bos:
            ids.insert(0, self._sp.bos_id())
        if self._graph.add_eos:
            ids.append(self._sp.eos_id())
        return ids

    def _embed_batch(self, session: Any, texts: list[str]) -> npt.NDArray[np.float32]:
        rows = [self.token_ids(text) for text in texts]
        flat = np.fromiter((i for row in rows for i in row), dtype=np.int32)
        splits = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(row) for row in rows], out=splits[1:])
        feed = {self._graph.ids_input: flat, self._graph.splits_input: splits}
        (vectors,) = session.run([self._output], feed)
        return unit_rows(vectors)


def _load_spm(data: bytes, path: Path) -> Any:
    try:
        import sentencepiece
    except ImportError as exc:
        raise EngineLoadError(
            phrase(
                "The sentencepiece package is missing ({exc}); reinstall Aurora to use this model.",
                exc=exc,
            )
        ) from exc
    processor = sentencepiece.SentencePieceProcessor()
    try:
        processor.LoadFromSerializedProto(data)
    except Exception as exc:  # sentencepiece raises RuntimeError/OSError from C++
        raise EngineLoadError(
            phrase(
                "The tokenizer inside {path_name} cannot be read ({exc}); reinstall the model.",
                path_name=path.name,
                exc=exc,
            )
        ) from exc
    return processor


def _output_of(session: Any, path: Path) -> tuple[str, int]:
    outputs = list(session.get_outputs())
    arg = next((o for o in outputs if o.name == "outputs"), outputs[0] if outputs else None)
    width = arg.shape[-1] if arg is not None and arg.shape else None
    if arg is None or not isinstance(width, int) or len(arg.shape) != 2:
        raise EngineLoadError(
            phrase(
                "The embedding model {path_name} gives no fixed-width sentence "
                "vectors; choose another embedding model.",
                path_name=path.name,
            )
        )
    return str(arg.name), width
