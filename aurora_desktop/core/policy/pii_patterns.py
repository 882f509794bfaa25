"""The detectors behind `PiiMasker`: one pure function per kind, text in, (start, end) spans out."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from datetime import date

Span = tuple[int, int]
Detector = Callable[[str], Iterator[Span]]

# Explicit ASCII classes, never \b or \w: Hangul counts as a word character for `re`, and a
# Korean particle glued to a value ("…@example.com이고") must still end the value.
NUM_LEFT = r"(?<![0-9A-Za-z_])(?<![0-9][-. ])(?<![A-Za-z]-)"  # not a piece of a longer id
NUM_RIGHT = r"(?![0-9A-Za-z_])(?![-.][0-9])"
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"

EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)

KR_AREA = r"(?:02|03[1-3]|04[1-4]|05[1-5]|06[1-4]|070|080|050[2-8])"
PHONES = tuple(
    re.compile(NUM_LEFT + body + NUM_RIGHT)
    for body in (
        r"01[016789](?P<s>[-. ]?)[0-9]{3,4}(?P=s)[0-9]{4}",  # mobile
        KR_AREA + r"(?P<s>[-. ])[0-9]{3,4}(?P=s)[0-9]{4}",  # landline 02-123-4567
        r"\(?" + KR_AREA + r"\) ?[0-9]{3,4}[-. ][0-9]{4}",  # (02) 123-4567, 02)123-4567
        r"(?:15(?:44|66|77|88|99)|16(?:00|44|61|66|68|70|88)|18(?:00|33|55|77|99))-[0-9]{4}",
        r"\+[1-9][0-9]{0,14}(?:(?:[-. ]\(?|\(|\)[-. ]?)[0-9]{1,14})*",  # international
    )
)

MAX_LEAD, MAX_TAIL = 4, 3  # digits of a neighbouring number (a CVC, "12/25") a card may touch
CARD_RUN = re.compile(NUM_LEFT + r"[0-9]+(?:[ -][0-9]+)*" + NUM_RIGHT)
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
IPV4 = re.compile(rf"(?<![0-9A-Za-z_.]){OCTET}(?:\.{OCTET}){{3}}(?![0-9A-Za-z_])(?!\.[0-9])")
IPV6_RUN = re.compile(r"(?<![0-9A-Za-z_:.])[0-9A-Fa-f]*:[0-9A-Fa-f:.]+")
PHONE_CUE = re.compile(
    r"전화|번호|연락|고객센터|대표|콜센터|휴대|팩스|문의|call|phone|tel|mobile|fax|line|contact|☎",
    re.IGNORECASE,
)
VERSION_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?:version|ver\.?|build|release|firmware)|버전|빌드|릴리스|펌웨어)"
    r"\s*[:=]?\s*$",
    re.I,
)

TOKENS = re.compile(
    r"(?<![A-Za-z0-9_-])(?:"
    r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{36,}"
    r"|github_pat_[A-Za-z0-9_]{22,}"
    r"|xox[abeoprs]-[A-Za-z0-9-]{10,}"
    r")(?![A-Za-z0-9_-])"
)
BEARER = re.compile(r"(?<![A-Za-z])[Bb]earer[ \t]+([A-Za-z0-9._~+/=-]{16,})")
SECRET_KEYS = (
    r"api[_-]?key|apikey|api[_-]?token|access[_-]?token|auth[_-]?token|refresh[_-]?token"
    r"|client[_-]?secret|secret[_-]?access[_-]?key|secret[_-]?key|secret|private[_-]?key"
    r"|password|passwd|pwd|passphrase|비밀번호|패스워드|비번|암호|api\s?키|시크릿\s?키"
)
UNQUOTED = rf"(?:(?![;&,][A-Za-z_][A-Za-z0-9_]*=)[^\s{HANGUL}])+"
ASSIGNMENT = re.compile(
    rf"(?<![A-Za-z0-9_-])(?:[A-Za-z0-9]+[_-])*(?:{SECRET_KEYS})[\"']?[ \t]*[:=][ \t]*"
    rf"(?:\"([^\"\n]+)\"|'([^'\n]+)'|({UNQUOTED}))",
    re.IGNORECASE,
)
KOREAN_SPOKEN = re.compile(rf"(?:비밀번호|패스워드|비번)(?:은|는)[ \t]+({UNQUOTED})")
PLACEHOLDER_LIKE = re.compile(r"<[A-Z]+_[0-9]+>")


def find_emails(text: str) -> Iterator[Span]:
    """Addresses need a dot in the domain: `user@localhost` and `@handles` are not masked."""
    for match in EMAIL.finditer(text):
        yield match.span()


def find_phones(text: str) -> Iterator[Span]:
    for pattern in PHONES:
        for match in pattern.finditer(text):
            number = match.group()
            if number.startswith("+") and not _international_ok(number):
                continue
            if not _year_range(number) or _phone_cue_before(text, match.start()):
                yield match.span()


def _phone_cue_before(text: str, start: int) -> bool:
    return PHONE_CUE.search(text, max(0, start - 20), start) is not None


def _year_range(number: str) -> bool:
    """`1600-1700` reads as a span of years unless a phone word comes just before it."""
    first, _, second = number.partition("-")
    if len(first) != 4 or len(second) != 4:
        return False
    return int(first) < int(second) <= min(2100, int(first) + 200)


def _international_ok(number: str) -> bool:
    digits = sum(ch.isdigit() for ch in number)
    return 7 <= digits <= 15 and number.count("(") == number.count(")")


def find_cards(text: str) -> Iterator[Span]:
    for match in CARD_RUN.finditer(text):
        groups = [(g.start(), g.end()) for g in re.finditer(r"[0-9]+", match.group())]
        span = _card_span(match.group(), groups)
        if span is not None:
            yield match.start() + span[0], match.start() + span[1]


def _card_span(run: str, groups: list[Span]) -> Span | None:
    """The run, or the run without a stray number before it ("no. 1 4111 …") or a short tail
    after it ("4111 … 1111 12/25"), if that is a card number."""
    sizes = [end - start for start, end in groups]
    for first in range(len(groups)):
        if sum(sizes[:first]) > MAX_LEAD:
            break
        for last in range(len(groups), first, -1):
            if sum(sizes[last:]) > MAX_TAIL:
                break
            kept = groups[first:last]
            if _card_grouping_ok(sizes[first:last]) and is_card_number(
                "".join(run[start:end] for start, end in kept)
            ):
                return kept[0][0], kept[-1][1]
    return None


def _card_grouping_ok(sizes: list[int]) -> bool:
    """One block of digits, or groups like 4-4-4-4, 4-6-5 (Amex), 4-4-4-4-3."""
    return len(sizes) == 1 or (sizes[0] == 4 and all(3 <= size <= 6 for size in sizes[1:]))


def is_card_number(digits: str) -> bool:
    """13 to 19 digits, a known network prefix with a length that network issues, and Luhn."""
    return 13 <= len(digits) <= 19 and _network_length_ok(digits) and luhn_ok(digits)


def _network_length_ok(d: str) -> bool:
    n = len(d)
    if d[0] == "4":  # Visa
        return n in (13, 16, 19)
    if d[:2] in ("34", "37"):  # American Express
        return n == 15
    if "51" <= d[:2] <= "55" or "2221" <= d[:4] <= "2720":  # Mastercard
        return n == 16
    if d[:2] in ("36", "38", "39") or "300" <= d[:3] <= "305":  # Diners Club
        return 14 <= n <= 19
    # JCB, Discover, UnionPay, Maestro; 16 to 19 digits (shorter Maestro cards are rare).
    return ("3528" <= d[:4] <= "3589" or d[0] == "6" or d[:2] in ("50", "56", "57", "58")) and (
        16 <= n <= 19
    )


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


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
    century = 1900 if gender in "1256" else 2000
    try:
        date(century + int(birth[:2]), int(birth[2:4]), int(birth[4:6]))
    except ValueError:
        return False
    return True


def rrn_checksum_ok(digits: str) -> bool:
    """The pre-October-2020 check digit (foreigner numbers used 13 instead of 11)."""
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False))
    bases = (11, 13) if digits[6] in "5678" else (11,)
    return any((base - total % 11) % 10 == int(digits[12]) for base in bases)


def find_ips(text: str) -> Iterator[Span]:
    for match in IPV4.finditer(text):
        if not VERSION_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            yield match.span()
    for match in IPV6_RUN.finditer(text):
        span = _ipv6_span(match.group())
        if span is not None:
            yield match.start() + span[0], match.start() + span[1]


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


def find_secrets(text: str) -> Iterator[Span]:
    """Known token formats whole; after `Bearer` or `password:`-style labels only the value."""
    for match in TOKENS.finditer(text):
        if match.group().startswith(("sk-", "xox")) and not _looks_random(match.group()[3:]):
            continue
        yield match.span()
    for match in BEARER.finditer(text):
        if _looks_random(match.group(1)) or "." in match.group(1):
            yield match.span(1)
    for match in ASSIGNMENT.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        if not PLACEHOLDER_LIKE.fullmatch(match.group(group)):
            yield match.span(group)
    for match in KOREAN_SPOKEN.finditer(text):
        if len(match.group(1)) >= 4 and not PLACEHOLDER_LIKE.fullmatch(match.group(1)):
            yield match.span(1)


def _looks_random(token: str) -> bool:
    """A real key has a digit or a capital letter; `sk-this-is-just-words` does not."""
    return any(ch.isdigit() or ch.isupper() for ch in token)


DETECTORS: dict[str, Detector] = {
    "SECRET": find_secrets,
    "RRN": find_rrns,
    "CARD": find_cards,
    "EMAIL": find_emails,
    "IP": find_ips,
    "PHONE": find_phones,
}
