"""The server engine dies mid-answer: the request fails over as policy says, then it restarts."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from aurora_desktop.app.wiring import Core, build_core
from aurora_desktop.core.contract import Request
from aurora_desktop.core.errors import EngineError
from aurora_desktop.core.paths import AuroraHome
from aurora_desktop.core.providers.registry import ProviderConfig
from tests.support.cli import aurora
from tests.support.openai_stub import OpenAIStub, serve_openai_stub

pytestmark = [pytest.mark.integration, pytest.mark.model]
LONG = "Write a long story about a lighthouse keeper and a storm, with many details."


@pytest.fixture
def wired(model_home: AuroraHome, tmp_path: Path) -> Iterator[tuple[Core, OpenAIStub]]:
    mine = tmp_path / "mine.gguf"
    mine.write_bytes(next(model_home.models.rglob("*.gguf")).read_bytes())
    done = aurora("models", "import", str(mine), "--name", "mine", "--version", "1.0.0", "--yes")
    assert done.returncode == 0, done.stderr
    with serve_openai_stub() as stub:
        core = build_core()
        core.providers.add(ProviderConfig(name="backup", base_url=stub.base_url, model="m"), None)
        core.consents.grant("cloud.send:backup")
        try:
            yield core, stub
        finally:
            assert core.close(30)


def kill_after_first_token(core: Core) -> object:
    killed: list[int] = []

    def on_token(_piece: str) -> None:
        if not killed:
            with core.scheduler.acquire("mine") as lease:
                pid = lease.engine.pid  # type: ignore[attr-defined]
            killed.append(pid)
            os.kill(pid, signal.SIGKILL)

    on_token.killed = killed  # type: ignore[attr-defined]
    return on_token


def test_low_risk_fails_over_to_the_cloud_and_the_server_restarts(
    wired: tuple[Core, OpenAIStub],
) -> None:
    core, stub = wired
    request = Request.from_prompt(LONG, task="intent", model="local://mine", max_tokens=200)
    on_token = kill_after_first_token(core)
    response = core.pipeline.run(request, on_token=on_token)  # type: ignore[arg-type]
    assert on_token.killed  # type: ignore[attr-defined]
    assert response.target == "cloud" and stub.chat_count == 1
    assert "stopped while answering" in response.fallbacks[0]

    again = core.pipeline.run(
        Request.from_prompt("Say hi.", task="intent", model="local://mine", max_tokens=8)
    )
    assert again.target == "local" and again.engine == "llama.cpp server"
    with core.scheduler.acquire("mine") as lease:
        assert lease.engine.pid != on_token.killed[0]  # type: ignore[attr-defined]
    assert stub.chat_count == 1


def test_high_risk_errors_instead_of_failing_over(wired: tuple[Core, OpenAIStub]) -> None:
    core, stub = wired
    request = Request.from_prompt(
        LONG, task="intent", model="local://mine", max_tokens=200, risk="high"
    )
    with pytest.raises(EngineError, match="high risk, so it may only run on this device"):
        core.pipeline.run(request, on_token=kill_after_first_token(core))  # type: ignore[arg-type]
    assert stub.chat_count == 0
