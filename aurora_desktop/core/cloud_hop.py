"""The cloud hop: mask personal data, ask consent, send placeholders only, restore the reply.

Whether a request may take this hop at all is decided before (core/routing/plan.py); here a
masking defect fails closed with `MaskingError`, which the loop treats as high risk.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from aurora_desktop.core.contract import Message, Request
from aurora_desktop.core.engines.base import TokenCallback
from aurora_desktop.core.errors import MaskingError, ProviderUnavailableError, RequestError
from aurora_desktop.core.hops import HopResult
from aurora_desktop.core.live import LiveTicket
from aurora_desktop.core.policy.banned import BannedWords
from aurora_desktop.core.policy.consent import ConsentBroker, ConsentRequest
from aurora_desktop.core.policy.pii import PiiMasker, PlaceholderVault
from aurora_desktop.core.policy.restore import StreamRestorer, restore_placeholders
from aurora_desktop.core.providers.pool import CloudPool
from aurora_desktop.core.providers.registry import ProviderConfig
from aurora_desktop.core.text import phrase


@dataclass(frozen=True, slots=True)
class MaskedRequest:
    messages: tuple[Message, ...]
    vault: PlaceholderVault
    counts: dict[str, int]


class CloudHop:
    """Sends one request to a configured provider, with its personal data masked."""

    def __init__(
        self,
        *,
        masker: PiiMasker,
        banned: Callable[[], BannedWords],
        consent: ConsentBroker,
        clouds: CloudPool,
    ) -> None:
        self._masker = masker
        self._banned = banned
        self.consent = consent
        self.clouds = clouds

    def check_pinned(self, request: Request) -> None:
        """A request pinned to cloud://PROVIDER[/MODEL] must name a configured provider; it is
        refused like an unknown local:// model, never quietly answered on this device."""
        if request.ref.kind != "cloud":
            return
        try:
            self.clouds.choose(request.ref.name)
        except ProviderUnavailableError as exc:
            raise RequestError(str(exc)) from exc

    def default_name(self) -> str | None:
        """The provider a verified request escalates to, if any is configured."""
        configs = self.clouds.registry.list()
        return configs[0].name if configs else None

    def run(
        self,
        request: Request,
        *,
        routed_model: str | None,
        why: str,
        on_token: TokenCallback | None,
        cancel: threading.Event,
        live: LiveTicket,
    ) -> HopResult:
        """`routed_model`: the provider the routing rule named, unless the request names one."""
        wanted = request.ref.name if request.ref.kind == "cloud" else routed_model
        engine, config = self.clouds.engine_for(wanted)
        live.describe(engine=engine.engine_name, model=engine.model_name)
        if not engine.available():
            raise ProviderUnavailableError(
                phrase(
                    "{config_name} is cooling down after repeated failures; it will "
                    "be tried again shortly.",
                    config_name=config.name,
                )
            )
        masked = self._mask(request)
        consent = self._consent(masked, config, why, request.client)
        restorer = StreamRestorer(masked.vault.mapping)

        def relay(piece: str) -> bool | None:
            live.tick()
            shown = restorer.feed(piece)
            return on_token(shown) if on_token is not None and shown else None

        started = time.perf_counter()
        result = engine.generate(
            masked.messages,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
            on_token=relay if on_token is not None else None,
            cancel=cancel,
        ).result()
        tail = restorer.flush()
        if tail and on_token is not None:
            on_token(tail)
        return HopResult(
            request_id=request.request_id,
            text=restore_placeholders(result.text, masked.vault.mapping),
            target="cloud",
            engine=engine.engine_name,
            model=engine.model_name,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            ttft_ms=result.ttft_ms,
            latency_ms=(time.perf_counter() - started) * 1000.0,
            tok_s=result.decode_tok_s,
            load_ms=0.0,
            finish_reason=result.finish_reason,
            masked=masked.counts,
            bytes_sent=result.bytes_sent,
            consent=consent,
        )

    def _consent(
        self, masked: MaskedRequest, config: ProviderConfig, why: str, app: str | None
    ) -> str:
        """How the user agreed to send exactly these (masked) messages: asked, or stored;
        `app` is the API client the request came from, named to the user when asked."""
        preview = "\n\n".join(f"[{m.role}] {m.content}" for m in masked.messages)
        return self.consent.require(
            ConsentRequest(
                # an app's grant is its own: "always" for one app does not cover another
                scope=f"cloud.send:{config.name}" + (f" for {app}" if app else ""),
                recipient=f"{config.name} ({config.base_url})",
                why=why,
                preview=preview,
                bytes_out=len(preview.encode("utf-8")),
                app=app,
            )
        )

    def _mask(self, request: Request) -> MaskedRequest:
        """The messages with personal data replaced by placeholders, and banned words applied
        to the user's turns; a masking defect fails closed."""
        vault = PlaceholderVault()
        counts: Counter[str] = Counter()
        out = []
        try:
            for message in request.messages:
                result = self._masker.mask(message.content, vault)
                counts.update(result.counts())
                out.append(Message(message.role, result.text))
        except Exception as exc:  # any masking defect fails closed
            raise MaskingError(
                phrase(
                    "Personal data could not be masked ({exc}), so the request is "
                    "treated as high risk and was not sent off this device.",
                    exc=exc,
                )
            ) from exc
        banned = self._banned()
        where = phrase("your prompt")
        messages = tuple(
            Message(m.role, banned.enforce(m.content, where=where)) if m.role == "user" else m
            for m in out
        )
        return MaskedRequest(messages, vault, dict(counts))

    def close(self, timeout: float = 10.0) -> bool:
        return self.clouds.close(timeout)
