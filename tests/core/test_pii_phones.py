"""Phones: libphonenumber for the user's region and Korea first, other regions, phone words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aurora_desktop.core.policy import pii_phones
from aurora_desktop.core.policy.pii_phones import find_phones, user_region


def phones(text: str, regions: tuple[str, ...] = ("KR",)) -> list[str]:
    return [text[start:end] for start, end in find_phones(text, regions)]


FOUND = [
    # Korean numbers, also glued to a particle
    ("연락처는 010-1234-5678입니다", "010-1234-5678"),
    ("01012345678로 전화주세요", "01012345678"),
    ("대표번호 1588-1234로 문의", "1588-1234"),
    ("사무실 02)777-1234로", "02)777-1234"),
    ("대표 (02) 123-4567", "(02) 123-4567"),
    # a country code makes the region irrelevant
    ("Call +82 10-1234-5678 tomorrow", "+82 10-1234-5678"),
    ("Stockholm: +46 (0)8 928 571 38", "+46 (0)8 928 571 38"),
    ("Telefon numaram +90 532 123 45 67 olarak kayitli.", "+90 532 123 45 67"),
    ("E.164 +821012345678", "+821012345678"),
    ("+1-944-435-4352x04732 mobile", "+1-944-435-4352x04732"),  # possible, area not in use
    # national formats another region validates, with extensions
    ("Desk: 345-899-3560x4587", "345-899-3560x4587"),
    ("Appelez le 03.93.92.16.85 demain", "03.93.92.16.85"),
    ("Bel me op 0490 75 40 81 als het kan", "0490 75 40 81"),
    ("London office 020 7946 0958.", "020 7946 0958"),
    ("東京 03-1234-5678 まで", "03-1234-5678"),
    ("They're not answering at 06-24312407", "06-24312407"),
    ("ext form 212-555-0100 ext. 42", "212-555-0100 ext. 42"),
    # a phone word next to a number no region validates
    ("How can we reach you? You can call 33 93 31", "33 93 31"),
    ("Fax: 001-420-335-7509x38548", "001-420-335-7509x38548"),
    ("James called from 555-333-4444 about it", "555-333-4444"),
    ("0431 35 06 90-Office", "0431 35 06 90"),
    ("My number is 18616482982", "18616482982"),
    ("555-111-2222 (mobile)", "555-111-2222"),
    # dialled from abroad with 00 / 001, and the German and Austrian slash
    ("Zavolejte 00420 705 982 518 prosím", "00420 705 982 518"),
    ("Fax: 001-568-720-2402", "001-568-720-2402"),
    ("Büro 0662/25047564", "0662/25047564"),
]


@pytest.mark.parametrize(("text", "value"), FOUND)
def test_finds_phones_of_many_countries(text: str, value: str) -> None:
    assert phones(text) == [value]
    assert phones(text, ("US", "KR")) == [value]


def test_two_numbers_in_one_run_are_two_phones() -> None:
    text = "try one of these phones 052 5552606 074-7111234"
    assert phones(text) == ["052 5552606", "074-7111234"]
    assert phones(text, ("DE", "KR")) == ["052 5552606", "074-7111234"]


def test_the_users_region_reads_bare_national_numbers() -> None:
    text = "See 4258829090 tomorrow"
    assert phones(text, ("US", "KR")) == ["4258829090"]
    assert phones(text, ("KR",)) == []  # bare digits, no phone word: not a phone elsewhere


NOT_PHONES = [
    "Meeting on 2024-01-15 14:30, or 15.01.2024, or 01/15/2024.",
    "Heidi mentioned 2024.02.16 09:26:24 in the meeting.",
    "주문번호 20260722-001 상품이 발송되었습니다. 운송장 6889912345678 조회 바랍니다.",
    "ISBN 978-89-546-4342-7 도서와 ISSN 1234-5678 저널",
    "Years 1600-1700 and 1733-2024; 10:30:45",
    "It costs 1,234,567원, $ 12 345 678 or € 1 234 567.",
    "Python 3.11.4, build 10.0.19045.2965, Chrome 120.0.6099.109",
    "좌표 (37.5665, 126.9780) 서울시청. 우편번호 04524 인근.",
    "USPS 9400 1234 5678 9012 3456 78 and card 4111 1111 1111 1112",
    "PO 4512345678, order no. 555-123-4567",
    "bad IPs 986.142.150.24 and 70.90.58.83.39",
    "for i in range(20260101, 20261231): process(i)",
    "Room 1203, score 3-2, +5 points, 2:1 ratio",
    "from 2009-1994 back, logged 1979-07-23 12:34:15.223624",
    "invoice INV-0513-724601 and serial SN-2026-0722-991",
    "contact ID 1234-5678-90, ticket 555-123-4567",
    "bad dates 991301-1234567 and 003812-2364319",  # the RRN shape, never a phone
    "Öffnungszeiten 10.30-11.45 und 14:00 - 18:30",
]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_near_miss_numbers_survive(text: str) -> None:
    assert phones(text) == []
    assert phones(text, ("US", "KR")) == []


def test_a_phone_word_turns_a_year_range_into_a_phone() -> None:
    assert phones("고객센터 1600-1700번") == ["1600-1700"]
    assert phones("조선 1600-1700년") == []


@pytest.fixture
def region_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        monkeypatch.delenv(var, raising=False)
    user_region.cache_clear()
    yield monkeypatch
    user_region.cache_clear()


@pytest.mark.parametrize(
    ("variable", "value", "region"),
    [
        ("LANG", "de_DE.UTF-8", "DE"),
        ("LC_ALL", "en_US.UTF-8", "US"),
        ("LC_CTYPE", "sr_Latn_RS.UTF-8", "RS"),
        ("LANG", "C.UTF-8", "KR"),  # no country: Korea
        ("LANG", "en_XX.UTF-8", "KR"),  # not a region libphonenumber knows
    ],
)
def test_the_users_region_comes_from_the_locale(
    region_env: pytest.MonkeyPatch, variable: str, value: str, region: str
) -> None:
    region_env.setenv(variable, value)
    assert user_region() == region
    assert pii_phones.preferred_regions() == tuple(dict.fromkeys((region, "KR")))


def test_without_a_locale_korea_is_the_region(region_env: pytest.MonkeyPatch) -> None:
    assert user_region() == "KR"
    assert pii_phones.preferred_regions() == ("KR",)
