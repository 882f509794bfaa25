"""A real ONNX LLM for tests: SmolLM2 converted from the catalog's GGUF, built once and cached.

    model_dir = onnx_smollm2(cache_dir, gguf=path_to_smollm2_gguf, say=print)

ONNX Runtime GenAI's model builder cannot read the Q4_1 GGUF and wants a hub for config and
tokenizer, so the offline route (MODELS.md) is: transformers loads the GGUF dequantised and
saves a plain float32 checkpoint, then `python -m onnxruntime_genai.models.builder` writes
an int4 CPU model from it. Both run in a separate build venv (`cache_dir/build-venv`, about
1.3 GB: torch, transformers, onnx…) so none of it enters the app's environment. The result
is keyed by the GGUF's sha256, the recipe version and the onnxruntime-genai version, and
published with a rename, so a later call (or another process) finds it complete or not at
all. A failed build raises `OnnxFixtureError` carrying the tail of the build log.

Run as a script to warm the cache before a test run:
    .venv/bin/python -m tests.support.onnx_fixture --gguf PATH [--cache DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

from aurora_desktop.core.filelock import FileLock

RECIPE_VERSION = "1"  # bump when the conversion below changes what it writes
CACHE_ENV = "AURORA_TEST_ONNX_CACHE"
DEFAULT_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "onnx-fixture"
FALLBACK_GENAI = "0.18.0"
# Versions seen to work together here; torch 2.13.0 (CPU) is installed from local disk.
BUILD_PACKAGES = (
    "torch==2.13.0",
    "transformers==5.23.0",
    "accelerate==1.15.0",
    "onnx==1.23.2",
    "onnx-ir==1.1.0",
    "gguf==0.19.0",
)
PIP_TIMEOUT_S = 1800
STEP_TIMEOUT_S = 900
LOG_TAIL_LINES = 40

Say = Callable[[str], None]

# Runs inside the build venv: GGUF -> float32 transformers checkpoint (MODELS.md step 1-2).
_DEQUANTISE = """
import sys
from pathlib import Path
from transformers import AutoModelForCausalLM, AutoTokenizer

gguf, out = Path(sys.argv[1]), Path(sys.argv[2])
tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype="float32")
model.hf_quantizer = None  # else save_pretrained refuses a "quantized" model
if hasattr(model.config, "quantization_config"):
    del model.config.quantization_config  # else the builder treats it as pre-quantized
model.config.architectures = ["LlamaForCausalLM"]  # the GGUF loader leaves it empty
model.save_pretrained(out)
tokenizer.save_pretrained(out)
print("saved", out)
"""


class OnnxFixtureError(RuntimeError):
    """The ONNX test model could not be built; the message ends with the build log's tail."""


def default_cache_dir() -> Path:
    raw = os.environ.get(CACHE_ENV, "").strip()
    return Path(raw) if raw else DEFAULT_CACHE


def genai_version() -> str:
    """The onnxruntime-genai the tests run with; the builder must be the same release."""
    try:
        return metadata.version("onnxruntime-genai")
    except metadata.PackageNotFoundError:
        return FALLBACK_GENAI


def build_packages() -> list[str]:
    return [*BUILD_PACKAGES, f"onnxruntime-genai=={genai_version()}"]


def onnx_smollm2(cache_dir: Path, *, gguf: Path, say: Say = print) -> Path:
    """The folder of the int4 ONNX SmolLM2 built from `gguf`, building it on first use."""
    sha = _sha256(gguf)
    target = cache_dir / f"smollm2-{sha[:16]}-r{RECIPE_VERSION}-og{genai_version()}"
    if _complete(target):
        return target
    with FileLock(cache_dir / ".build.lock", timeout=3600.0, what="the ONNX test model"):
        if _complete(target):  # another process built it while we waited
            return target
        started = time.monotonic()
        log = cache_dir / f"{target.name}.log"
        log.write_text(f"building {target.name} from {gguf}\n", "utf-8")
        python = _build_venv(cache_dir / "build-venv", log, say)
        work = cache_dir / f".work-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        try:
            _convert(python, gguf, work, log, say)
            shutil.rmtree(target, ignore_errors=True)
            (work / "onnx").rename(target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        say(f"onnx fixture: built {target.name} in {time.monotonic() - started:.0f} s")
        return target


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in ("genai_config.json", "model.onnx"))


def _build_venv(venv: Path, log: Path, say: Say) -> Path:
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    packages = build_packages()
    stamp = venv / f".ready-{hashlib.sha256(' '.join(packages).encode()).hexdigest()[:16]}"
    if stamp.is_file() and python.is_file():
        return python
    say(f"onnx fixture: creating the build venv {venv}")
    started = time.monotonic()
    _run([sys.executable, "-m", "venv", "--clear", str(venv)], log, STEP_TIMEOUT_S)
    say(f"onnx fixture: pip install {' '.join(packages)} (~1.3 GB, a few minutes)")
    pip = [str(python), "-m", "pip", "install", "--progress-bar", "off", *packages]
    _run(pip, log, PIP_TIMEOUT_S)
    stamp.touch()
    say(f"onnx fixture: build venv ready in {time.monotonic() - started:.0f} s")
    return python


def _convert(python: Path, gguf: Path, work: Path, log: Path, say: Say) -> None:
    work.mkdir(parents=True)
    script = work / "dequantise.py"
    script.write_text(_DEQUANTISE, "utf-8")
    started = time.monotonic()
    say("onnx fixture: dequantising the GGUF with transformers")
    _run([str(python), str(script), str(gguf), str(work / "hf")], log, STEP_TIMEOUT_S)
    say(f"onnx fixture: dequantised in {time.monotonic() - started:.0f} s; running the builder")
    started = time.monotonic()
    builder = [
        str(python), "-m", "onnxruntime_genai.models.builder",
        "-i", str(work / "hf"), "-o", str(work / "onnx"), "-p", "int4", "-e", "cpu",
        "-c", str(work / "builder-cache"), "--extra_options", "hf_token=false",
    ]  # fmt: skip
    _run(builder, log, STEP_TIMEOUT_S)
    if not _complete(work / "onnx"):
        raise OnnxFixtureError(f"The builder wrote no model.\n{_tail(log)}")
    say(f"onnx fixture: builder finished in {time.monotonic() - started:.0f} s")


def _run(cmd: Sequence[str], log: Path, timeout: float) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HUB_DISABLE_TELEMETRY="1",
               TQDM_DISABLE="1", PYTHONUNBUFFERED="1")  # fmt: skip
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        try:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                  timeout=timeout, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            raise OnnxFixtureError(
                f"`{' '.join(cmd[:4])} …` ran past {timeout:.0f} s; last lines of {log}:\n"
                f"{_tail(log)}"
            ) from None
    if proc.returncode != 0:
        raise OnnxFixtureError(
            f"Building the ONNX test model failed (exit {proc.returncode}) at:\n"
            f"  {' '.join(cmd)}\nlast lines of {log}:\n{_tail(log)}"
        )


def _tail(log: Path) -> str:
    lines = log.read_text("utf-8", errors="replace").splitlines()
    return "\n".join(line[-300:] for line in lines[-LOG_TAIL_LINES:])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build (or find) the cached ONNX SmolLM2.")
    parser.add_argument("--gguf", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        folder = onnx_smollm2(args.cache or default_cache_dir(), gguf=args.gguf)
    except OnnxFixtureError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{folder} ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
