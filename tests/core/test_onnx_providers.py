"""Choosing ONNX Runtime execution providers: a pure function over what the runtime offers."""

from __future__ import annotations

import pytest

from aurora_desktop.core.engines.onnx_providers import (
    CPU,
    DML,
    best_providers,
    genai_provider,
    session_provider,
)


@pytest.mark.parametrize(
    ("available", "expected"),
    [
        ([CPU], [CPU]),  # Linux / macOS onnxruntime
        (["AzureExecutionProvider", CPU], [CPU]),  # the plain Linux wheel lists Azure too
        ([DML, CPU], [DML, CPU]),  # Windows onnxruntime-directml
        ([CPU, DML], [DML, CPU]),  # order given does not matter
        ([DML], [DML, CPU]),  # CPU is always the last resort
        ([], [CPU]),
        (["CUDAExecutionProvider", CPU], [CPU]),  # only DirectML is preferred over CPU
    ],
)
def test_best_providers(available: list[str], expected: list[str]) -> None:
    assert best_providers(available) == expected


def test_best_providers_reads_the_installed_runtime() -> None:
    import onnxruntime

    chosen = best_providers()
    assert chosen[-1] == CPU
    assert all(p in onnxruntime.get_available_providers() for p in chosen)


class _Session:
    def __init__(self, providers: list[str]) -> None:
        self._providers = providers

    def get_providers(self) -> list[str]:
        return self._providers


@pytest.mark.parametrize(
    ("granted", "expected"),
    [([DML, CPU], DML), ([CPU], CPU), ([], CPU)],
)
def test_session_provider_is_the_first_one_granted(granted: list[str], expected: str) -> None:
    assert session_provider(_Session(granted)) == expected


@pytest.mark.parametrize(
    ("device", "expected"),
    [("CPU", CPU), ("DML", DML), ("dml", DML), ("", CPU)],
)
def test_genai_device_names(device: str, expected: str) -> None:
    assert genai_provider(device) == expected
