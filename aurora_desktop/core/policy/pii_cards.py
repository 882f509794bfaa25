"""Payment card numbers: a network's issuer range (IIN) with a length it issues, and Luhn."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import luhn

from aurora_desktop.core.policy.pii_text import NUM_LEFT, NUM_RIGHT, Span

MAX_LEAD, MAX_TAIL = 4, 3  # digits of a neighbouring number (a CVC, "12/25") a card may touch
CARD_RUN = re.compile(NUM_LEFT + r"[0-9]+(?:[ -][0-9]+)*" + NUM_RIGHT)
DIGITS = re.compile(r"[0-9]+")

# (first IIN, last IIN, lengths): the prefix ranges of the major networks, compared on as many
# leading digits as the bounds have. Sources: ISO/IEC 7812 registrations as the networks publish
# them (Visa, Mastercard, American Express, Discover/Diners, JCB, UnionPay, Maestro, Mir, RuPay).
SIXTEEN_TO_NINETEEN = (16, 17, 18, 19)
NETWORKS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("4", "4", (13, 16, 19)),  # Visa (and Visa Electron)
    ("34", "34", (15,)),  # American Express
    ("37", "37", (15,)),
    ("51", "55", (16,)),  # Mastercard
    ("2221", "2720", (16,)),  # Mastercard 2-series
    ("2200", "2204", SIXTEEN_TO_NINETEEN),  # Mir
    ("300", "305", (14, 15, 16, 17, 18, 19)),  # Diners Club (Carte Blanche 14)
    ("3095", "3095", (14, 15, 16, 17, 18, 19)),
    ("36", "36", (14, 15, 16, 17, 18, 19)),  # Diners Club International
    ("38", "39", (14, 15, 16, 17, 18, 19)),
    ("3528", "3589", (15, *SIXTEEN_TO_NINETEEN)),  # JCB
    ("35", "35", SIXTEEN_TO_NINETEEN),  # below 3528 unassigned, yet generators (Faker) use it
    ("1800", "1800", (15,)),  # JCB's older 15-digit ranges
    ("2131", "2131", (15,)),
    ("6011", "6011", SIXTEEN_TO_NINETEEN),  # Discover
    ("644", "649", SIXTEEN_TO_NINETEEN),
    ("65", "65", SIXTEEN_TO_NINETEEN),  # Discover, RuPay
    ("62", "62", SIXTEEN_TO_NINETEEN),  # UnionPay
    ("81", "81", SIXTEEN_TO_NINETEEN),  # UnionPay (2017 ranges), RuPay
    ("60", "60", (16,)),  # RuPay
    ("5018", "5018", tuple(range(12, 20))),  # Maestro
    ("5020", "5020", tuple(range(12, 20))),
    ("5038", "5038", tuple(range(12, 20))),
    ("5893", "5893", tuple(range(12, 20))),
    ("6304", "6304", tuple(range(12, 20))),
    ("6759", "6759", tuple(range(12, 20))),
    ("6761", "6763", tuple(range(12, 20))),
    ("56", "58", tuple(range(12, 20))),  # Maestro's older Mastercard ranges
    ("50", "50", SIXTEEN_TO_NINETEEN),
    ("636", "639", SIXTEEN_TO_NINETEEN),  # InterPayment, InstaPayment
)


OTHER_NUMBER_BEFORE = re.compile(  # labels of long numbers that are not cards
    r"(?:운송장|송장|주문|계좌|바코드|일련|사업자|법인)\s*(?:번호)?\s*[:#]?\s*$"
    r"|(?<![A-Za-z])(?:tracking|order|invoice|account|acct|barcode|ean|isbn|serial|iban"
    r"|ups|fedex|usps|dhl)(?![A-Za-z])\s*(?:no\.?|number|#)?\s*[:#]?\s*$",
    re.IGNORECASE,
)


def find_cards(text: str) -> Iterator[Span]:
    for match in CARD_RUN.finditer(text):
        if OTHER_NUMBER_BEFORE.search(text, max(0, match.start() - 24), match.start()):
            continue
        groups = [(g.start(), g.end()) for g in DIGITS.finditer(match.group())]
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
    """One block of digits, or groups like 4-4-4-4, 4-6-5 (Amex), 4-4-4-4-3, 4-4-4 (Maestro)."""
    return len(sizes) == 1 or (sizes[0] == 4 and all(3 <= size <= 6 for size in sizes[1:]))


def is_card_number(digits: str) -> bool:
    """12 to 19 digits, a known network prefix with a length that network issues, and Luhn."""
    return 12 <= len(digits) <= 19 and network_length_ok(digits) and luhn.is_valid(digits)


def network_length_ok(digits: str) -> bool:
    length = len(digits)
    return any(
        first <= digits[: len(first)] <= last and length in lengths
        for first, last, lengths in NETWORKS
    )
