"""Messages to extract from: one JSON Schema, and each message with its expected values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The caps bound the longest JSON the grammar admits (~450 tokens even in Hangul bytes).
INVOICE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["sender", "date", "amount", "currency", "items"],
    "additionalProperties": False,
    "properties": {
        "sender": {"type": "string", "minLength": 1, "maxLength": 30},
        "date": {"type": "string", "format": "date"},
        "amount": {"type": "number", "minimum": 0},
        "currency": {"enum": ["USD", "EUR", "GBP", "KRW", "JPY"]},
        "items": {
            "type": "array",
            "maxItems": 3,
            "items": {"type": "string", "minLength": 1, "maxLength": 24},
        },
    },
}


@dataclass(frozen=True, slots=True)
class ExtractCase:
    text: str
    sender: str
    date: str
    amount: float
    currency: str
    items: tuple[str, ...]


CORPUS: tuple[ExtractCase, ...] = (
    ExtractCase(
        "From: Anna Schmidt\nDate: 2024-03-12\n\nHi, please find the invoice for the desk lamp "
        "and the office chair. The total is 249.90 EUR. Thanks, Anna",
        "Anna Schmidt",
        "2024-03-12",
        249.90,
        "EUR",
        ("desk lamp", "office chair"),
    ),
    ExtractCase(
        "From: Tom Baker\nDate: 2023-11-02\n\nYour order of two notebooks is ready. "
        "Amount due: $18.50 USD.",
        "Tom Baker",
        "2023-11-02",
        18.50,
        "USD",
        ("notebooks",),
    ),
    ExtractCase(
        "From: Priya Nair\nDate: 2024-01-30\n\nReceipt: 1 keyboard, 1 mouse. Paid 75 GBP in full.",
        "Priya Nair",
        "2024-01-30",
        75.0,
        "GBP",
        ("keyboard", "mouse"),
    ),
    ExtractCase(
        "From: Carlos Ruiz\nDate: 2024-06-15\n\nThe catering bill for the team lunch comes to "
        "430 USD. Items: sandwiches, coffee.",
        "Carlos Ruiz",
        "2024-06-15",
        430.0,
        "USD",
        ("sandwiches", "coffee"),
    ),
    ExtractCase(
        "From: Yuki Tanaka\nDate: 2024-02-08\n\nThank you for buying the green tea set. "
        "The price was 5400 JPY.",
        "Yuki Tanaka",
        "2024-02-08",
        5400.0,
        "JPY",
        ("green tea set",),
    ),
    ExtractCase(
        "From: Emma Wilson\nDate: 2023-12-20\n\nInvoice for web hosting and domain renewal: "
        "120 EUR, due in 30 days.",
        "Emma Wilson",
        "2023-12-20",
        120.0,
        "EUR",
        ("web hosting", "domain renewal"),
    ),
    ExtractCase(
        "From: Liam O'Brien\nDate: 2024-04-01\n\nHey, I paid 60 USD for the concert tickets. "
        "Can you send me your half?",
        "Liam O'Brien",
        "2024-04-01",
        60.0,
        "USD",
        ("concert tickets",),
    ),
    ExtractCase(
        "From: Sofia Rossi\nDate: 2024-05-09\n\nOrder confirmed: running shoes and socks, "
        "total 89.99 EUR. Delivery on Friday.",
        "Sofia Rossi",
        "2024-05-09",
        89.99,
        "EUR",
        ("running shoes", "socks"),
    ),
    ExtractCase(
        "From: David Chen\nDate: 2024-07-22\n\nThe repair of your laptop screen costs 150 GBP.",
        "David Chen",
        "2024-07-22",
        150.0,
        "GBP",
        ("laptop screen",),
    ),
    ExtractCase(
        "From: Hannah Müller\nDate: 2024-08-03\n\nBill for the printer and two toner "
        "cartridges: 310 EUR.",
        "Hannah Müller",
        "2024-08-03",
        310.0,
        "EUR",
        ("printer", "toner cartridges"),
    ),
    ExtractCase(
        "보낸 사람: 김민수\n날짜: 2024-03-05\n\n안녕하세요, 커피 머신 대금 350000 KRW를 "
        "청구합니다.",
        "김민수",
        "2024-03-05",
        350000.0,
        "KRW",
        ("커피 머신",),
    ),
    ExtractCase(
        "보낸 사람: 이지은\n날짜: 2024-09-17\n\n노트북 가방과 마우스 구입 금액은 모두 "
        "85000 KRW입니다.",
        "이지은",
        "2024-09-17",
        85000.0,
        "KRW",
        ("노트북 가방", "마우스"),
    ),
)


def field_matches(case: ExtractCase, data: dict[str, Any]) -> dict[str, bool]:
    """Which of the five fields the extracted data got right (items: any expected item named)."""
    named = " | ".join(str(item).casefold() for item in data.get("items", []))
    amount = data.get("amount")
    return {
        "sender": str(data.get("sender", "")).strip().casefold() == case.sender.casefold(),
        "date": data.get("date") == case.date,
        "amount": isinstance(amount, int | float) and abs(float(amount) - case.amount) < 0.005,
        "currency": data.get("currency") == case.currency,
        "items": any(item.casefold() in named for item in case.items),
    }
