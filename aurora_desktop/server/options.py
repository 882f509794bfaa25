"""What the API server is told: where it listens, whether keys are needed, and its limits."""

from __future__ import annotations

from dataclasses import dataclass

from aurora_desktop.core.settings import API_PORT, Settings, is_loopback

MAX_BODY_BYTES = 4_000_000  # the largest request body: 4 MB, about a million tokens of text
MAX_CONCURRENT = 16  # requests being answered at once, over all apps
MAX_CONCURRENT_PER_KEY = 4  # ... and for one app (one key)
BODY_TIMEOUT_S = 30.0  # a body that has not arrived by then is refused (408)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiOptions:
    """The server's settings (from `Settings`, see `from_settings`) and its limits."""

    port: int = API_PORT
    bind: str = "127.0.0.1"
    require_key: bool = True
    origins: tuple[str, ...] = ()  # browser origins allowed to call; none by default
    max_body_bytes: int = MAX_BODY_BYTES
    max_concurrent: int = MAX_CONCURRENT
    max_concurrent_per_key: int = MAX_CONCURRENT_PER_KEY
    body_timeout_s: float = BODY_TIMEOUT_S

    def __post_init__(self) -> None:
        if not self.require_key and not is_loopback(self.bind):
            raise ValueError("keys may be turned off only while the API listens on loopback")

    @classmethod
    def from_settings(cls, settings: Settings, *, port: int | None = None) -> ApiOptions:
        return cls(
            port=settings.api_port if port is None else port,
            bind=settings.api_bind,
            require_key=settings.api_require_key,
            origins=settings.api_origins,
        )

    @property
    def url(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"http://{host}:{self.port}"
