"""What one hop (the local model, or a cloud provider) hands back to the attempt loop.

The loop in pipeline.py turns the hop that succeeded into the one `Response` the caller
sees; a hop knows nothing of rules, fallbacks, checks or retries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True, kw_only=True)
class HopResult:
    request_id: str
    text: str
    target: Literal["local", "cloud"]
    engine: str
    model: str
    tokens_in: int
    tokens_out: int
    ttft_ms: float
    latency_ms: float
    tok_s: float
    load_ms: float
    finish_reason: str
    masked: Mapping[str, int] = field(default_factory=dict)  # entities replaced before sending
    bytes_sent: int = 0  # bytes that left the machine
    consent: str | None = None  # how consent was given for a cloud hop
