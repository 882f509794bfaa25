"""Aurora's local HTTP API: OpenAI- and Ollama-compatible, off by default, loopback, keys.

A top layer beside `cli`: it builds on `app.wiring` and `core`, never on `ui`. Nothing here is
imported until the server is turned on (FastAPI, Starlette and uvicorn load then).

    app.py      build_api: the FastAPI app, its safety middleware and every router
    options.py  ApiOptions: port, address, keys, origins and the limits, from the settings
    guards.py   Host and Origin checks (DNS rebinding, foreign pages), then CORS
    auth.py     API keys -> request.state.client (ApiClient); require_scope
    limits.py   concurrent requests per key and in total, body size and JSON checks
    errors.py   api_error: one-sentence errors in the caller's dialect (OpenAI or Ollama)
    meta.py     GET /v1/models, /api/tags, /api/ps, /api/version
    runner.py   ApiServer: uvicorn on its own thread and event loop; start, stop, state
"""
