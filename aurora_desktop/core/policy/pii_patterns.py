"""The detectors behind `PiiMasker`: one pure function per kind, text in, (start, end) spans out.

E-mail, RRN and IP live here; phones, cards and secrets have their own modules (libphonenumber,
issuer ranges with Luhn, detect-secrets' rules), imported at the first text masked: together
they take about 0.15 s to import, which every command that reads the settings would pay.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator

from aurora_desktop.core.policy.pii_text import NUM_LEFT, NUM_RIGHT, Span

Detector = Callable[[str], Iterator[Span]]

EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)

RRN = re.compile(NUM_LEFT + r"([0-9]{6})(-?)([1-8])([0-9]{6})" + NUM_RIGHT)
RRN_CONTEXT = re.compile(
    r"주민\s*(?:등록)?\s*번호|외국인\s*등록|(?<![A-Za-z])(?:RRN|(?:resident|alien|foreigner)\s+"
    r"registration|resident\s+(?:number|no|id))(?![A-Za-z])",
    re.IGNORECASE,
)
NOT_RRN_CONTEXT = re.compile(  # labels of other 13-digit numbers (barcodes, companies, orders)
    r"법인|사업자|바코드|주문|송장|운송장|계좌|부품|(?<![A-Za-z])(?:corporate|company|barcode|EAN"
    r"|ISBN|order|tracking|invoice|account|part\s*(?:no|number))(?![A-Za-z])",
    re.IGNORECASE,
)

OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
CIDR = r"(?:/(?:3[0-2]|[12][0-9]|[0-9])(?![0-9]))?"  # a network's prefix length goes with it
IPV4 = re.compile(rf"(?<![0-9A-Za-z_.]){OCTET}(?:\.{OCTET}){{3}}(?![0-9A-Za-z_])(?!\.[0-9]){CIDR}")
IPV6_PREFIX = re.compile(r"/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9])(?![0-9])")
IPV6_RUN = re.compile(r"(?<![0-9A-Za-z_:.])[0-9A-Fa-f]*:[0-9A-Fa-f:.]+")
VERSION_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?:version|ver\.?|build|release|firmware)|버전|빌드|릴리스|펌웨어)"
    r"\s*[:=]?\s*$",
    re.I,
)


def find_emails(text: str) -> Iterator[Span]:
    """Addresses need a dot in the domain: `user@localhost` and `@handles` are not masked."""
    for match in EMAIL.finditer(text):
        yield match.span()


def find_rrns(text: str) -> Iterator[Span]:
    """A real birth date and gender digit 1 to 8; bare and without context, also the checksum."""
    for match in RRN.finditer(text):
        birth, hyphen, gender, rest = match.groups()
        if not rrn_date_ok(birth, gender):
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        around = before + text[match.end() : match.end() + 15]
        if RRN_CONTEXT.search(around):
            yield match.span()
        elif NOT_RRN_CONTEXT.search(before[-20:]):
            continue
        elif hyphen or rrn_checksum_ok(birth + gender + rest):
            yield match.span()


def rrn_date_ok(birth: str, gender: str) -> bool:
    from stdnum.exceptions import ValidationError
    from stdnum.kr import rrn as kr_rrn

    try:
        kr_rrn.get_birth_date(birth + gender + "000000")
    except ValidationError:
        return False
    return True


def rrn_checksum_ok(digits: str) -> bool:
    """The pre-October-2020 check digit (foreigner numbers used 13 instead of 11)."""
    from stdnum.kr import rrn as kr_rrn

    check = int(kr_rrn.calc_check_digit(digits[:12]))  # (11 - sum % 11) % 10
    return int(digits[12]) == check or (digits[6] in "5678" and int(digits[12]) == (check + 2) % 10)


def find_ips(text: str) -> Iterator[Span]:
    for match in IPV4.finditer(text):
        if not VERSION_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            yield match.span()
    for match in IPV6_RUN.finditer(text):
        span = _ipv6_span(match.group())
        if span is not None:
            end = match.start() + span[1]
            prefix = IPV6_PREFIX.match(text, end)
            yield match.start() + span[0], prefix.end() if prefix else end


def _ipv6_span(run: str) -> Span | None:
    candidate = run.rstrip(".")
    if candidate.endswith(":") and not candidate.endswith("::"):
        candidate = candidate[:-1]
    groups = [g for g in re.split(r"[:.]", candidate) if g]
    if candidate.count(":") < 2 or not (any(c.isdigit() for c in candidate) or len(groups) >= 3):
        return None
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return None
    return 0, len(candidate)


def find_cards(text: str) -> Iterator[Span]:
    from aurora_desktop.core.policy.pii_cards import find_cards

    return find_cards(text)


def find_phones(text: str) -> Iterator[Span]:
    from aurora_desktop.core.policy.pii_phones import find_phones

    return find_phones(text)


def find_secrets(text: str) -> Iterator[Span]:
    from aurora_desktop.core.policy.pii_secrets import find_secrets

    return find_secrets(text)


DETECTORS: dict[str, Detector] = {
    "SECRET": find_secrets,
    "RRN": find_rrns,
    "CARD": find_cards,
    "EMAIL": find_emails,
    "IP": find_ips,
    "PHONE": find_phones,
}
