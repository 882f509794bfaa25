"""EmbeddingService releases its encoder after the idle time, like the chat models, and loads
it again on the next use; a release never cuts an embed call short."""

from __future__ import annotations

import threading
import time

from aurora_desktop.app.wiring import build_core
from aurora_desktop.core.embedding import EmbeddingService
from aurora_desktop.core.paths import AuroraHome


def wait_until(condition, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_encoder_is_released_when_idle_and_reloaded_on_use(minilm_home: AuroraHome) -> None:
    core = build_core(
        {"AURORA_HOME": str(minilm_home.root), "AURORA_CACHE": str(minilm_home.cache)}
    )
    service = EmbeddingService(core.store, core.catalog, idle_s=0.5)
    try:
        first = service.embed(["the sea is calm"])
        assert service.loaded
        assert wait_until(lambda: not service.loaded)  # released after half a second idle
        again = service.embed(["the sea is calm"])  # loads again, same vectors
        assert service.loaded and (again == first).all()
        # the idle time follows the setting: the app's encoders use the idle unload minutes
        assert core.embedder.idle_s == core.settings.current().idle_unload_min * 60.0
        core.settings.update(idle_unload_min=3)
        assert core.embedder.idle_s == core.multilingual.idle_s == 180.0
    finally:
        service.close()
        core.close()


def test_release_waits_for_a_running_embed(minilm_home: AuroraHome) -> None:
    core = build_core(
        {"AURORA_HOME": str(minilm_home.root), "AURORA_CACHE": str(minilm_home.cache)}
    )
    service = EmbeddingService(core.store, core.catalog, idle_s=0.2)
    texts = [f"sentence number {i} about boats and harbours" for i in range(3000)]
    errors: list[BaseException] = []
    try:
        service.embed(["warm up"])
        time.sleep(0.15)  # the release is due while the long call below runs

        def long_call() -> None:
            try:
                assert service.embed(texts).shape == (3000, 384)
            except BaseException as exc:
                errors.append(exc)

        worker = threading.Thread(target=long_call)
        worker.start()
        worker.join(timeout=300)
        assert not worker.is_alive() and errors == []
        assert wait_until(lambda: not service.loaded)  # then it goes, once idle
    finally:
        service.close()
        core.close()
