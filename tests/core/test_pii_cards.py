"""Cards: issuer ranges and lengths of the major networks, Luhn, and how numbers are grouped."""

from __future__ import annotations

import pytest

from aurora_desktop.core.policy.pii_cards import find_cards, is_card_number


def luhn_complete(prefix: str, length: int) -> str:
    """`prefix` padded with 7s to `length` digits, the last one a Luhn check digit (written apart
    from the detector's, which uses python-stdnum)."""
    body = (prefix + "7" * length)[: length - 1]
    total = 0
    for index, digit in enumerate(reversed(body)):
        value = int(digit) * (1 if index % 2 else 2)
        total += value - 9 if value > 9 else value
    return body + str(-total % 10)


def luhn_broken(prefix: str, length: int) -> str:
    digits = luhn_complete(prefix, length)
    return digits[:-1] + str((int(digits[-1]) + 1) % 10)


NETWORKS = [
    ("Visa", "4", (13, 16, 19)),
    ("American Express", "34", (15,)),
    ("American Express", "37", (15,)),
    ("Mastercard", "51", (16,)),
    ("Mastercard", "55", (16,)),
    ("Mastercard 2-series", "2221", (16,)),
    ("Mastercard 2-series", "2720", (16,)),
    ("Mir", "2200", (16, 19)),
    ("Diners Club", "36", (14, 16, 19)),
    ("Diners Club Carte Blanche", "300", (14,)),
    ("Diners Club", "38", (14, 16)),
    ("Discover", "6011", (16, 19)),
    ("Discover", "644", (16,)),
    ("Discover", "65", (16, 19)),
    ("UnionPay", "62", (16, 17, 18, 19)),
    ("UnionPay", "81", (16, 19)),
    ("JCB", "3528", (15, 16, 19)),
    ("JCB", "3589", (16,)),
    ("JCB (generated test data)", "3511", (16,)),
    ("JCB 15-digit", "2131", (15,)),
    ("JCB 15-digit", "1800", (15,)),
    ("Maestro", "6759", (12, 13, 16, 19)),
    ("Maestro", "5018", (12, 15, 19)),
    ("Maestro", "6304", (12,)),
    ("Maestro", "5020", (12, 19)),
    ("Maestro", "6762", (12,)),
    ("Maestro", "57", (12, 16)),
]
VALID = [(name, prefix, n) for name, prefix, lengths in NETWORKS for n in lengths]


@pytest.mark.parametrize(("network", "prefix", "length"), VALID)
def test_every_network_and_length_is_a_card(network: str, prefix: str, length: int) -> None:
    assert is_card_number(luhn_complete(prefix, length)), network
    assert not is_card_number(luhn_broken(prefix, length)), network


@pytest.mark.parametrize(
    ("prefix", "length"),
    [
        ("34", 16),  # Amex is 15 digits
        ("51", 15),  # Mastercard is 16
        ("2131", 16),  # the old JCB range is 15 only
        ("2721", 16),  # just above the 2-series
        ("4", 14),  # Visa is 13, 16 or 19
        ("62", 12),  # UnionPay is 16 to 19
        ("9410", 16),  # no international network
        ("1234", 16),
        ("6759", 11),  # too short for any card
        ("6759", 20),  # too long
    ],
)
def test_a_length_the_network_does_not_issue_is_no_card(prefix: str, length: int) -> None:
    assert not is_card_number(luhn_complete(prefix, length))


def cards(text: str) -> list[str]:
    return [text[start:end] for start, end in find_cards(text)]


def test_cards_in_text_with_their_usual_groupings() -> None:
    maestro12 = luhn_complete("6759", 12)
    jcb15 = luhn_complete("2131", 15)
    amex = "378282246310005"
    text = (
        f"Maestro {maestro12[:4]} {maestro12[4:8]} {maestro12[8:]}, JCB {jcb15}이고 "
        f"Amex {amex[:4]} {amex[4:10]} {amex[10:]} and Visa 4111-1111-1111-1111 12/27"
    )
    assert cards(text) == [
        f"{maestro12[:4]} {maestro12[4:8]} {maestro12[8:]}",
        jcb15,
        f"{amex[:4]} {amex[4:10]} {amex[10:]}",
        "4111-1111-1111-1111",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "카드번호 4111 1111 1111 1112 결제",  # Luhn fails
        "코드 9010123456789991",
        "운송장 642699494229, FedEx 712345678901",
        f"운송장 {luhn_complete('57', 12)}, tracking no. {luhn_complete('4', 16)}",
        "order 1234 5678 9012 3456",
        "ISBN 978-89-6077-123-4",
        f"a part of a longer id: X{luhn_complete('6759', 12)} or {luhn_complete('6759', 12)}_v2",
    ],
)
def test_near_miss_numbers_are_no_cards(text: str) -> None:
    assert cards(text) == []
