"""The endpoints that describe the server: models installed and loaded, and its version.

`aurora/auto` is listed beside the installed local models: a request for it is routed by
the user's policy (local first, cloud only when the rules and consent allow). Both lists
come from the same place, so an OpenAI client and an Ollama client see the same models.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException

from aurora_desktop import __version__
from aurora_desktop.app.wiring import Core
from aurora_desktop.server.auth import require_scope

AUTO_MODEL = "aurora/auto"
OWNER = "aurora"
NEVER = "2999-01-01T00:00:00Z"  # Ollama's expiry of a model kept loaded until unloaded


def router(core: Core) -> APIRouter:
    """GET /v1/models, /v1/models/{id}, /api/tags, /api/ps and /api/version.

    They run on the event loop itself (async): each reads a small file or the scheduler's
    state in well under a millisecond, less than a hop to the thread pool costs."""
    api = APIRouter()

    @api.get("/v1/models")
    async def openai_models(request: Request) -> dict[str, Any]:
        require_scope(request, "models")
        return {"object": "list", "data": [_openai_model(m) for m in _models(core)]}

    @api.get("/v1/models/{model:path}")
    async def openai_model(request: Request, model: str) -> dict[str, Any]:
        require_scope(request, "models")
        found = next((m for m in _models(core) if m["name"] == model), None)
        if found is None:
            raise HTTPException(
                404, f"The model {model!r} is not installed; GET /v1/models lists the models."
            )
        return _openai_model(found)

    @api.get("/api/tags")
    async def ollama_tags(request: Request) -> dict[str, Any]:
        require_scope(request, "models")
        return {"models": [_ollama_model(m) for m in _models(core)]}

    @api.get("/api/ps")
    async def ollama_ps(request: Request) -> dict[str, Any]:
        require_scope(request, "models")
        installed = {m["name"]: m for m in _models(core)}
        running = []
        for state in core.scheduler.snapshot():
            if state.state != "loaded":
                continue
            model = installed.get(state.name) or _model_row(state.name, 0, "", "gguf", 0.0)
            row = _ollama_model(model)
            row.pop("modified_at")
            expires = NEVER if state.ttl_s < 0 else _iso(state.last_used + state.ttl_s)
            row.update(size=state.memory_bytes or row["size"], size_vram=0, expires_at=expires)
            running.append(row)
        return {"models": running}

    @api.get("/api/version")
    async def ollama_version() -> dict[str, str]:
        return {"version": __version__}  # any key may ask (the key check ran already)

    return api


def _models(core: Core) -> list[dict[str, Any]]:
    """`aurora/auto`, then the installed local language models (the default first)."""
    rows = []
    for name in core.local.installed_llms():
        version = core.store.active(name)
        if version is None:
            continue
        entry = version.entry
        rows.append(
            _model_row(
                name, entry.size, entry.main_file.sha256, entry.format, version.verified_at or 0.0
            )
        )
    newest = max((r["modified"] for r in rows), default=time.time())
    return [_model_row(AUTO_MODEL, 0, "", "policy", newest), *rows]


def _model_row(name: str, size: int, digest: str, fmt: str, modified: float) -> dict[str, Any]:
    return {"name": name, "size": size, "digest": digest, "format": fmt, "modified": modified}


def _openai_model(model: dict[str, Any]) -> dict[str, Any]:
    return {"id": model["name"], "object": "model", "created": int(model["modified"]),
            "owned_by": OWNER}  # fmt: skip


def _ollama_model(model: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": model["name"],
        "model": model["name"],
        "modified_at": _iso(model["modified"]),
        "size": model["size"],
        "digest": model["digest"],
        "details": {
            "parent_model": "",
            "format": model["format"],
            "family": "",
            "families": None,
            "parameter_size": "",
            "quantization_level": "",
        },
    }


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).isoformat().replace("+00:00", "Z")
