"""Phone numbers: libphonenumber's matcher for the user's region and Korea, then other regions.

1. `PhoneNumberMatcher` (leniency VALID) over the text for the user's region, then Korea:
   numbers valid there, national or international, with extensions (`x4587`, `ext. 12`).
2. Every other phone-shaped run (digit groups joined by single spaces, dots, hyphens or an
   area code's slash, optional parentheses, a leading `+` or `00`, an extension) counts when
   another region validates it (a `+`/`00` number: when its country allows its length) and it
   is written in groups, unless it reads as a date, a timestamp, a year range, an amount, a
   decimal, a version, a dotted quad or a number a label names (order, ISBN, account, ID, ...).
3. A run no region validates counts only next to a phone word (`call`, `Fax:`, `연락처`,
   `... office`).

A run holding several numbers (`052 5552606 074-7111234`) is split where a new number starts
(a space before 0, + or a parenthesis), and only if every part is a number on its own.
"""

from __future__ import annotations

import bisect
import itertools
import locale
import os
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import Leniency, NumberParseException, PhoneNumberMatcher

from aurora_desktop.core.policy.pii_text import Span

FALLBACK_REGION = "KR"
MIN_DIGITS, MIN_DIGITS_WITH_CUE, MAX_DIGITS = 7, 6, 15
MAX_NUMBERS_IN_RUN = 4
MAX_NATIONAL_DIGITS = 12  # longer runs without a + or a phone word are mostly other ids

GROUP = r"(?:\([0-9]{1,5}\)|[0-9]+)"
# also Korean `02)123-4567` and German/Austrian `0662/2504756`
FIRST_GROUP = r"(?:\([0-9]{1,5}\)|[0-9]{2,4}\)(?=[ ]?[0-9])|0[0-9]{1,5}[ ]?/[ ]?[0-9]+|[0-9]+)"
EXTENSION = r"(?:[ ]?(?:x|ext\.?|extension|#)[ ]?[0-9]{1,6})"
PHONE_RUN = re.compile(
    r"(?<![0-9A-Za-z_+-])(?<![0-9][-.: ])(?<![A-Za-z]-)"
    rf"(?:\+[ ]?)?{FIRST_GROUP}(?:(?:[-. ]|[ ]?(?=\()|(?<=\))[ ]?){GROUP})*{EXTENSION}?"
    r"(?![0-9A-Za-z_])(?![-.:][0-9])",  # not the date of a `2024-01-15 14:30` timestamp
    re.IGNORECASE,
)
SEPARATED = re.compile(r"[0-9)][-. (/]|\)[0-9]")
EXTENSION_TAIL = re.compile(EXTENSION + "$", re.IGNORECASE)

PHONE_WORD_BEFORE = re.compile(
    r"전화|연락|휴대|핸드폰|팩스|콜센터|고객센터|☎|📞|(?<![A-Za-z])(?:call(?:ed|ing)?|phone|tel"
    r"|telephone|mobile|cell|fax|contact|reach|dial|whatsapp|text\s+me"
    r"|(?:my|your|his|her|our|their)\s+(?:new\s+|old\s+)?number)(?![A-Za-z])",
    re.IGNORECASE,
)
PHONE_WORD_AFTER = re.compile(
    r"^[-\s,(]{0,3}(?:office|fax|mobile|cell|home|work|phone|tel)(?![A-Za-z])", re.IGNORECASE
)
OTHER_NUMBER_BEFORE = re.compile(  # labels of numbers that are not phones
    r"(?:주문|송장|운송장|계좌|일련|모델|사업자|법인|바코드|우편|여권|면허|부품|학번|사번|버전)"
    r"|(?<![A-Za-z])(?:order|invoice|tracking|account|acct|serial|model|part|isbn|issn|ean|sku"
    r"|barcode|zip|postcode|postal|passport|license|licence|version|ver|build|release|ticket"
    r"|case|ref|reference|patent|po|p\.o\.|id)(?![A-Za-z])[\s:#.-]*(?:no\.?|number|id|#)?[\s:#.-]*$",
    re.IGNORECASE,
)
CURRENCY_BEFORE = re.compile(r"[$€£¥₩]\s?$|(?<![A-Za-z])(?:USD|EUR|KRW|JPY|GBP)\s?$", re.I)
UNIT_AFTER = re.compile(r"^\s?(?:원|달러|%|명|개|km|kg|mb|gb|won|usd|eur)", re.IGNORECASE)
DATE_SHAPES = (
    re.compile(r"(?P<y>(?:19|20)[0-9]{2})[-./](?P<m>[0-9]{1,2})[-./](?P<d>[0-9]{1,2})(?![0-9])"),
    re.compile(
        r"(?P<d>[0-9]{1,2})[-./](?P<m>[0-9]{1,2})[-./](?P<y>[0-9]{2}(?:[0-9]{2})?)(?![0-9])"
    ),
    re.compile(
        r"(?P<m>[0-9]{1,2})[-./](?P<d>[0-9]{1,2})[-./](?P<y>[0-9]{2}(?:[0-9]{2})?)(?![0-9])"
    ),
)  # matched at the start: `2024.01.15 14` is a date and an hour
TIME_RANGE = re.compile(
    r"(?:[01]?[0-9]|2[0-3])[.:][0-5][0-9] ?- ?(?:[01]?[0-9]|2[0-3])[.:][0-5][0-9]"
)
RRN_SHAPE = re.compile(r"[0-9]{6}-[0-9]{7}")
GLUED_BEFORE = re.compile(r"[A-Za-z0-9_][-_/]$|[0-9]:$")
TIME_AFTER = re.compile(r":[0-9]{2}")
THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?P<s>[ .,])[0-9]{3}(?:(?P=s)[0-9]{3})*")
YEAR_RANGE = re.compile(r"(1[0-9]{3}|20[0-9]{2})-(1[0-9]{3}|20[0-9]{2})")


@cache
def user_region() -> str:
    """The country of the operating system's locale (`ko_KR` -> KR), else Korea."""
    names = [os.environ.get(var, "") for var in ("LC_ALL", "LC_CTYPE", "LANG")]
    if sys.platform == "win32":
        import ctypes

        buffer = ctypes.create_unicode_buffer(85)
        if ctypes.windll.kernel32.GetUserDefaultLocaleName(buffer, len(buffer)):
            names.insert(0, buffer.value)
        names.append(locale.getlocale()[0] or "")  # `Korean_Korea` on older Pythons: no match
    for name in names:
        match = re.match(r"[A-Za-z]{2,3}[_-](?:[A-Za-z]{4}[_-])?([A-Za-z]{2})(?![A-Za-z])", name)
        if match and match.group(1).upper() in phonenumbers.SUPPORTED_REGIONS:
            return match.group(1).upper()
    return FALLBACK_REGION


def preferred_regions() -> tuple[str, ...]:
    return tuple(dict.fromkeys((user_region(), FALLBACK_REGION)))


def find_phones(text: str, regions: Sequence[str] | None = None) -> Iterator[Span]:
    """Spans of phone numbers; `regions` are tried first (default: the user's region, Korea)."""
    first = tuple(regions) if regions else preferred_regions()
    matched: list[Span] = []  # sorted, never overlapping
    for region in first:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            span = (match.start, match.end)
            if not _overlapping(matched, *span) and not _reads_as_other_number(text, *span):
                bisect.insort(matched, span)
    found: list[Span] = []
    replaced: set[Span] = set()
    for run in PHONE_RUN.finditer(text):
        inside = _overlapping(matched, *run.span())
        if any(s < run.start() or e > run.end() for s, e in inside):
            continue
        pieces = _split_run(text, run.start(), run.end(), first)
        # the matcher may have kept `562-5063` of `070)562-5063`, `90-…` of `+81 90-…`, or one
        # of two numbers in a row: the run's pieces replace its matches if they hold them
        if all(any(a <= s and e <= b for a, b in pieces) for s, e in inside):
            replaced.update(inside)
            found += pieces
    yield from sorted([span for span in matched if span not in replaced] + found)


def _overlapping(spans: list[Span], start: int, end: int) -> list[Span]:
    """The spans of a sorted, non-overlapping list that overlap start..end."""
    index = bisect.bisect_left(spans, (end, end))
    hits = []
    while index > 0 and spans[index - 1][1] > start:
        index -= 1
        if spans[index][0] < end:
            hits.append(spans[index])
    return hits


def _split_run(text: str, start: int, end: int, first: tuple[str, ...]) -> list[Span]:
    """The run as one number, or as several where each part is a number on its own; the parts
    start where a new number does (a group opening with 0, + or a parenthesis after a space)."""
    if _accepted(text, start, end, first):
        return [(start, end)]
    sizes = [len(group) for group in re.findall(r"[0-9]+", text[start:end])]
    if len(sizes) >= 4 and len(set(sizes[:-1])) == 1 and sizes[0] >= 3:
        return []  # 9400 1965 0144 0980 …: one long id (a card, a parcel) in even groups
    cuts = [start + m.start() for m in re.finditer(r" (?=[0+(])", text[start:end])]
    for count in range(1, min(len(cuts), MAX_NUMBERS_IN_RUN - 1) + 1):
        for chosen in itertools.combinations(cuts, count):
            starts, ends = (start, *(cut + 1 for cut in chosen)), (*chosen, end)
            bounds = list(zip(starts, ends, strict=True))
            if all(_accepted(text, a, b, first) for a, b in bounds):
                return bounds
    return []


def _accepted(text: str, start: int, end: int, first: tuple[str, ...]) -> bool:
    value = text[start:end]
    national = EXTENSION_TAIL.sub("", value)
    digits = sum(ch.isdigit() for ch in national)
    cue = _phone_word_near(text, start, end)
    if not (MIN_DIGITS_WITH_CUE if cue else MIN_DIGITS) <= digits <= MAX_DIGITS:
        return False
    if _reads_as_other_number(text, start, end) or _looks_like_quantity(text, start, end, cue):
        return False
    if national.startswith("+"):
        return possible_international(national)
    if national.startswith("00") and (cue or SEPARATED.search(national)):
        return possible_international("+" + national[2:].lstrip(" -."))  # 00 / 001: dialled abroad
    if cue:
        return True
    grouped = SEPARATED.search(national) is not None
    return grouped and digits <= MAX_NATIONAL_DIGITS and valid_somewhere(national, first)


def _reads_as_other_number(text: str, start: int, end: int) -> bool:
    """A date, a year range, or a number a label before it names (order, ISBN, ...)."""
    value = text[start:end]
    if any(_is_date(shape.match(value)) for shape in DATE_SHAPES) or TIME_AFTER.match(text, end):
        return True
    years = YEAR_RANGE.fullmatch(value)
    recent = years and all(1900 <= int(year) < 2100 for year in years.groups())
    if (
        years
        and (recent or int(years[1]) < int(years[2]))
        and not _phone_word_near(text, start, end)
    ):
        return True
    if TIME_RANGE.fullmatch(value):
        return True  # 10.30-11.45
    if RRN_SHAPE.fullmatch(value):
        return True  # ######-#######: a Korean registration number, valid or not
    if GLUED_BEFORE.search(text, max(0, start - 2), start):
        return True  # the tail of an id: INV-0513-724601, SN-2026-0722
    return OTHER_NUMBER_BEFORE.search(text[max(0, start - 24) : start]) is not None


def _is_date(match: re.Match[str] | None) -> bool:
    if match is None:
        return False
    year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
    try:
        date(year, int(match["m"]), int(match["d"]))
    except ValueError:
        return False
    return True


def _looks_like_quantity(text: str, start: int, end: int, cue: bool) -> bool:
    """An amount (`1 234 567`, `$ 12 345`), a decimal (`126.9780`) or a version (`10.0.19045`)."""
    value = text[start:end]
    if CURRENCY_BEFORE.search(text[max(0, start - 5) : start]) or UNIT_AFTER.match(text[end:]):
        return True
    if cue:
        return False
    groups = re.split(r"[-. ()]+", value.strip("()+"))
    dotted = "." in value and not re.search(r"[- ()]", value)
    phone_dots = (len(groups) > 2 and len(groups[-1]) >= 4) or (  # 555.123.4567, 01.23.45.67.89
        len(groups) >= 4 and {len(g) for g in groups} == {2} and value.startswith("0")
    )
    return THOUSANDS.fullmatch(value) is not None or (dotted and not phone_dots)


def _phone_word_near(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 30) : start]
    return bool(PHONE_WORD_BEFORE.search(before) or PHONE_WORD_AFTER.match(text[end : end + 14]))


@lru_cache(maxsize=4096)
def valid_somewhere(number: str, first: tuple[str, ...] = ()) -> bool:
    """libphonenumber calls `number` valid in one of its regions (`first` tried first)."""
    ordered = dict.fromkeys((*first, *sorted(phonenumbers.SUPPORTED_REGIONS)))
    for region in ordered:
        try:
            parsed = phonenumbers.parse(number, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return True
    return False


def possible_international(number: str) -> bool:
    """A `+` number whose length its country code allows (valid or not: `+1-944-...`)."""
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(number, None))
    except NumberParseException:
        return False
