"""The first checks of every request: whom it was addressed to (`Host`) and which page sent it.

A web page the user visits can make the browser send requests to 127.0.0.1. Two guards stop
it before anything else runs:

- DNS rebinding (Ollama's CVE-2024-28224, the MCP SDK's CVE-2025-66414): the page's own host
  name is re-pointed at 127.0.0.1, so the browser thinks it talks to the page's site. Its
  requests still carry `Host: that-site`, so only loopback names and addresses (and the
  address the user chose to listen on) are accepted.
- A foreign page calling directly: browsers send `Origin` with such requests. Only the
  origins the user allowed pass (none by default); the `null` origin (a local file, a
  sandboxed frame) never does, and neither does a cross-site request without an `Origin`.

CORS (Starlette's CORSMiddleware, after this guard) then answers preflights for the allowed
origins only, naming exactly that origin, never `*`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from aurora_desktop.server.errors import api_error

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})

HOST_REFUSED = (
    "Aurora's API answers only requests addressed to localhost or 127.0.0.1, so a request "
    "for another host name was refused (a guard against DNS rebinding)."
)
NULL_ORIGIN_REFUSED = (
    "Requests from a page with the null origin (a local file or a sandboxed frame) are "
    "refused; serve the page from an origin and allow it in Aurora's settings."
)
ORIGIN_REFUSED = (
    "Requests from this web page's origin are refused; add the origin to the API's allowed "
    "origins in Aurora's settings if you trust it."
)
CROSS_SITE_REFUSED = "Cross-site requests from web pages are refused by Aurora's API."


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The host names a request may be addressed to (lower case, IPv6 in brackets)."""
    names = set(LOOPBACK_HOSTS)
    for address in (bind, *extra):
        names.add(_host_form(address))
    return frozenset(names)


def interface_addresses() -> list[str]:
    """Every address of this machine's interfaces (for a server listening on all of them)."""
    import psutil

    found = []
    for entries in psutil.net_if_addrs().values():
        for entry in entries:
            address = str(entry.address).split("%")[0]
            try:
                found.append(str(ipaddress.ip_address(address)))
            except ValueError:
                continue  # a MAC address, or no address at all
    return found


def host_name(header: str) -> str | None:
    """The host of a `Host` header without its port, lower case; None if malformed."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[: end + 1], value[end + 1 :]
    else:
        name, sep, port = value.partition(":")
        rest = sep + port
    if rest and not (rest.startswith(":") and rest[1:].isdigit() and len(rest) <= 6):
        return None
    return name or None


class LoopbackGuard:
    """Refuses (403, in the caller's dialect) requests for a foreign host or from a foreign page."""

    def __init__(self, app: ASGIApp, *, hosts: frozenset[str], origins: Iterable[str]) -> None:
        self.app = app
        self.hosts = hosts
        self.origins = frozenset(o.lower() for o in origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(Headers(scope=scope))
        if refusal is not None:
            await api_error(scope["path"], 403, refusal)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def refusal(self, headers: Headers) -> str | None:
        """Why a request with these headers is refused, or None when it may go on."""
        given = headers.getlist("host")
        host = host_name(given[0]) if len(given) == 1 else None
        if host is None or host not in self.hosts:
            return HOST_REFUSED
        origin = headers.get("origin")
        if origin is not None:
            origin = origin.strip().lower()
            if origin == "null":
                return NULL_ORIGIN_REFUSED
            if origin not in self.origins:
                return ORIGIN_REFUSED
        elif headers.get("sec-fetch-site", "").lower() == "cross-site":
            return CROSS_SITE_REFUSED
        return None


def _host_form(address: str) -> str:
    address = address.strip().lower()
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return address
    return f"[{ip}]" if ip.version == 6 else str(ip)
