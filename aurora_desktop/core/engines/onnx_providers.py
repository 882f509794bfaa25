"""Which ONNX Runtime execution provider to ask for, and which one a session really got.

On Windows, `onnxruntime-directml` offers `DmlExecutionProvider` (any DirectX 12 GPU);
everywhere the CPU provider is the fallback, and ONNX Runtime silently falls back to it
when the GPU one cannot start, so the provider actually used is read back from the session.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

DML = "DmlExecutionProvider"
CPU = "CPUExecutionProvider"

_PREFERENCE = (DML, CPU)

# onnxruntime-genai names devices, not providers; `og.Model.device_type` gives these.
_GENAI_DEVICES = {
    "cpu": CPU,
    "dml": DML,
    "cuda": "CUDAExecutionProvider",
    "openvino": "OpenVINOExecutionProvider",
    "qnn": "QNNExecutionProvider",
    "webgpu": "WebGpuExecutionProvider",
}


class _HasProviders(Protocol):
    def get_providers(self) -> list[str]: ...


def best_providers(available: Sequence[str] | None = None) -> list[str]:
    """Providers to request, best first: DirectML when this onnxruntime has it, then CPU.

    `available` defaults to `onnxruntime.get_available_providers()`; passing it keeps the
    choice a pure function. The CPU provider is always last, since it is always built in.
    """
    if available is None:
        available = _onnxruntime().get_available_providers()
    chosen = [name for name in _PREFERENCE if name in available and name != CPU]
    return [*chosen, CPU]


def session_provider(session: _HasProviders) -> str:
    """The provider a session actually runs on (its first, highest-priority one)."""
    providers = session.get_providers()
    return providers[0] if providers else CPU


def genai_provider(device_type: str) -> str:
    """The execution provider name for an onnxruntime-genai device type ("CPU", "DML")."""
    name = device_type.strip()
    if not name:
        return CPU
    return _GENAI_DEVICES.get(name.lower(), f"{name}ExecutionProvider")


def tune_session_options(options: Any, providers: Sequence[str]) -> None:
    """Settings DirectML needs: no memory-pattern planning, sequential execution."""
    if DML in providers:
        options.enable_mem_pattern = False
        options.execution_mode = _onnxruntime().ExecutionMode.ORT_SEQUENTIAL


def _onnxruntime() -> Any:
    """Imported on first use: importing onnxruntime costs time and memory at start-up."""
    import onnxruntime  # type: ignore[import-untyped]

    return onnxruntime
