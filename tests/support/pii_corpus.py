"""A seeded corpus of labelled Korean and English sentences with (and without) personal data."""

from __future__ import annotations

import ipaddress
import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Language = Literal["en", "ko"]
KINDS = ("EMAIL", "PHONE", "CARD", "RRN", "IP", "SECRET")
NAMES_KO = ("홍길동", "김민수", "이서연", "박지훈", "최유진", "정하늘", "강도윤", "윤서아")
NAMES_EN = ("Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi")


@dataclass(frozen=True)
class Sample:
    text: str
    spans: tuple[tuple[str, str], ...]  # (kind, exact substring that must be masked)
    language: Language


# A value maker returns (what goes into the sentence, the part of it that must be masked).
Value = tuple[str, str]
Maker = Callable[[random.Random, Language], Value]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _alnum(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# --- EMAIL -------------------------------------------------------------------------------

LOCALS = ("hong", "minsu.kim", "alice", "bob.smith", "j_doe", "seoyeon", "dev-team", "info")
DOMAINS = (
    "example.com", "naver.com", "gmail.com", "daum.net", "mail.example.co.kr",
    "company.io", "cs.univ.ac.kr", "kakao.com", "corp.example.org", "sub.dept.example.net",
)  # fmt: skip


def make_email(rng: random.Random, _: Language) -> Value:
    local = rng.choice(LOCALS)
    style = rng.randrange(4)
    if style == 1:
        local += str(rng.randrange(1, 9999))
    elif style == 2:
        local += "+" + rng.choice(("news", "work", "shop", "2024"))
    elif style == 3:
        local = local.replace(".", "_").upper() if rng.random() < 0.3 else local + ".kr"
    email = f"{local}@{rng.choice(DOMAINS)}"
    return email, email


# --- PHONE -------------------------------------------------------------------------------


def _kr_mobile(rng: random.Random) -> str:
    prefix = rng.choice(("010",) * 6 + ("011", "016", "017", "018", "019"))
    middle = _digits(rng, 3 if prefix != "010" and rng.random() < 0.5 else 4)
    sep = rng.choice(("-", "-", " ", ".", ""))
    return f"{prefix}{sep}{middle}{sep}{_digits(rng, 4)}"


def _kr_landline(rng: random.Random) -> str:
    area = rng.choice(("02", "02", "031", "032", "042", "051", "053", "062", "064", "070"))
    middle = _digits(rng, rng.choice((3, 4)))
    middle = str(rng.randint(2, 9)) + middle[1:]
    style = rng.randrange(5)
    if style == 0:
        return f"({area}) {middle}-{_digits(rng, 4)}"
    if style == 1:
        return f"{area}){middle}-{_digits(rng, 4)}"
    sep = rng.choice(("-", "-", " ", "."))
    return f"{area}{sep}{middle}{sep}{_digits(rng, 4)}"


def _representative(rng: random.Random) -> str:
    prefix = rng.choice(("1588", "1577", "1544", "1566", "1600", "1644", "1661", "1899"))
    return f"{prefix}-{_digits(rng, 4)}"


def _international(rng: random.Random) -> str:
    nanp = f"{rng.randint(2, 9)}{_digits(rng, 2)}"
    exchange = f"{rng.randint(2, 9)}{_digits(rng, 2)}"
    m4, l4 = _digits(rng, 4), _digits(rng, 4)
    options = (
        f"+82 10-{m4}-{l4}", f"+82-10-{m4}-{l4}", f"+82 2-{_digits(rng, 3)}-{l4}",
        f"+82-2-{m4}-{l4}", f"+82 31 {_digits(rng, 3)} {l4}", f"+8210{m4}{l4}",
        f"+1 {nanp} {exchange} {l4}", f"+1-{nanp}-{exchange}-{l4}", f"+1 ({nanp}) {exchange}-{l4}",
        f"+1{nanp}{exchange}{l4}", f"+44 20 7946 {_digits(rng, 4)}", f"+44 7700 9{_digits(rng, 5)}",
        f"+81 3-{m4}-{l4}", f"+81 90-{m4}-{l4}", f"+86 138 {m4} {l4}", f"+49 30 {_digits(rng, 8)}",
        f"+33 1 {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
    )  # fmt: skip
    return rng.choice(options)


def make_phone(rng: random.Random, _: Language) -> Value:
    maker = rng.choice((_kr_mobile, _kr_mobile, _kr_landline, _representative, _international))
    number = maker(rng)
    return number, number


# --- CARD --------------------------------------------------------------------------------


def luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + _digits(rng, length - len(prefix) - 1)
    for check in string.digits:
        if _luhn(body + check):
            return body + check
    raise AssertionError("unreachable")


def _luhn(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


CARD_NETWORKS = (
    ("4", 16), ("4", 16), ("4", 19), ("4", 13), ("51", 16), ("52", 16), ("53", 16),
    ("54", 16), ("55", 16), ("34", 15), ("37", 15), ("6011", 16), ("6011", 19), ("3530", 16),
)  # fmt: skip


def card_number(rng: random.Random) -> str:
    prefix, length = rng.choice(CARD_NETWORKS)
    return luhn_complete(rng, prefix, length)


def format_card(rng: random.Random, digits: str) -> str:
    sep = rng.choice((" ", "-", ""))
    if not sep:
        return digits
    sizes = {15: (4, 6, 5), 16: (4, 4, 4, 4), 19: (4, 4, 4, 4, 3), 13: (4, 4, 5)}[len(digits)]
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at : at + size])
        at += size
    return sep.join(parts)


def make_card(rng: random.Random, _: Language) -> Value:
    card = format_card(rng, card_number(rng))
    return card, card


# --- RRN ---------------------------------------------------------------------------------


def rrn_check_digit(first12: str) -> str:
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(d) * w for d, w in zip(first12, weights, strict=True))
    return str((11 - total % 11) % 10)


def _birth(rng: random.Random, first: int, last: int) -> date:
    start = date(first, 1, 1)
    return start + timedelta(days=rng.randrange((date(last, 12, 31) - start).days + 1))


def _gender(rng: random.Random, born: date, foreigner: bool) -> str:
    base = (1 if born.year < 2000 else 3) + (4 if foreigner else 0)
    return str(base + rng.randrange(2))


def rrn_pre2020(rng: random.Random) -> str:
    born = _birth(rng, 1940, 2019)
    first12 = born.strftime("%y%m%d") + _gender(rng, born, rng.random() < 0.15) + _digits(rng, 5)
    return first12 + rrn_check_digit(first12)


def rrn_post2020(rng: random.Random) -> str:
    born = _birth(rng, 2020, 2024)
    return born.strftime("%y%m%d") + _gender(rng, born, rng.random() < 0.15) + _digits(rng, 6)


RRN_LABELS = {
    "ko": ("주민등록번호", "주민번호", "외국인등록번호", "주민등록번호는"),
    "en": ("RRN", "resident registration number", "Resident registration no.", "RRN is"),
}


def make_rrn(rng: random.Random, language: Language) -> Value:
    modern = rng.random() < 0.4
    digits = rrn_post2020(rng) if modern else rrn_pre2020(rng)
    hyphen = rng.random() < 0.6
    number = f"{digits[:6]}-{digits[6:]}" if hyphen else digits
    if (modern and not hyphen) or rng.random() < 0.5:
        return f"{rng.choice(RRN_LABELS[language])} {number}", number
    return number, number


# --- IP ----------------------------------------------------------------------------------


def _ipv4(rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0:
        return f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    if style == 1:
        return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
    if style == 2:
        return f"172.{rng.randint(16, 31)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    return str(ipaddress.IPv4Address(rng.randrange(1 << 24, 224 << 24)))


def _ipv6(rng: random.Random) -> str:
    address = ipaddress.IPv6Address((0x2001 << 112) | rng.getrandbits(96))
    style = rng.randrange(6)
    if style == 0:
        return address.exploded
    if style == 1:
        return f"2001:db8::{rng.randrange(1, 0xFFFF):x}"
    if style == 2:
        return f"fe80::{rng.getrandbits(16):x}:{rng.getrandbits(16):x}:{rng.getrandbits(16):x}"
    if style == 3:
        return f"::ffff:{_ipv4(rng)}"
    if style == 4:
        return rng.choice(("::1", f"64:ff9b::{_ipv4(rng)}"))
    return str(address)


def make_ip(rng: random.Random, _: Language) -> Value:
    address = _ipv4(rng) if rng.random() < 0.6 else _ipv6(rng)
    suffix = rng.random()
    if suffix < 0.15 and ":" not in address:
        return f"{address}:{rng.choice((22, 80, 443, 8080))}", address
    if suffix < 0.25 and ":" in address:
        return f"[{address}]:{rng.choice((443, 8443))}", address
    if suffix < 0.35:
        return (
            f"{address}/{rng.choice((8, 16, 24, 32) if ':' not in address else (48, 64))}",
            address,
        )
    return address, address


# --- SECRET ------------------------------------------------------------------------------

URLSAFE = string.ascii_letters + string.digits + "-_"
PASSWORD_CHARS = string.ascii_letters + string.digits + "!@#$%^&*-_.+?"


def _jwt(rng: random.Random) -> str:
    return ".".join(_alnum(rng, n, URLSAFE) for n in (36, rng.randint(40, 90), 43))


def _password(rng: random.Random) -> str:
    core = _alnum(rng, rng.randint(8, 16), PASSWORD_CHARS)
    return rng.choice(string.ascii_letters) + core


def make_secret(rng: random.Random, language: Language) -> Value:
    kind = rng.randrange(9)
    token = (
        f"sk-{_alnum(rng, 48)}",
        f"sk-proj-{_alnum(rng, rng.randint(60, 120), URLSAFE)}",
        f"AKIA{_alnum(rng, 16, string.ascii_uppercase + string.digits)}",
        f"{rng.choice(('ghp', 'gho', 'ghu', 'ghs', 'ghr'))}_{_alnum(rng, 36)}",
        f"github_pat_{_alnum(rng, 22)}_{_alnum(rng, 59)}",
        f"xox{rng.choice('bpars')}-{_digits(rng, 12)}-{_digits(rng, 13)}-{_alnum(rng, 24)}",
    )
    if kind < len(token):
        return token[kind], token[kind]
    if kind == 6:
        jwt = _jwt(rng)
        return f"Authorization: Bearer {jwt}", jwt
    if kind == 7:
        key = _alnum(rng, rng.choice((32, 40)), string.hexdigits.lower()[:16])
        label = rng.choice(("api_key=", "apikey: ", "secret=", "API_KEY=", '"client_secret": '))
        return (f'{label}"{key}"' if label.startswith('"') else f"{label}{key}"), key
    password = _password(rng)
    labels = {
        "en": ("password: ", "password=", "pwd: ", "DB_PASSWORD=", "Password: "),
        "ko": ("비밀번호: ", "패스워드=", "비밀번호 : ", "비번: ", "패스워드: "),
    }
    return f"{rng.choice(labels[language])}{password}", password


MAKERS: dict[str, Maker] = {
    "EMAIL": make_email,
    "PHONE": make_phone,
    "CARD": make_card,
    "RRN": make_rrn,
    "IP": make_ip,
    "SECRET": make_secret,
}

# --- sentences ---------------------------------------------------------------------------

LABELS: dict[str, dict[Language, tuple[str, ...]]] = {
    "EMAIL": {"en": ("email", "email address", "work email"), "ko": ("이메일", "메일 주소")},
    "PHONE": {"en": ("phone number", "mobile", "office line"), "ko": ("전화번호", "휴대폰 번호")},
    "CARD": {"en": ("card number", "credit card", "Visa"), "ko": ("카드번호", "신용카드 번호")},
    "RRN": {"en": ("ID", "number", "details"), "ko": ("번호", "인적 사항", "신원 정보")},
    "IP": {"en": ("server address", "IP", "gateway"), "ko": ("서버 주소", "IP 주소", "접속 IP")},
    "SECRET": {"en": ("login", "credentials", "config"), "ko": ("접속 정보", "설정", "계정 정보")},
}
ONE: dict[Language, tuple[str, ...]] = {
    "en": (
        "{name}'s {label} is {x}.",
        "Please update my {label} to {x} before Friday.",
        "{label}: {x}",
        "Can you check whether {x} is right? It is {name}'s {label}.",
        "I wrote down {x} as the {label}, but I'm not sure.",
        "Note from {name} - {label} {x} (confirmed)",
        "{x}",
        "Here it is:\n{x}\nThanks, {name}",
    ),
    "ko": (
        "{name}의 {label_topic} {x}입니다",
        "{label}: {x}",
        "{x}로 변경해 주세요",
        "{name}님 {label} {x} 맞나요?",
        "{label_topic} {x}이고 내일까지 확인 부탁드립니다.",
        "확인해 보니 {x}가 맞습니다.",
        "참고로 {label}({x})를 남깁니다",
        "{x}",
    ),
}
TWO: dict[Language, tuple[str, ...]] = {
    "en": ("Use {x} first, or {y} if that fails.", "{name}: old {label} {x}, new {label} {y}"),
    "ko": (
        "{x} 또는 {y}로 보내 주세요",
        "{name}님의 기존 {label_topic} {x}, 새 {label_topic} {y}입니다",
    ),
}


WRAPPERS = ("({x})", "<{x}>", '"{x}"', "'{x}'", "{x},", "{x};", "[{x}]")
KIND_WRAPPERS = {
    "EMAIL": ("mailto:{x}", "From: {name} <{x}>", "{x}?subject=hello"),
    "PHONE": ("tel:{x}", "{x}(mobile)", "T.{x}", "☎ {x}"),
    "CARD": ("{x} 12/27", "{x} exp 03/29", "{x}/CVC 123"),
    "RRN": ("{x}(본인)", "{x} (self)"),
    "IP": ("http://{x}/admin", "ssh root@{x}", "ping {x} -c 4", "{x} port 22"),
    "SECRET": ("export {x}", "{x}\n", "`{x}`"),
}


def _wrapped(rng: random.Random, kind: str, x: str, name: str) -> str:
    if rng.random() >= 0.3:
        return x
    if kind == "IP" and ":" in x and not x.startswith("["):
        x = f"[{x}]"  # an IPv6 address in a URL or after a port needs brackets
    wrapper = rng.choice(WRAPPERS + KIND_WRAPPERS[kind])
    return wrapper.replace("{x}", x).replace("{name}", name)


def _topic(word: str) -> str:
    """The Korean topic particle that fits `word`: 은 after a final consonant, else 는."""
    last = word[-1]
    has_final = "가" <= last <= "힣" and (ord(last) - ord("가")) % 28 != 0
    return word + ("은" if has_final else "는")


def positives(kind: str, n: int, seed: int = 0) -> list[Sample]:
    """`n` labelled sentences for `kind`, alternating English and Korean."""
    rng = random.Random(f"positives:{kind}:{seed}")
    maker = MAKERS[kind]
    samples = []
    for index in range(n):
        language: Language = "en" if index % 2 == 0 else "ko"
        name = rng.choice(NAMES_EN if language == "en" else NAMES_KO)
        label = rng.choice(LABELS[kind][language])
        fields = {"name": name, "label": label, "label_topic": _topic(label)}
        x, x_span = maker(rng, language)
        x = _wrapped(rng, kind, x, name)
        spans = [(kind, x_span)]
        if rng.random() < 0.2:
            y, y_span = maker(rng, language)
            y = _wrapped(rng, kind, y, name)
            text = rng.choice(TWO[language]).format(x=x, y=y, **fields)
            spans.append((kind, y_span))
        else:
            text = rng.choice(ONE[language]).format(x=x, **fields)
        samples.append(Sample(text, tuple(spans), language))
    return samples


# --- near misses -------------------------------------------------------------------------


def _bad_card(rng: random.Random) -> str:
    digits = card_number(rng)
    return format_card(rng, digits[:-1] + str((int(digits[-1]) + rng.randint(1, 9)) % 10))


def _date(rng: random.Random) -> str:
    day = _birth(rng, 1990, 2030)
    fmt = rng.choice(("%Y-%m-%d", "%Y.%m.%d", "%Y%m%d", "%Y/%m/%d", "%d.%m.%Y", "%m/%d/%Y"))
    return day.strftime(fmt)


def _order_id(rng: random.Random) -> str:
    year = rng.randint(2019, 2025)
    return rng.choice((
        f"ORD-{year}-{_digits(rng, 6)}", f"INV-{_date(rng).replace('/', '')}-{_digits(rng, 4)}",
        f"#A{_digits(rng, 4)}-{_digits(rng, 3)}", f"PO 45{_digits(rng, 8)}",
        f"{year}{_digits(rng, 4)}{_digits(rng, 6)}",
    ))  # fmt: skip


def _version(rng: random.Random) -> str:
    a, b, c = rng.randint(0, 12), rng.randint(0, 30), rng.randint(0, 40)
    return rng.choice((
        f"{a}.{b}.{c}", f"v{a}.{b}.{c}", f"Python 3.{b % 14}.{c % 10}",
        f"Chrome {rng.randint(100, 130)}.0.{rng.randint(5000, 6999)}.{rng.randint(10, 200)}",
        f"build 10.0.{rng.randint(19041, 22631)}.{rng.randint(100, 4000)}",
        f"version {a}.{b}.{c}.{rng.randint(0, 99)}", f"{a}.{b}.{c}-rc.{rng.randint(1, 5)}",
    ))  # fmt: skip


def _price(rng: random.Random) -> str:
    amount = rng.randint(1_000, 9_999_999)
    return rng.choice((
        f"${amount / 100:,.2f}", f"₩{amount:,}", f"{amount:,}원", f"USD {amount:,}.00",
        f"{amount // 1000:,}만 원", f"€ {amount / 100:,.2f}".replace(",", " "),
    ))  # fmt: skip


def _tracking(rng: random.Random) -> str:
    return rng.choice((
        f"운송장 {rng.randint(5, 6)}{_digits(rng, 11)}", f"UPS 1Z{_alnum(rng, 6).upper()}"
        f"{_digits(rng, 10)}", f"USPS 9400 1{_digits(rng, 3)} {_digits(rng, 4)} {_digits(rng, 4)}"
        f" {_digits(rng, 4)} {_digits(rng, 2)}", f"FedEx 7{_digits(rng, 11)}",
    ))  # fmt: skip


def _other_number(rng: random.Random) -> str:
    first = rng.randint(1500, 2020)
    mac = ":".join(f"{rng.getrandbits(8):02X}" for _ in range(6))
    return rng.choice((
        f"{first}-{first + rng.randint(1, 300)}", f"{first}년", f"in {first}", mac, mac.lower(),
        f"{_date(rng)} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        f"{rng.randint(1, 9)}.{rng.randint(1, 9)}.{rng.randint(1, 20)}절",
    ))  # fmt: skip


def _bad_ip(rng: random.Random) -> str:
    a, b, c = rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)
    return rng.choice((
        f"{rng.randint(256, 999)}.{a}.{b}.{c}", f"{a}.{b}.{c}.{rng.randint(256, 999)}",
        f"{a}.{b}.{c}.{rng.randint(0, 255)}.{rng.randint(0, 255)}", f"{a}.{b}.{c}",
    ))  # fmt: skip


def _ean13(rng: random.Random) -> str:
    body = "880" + _digits(rng, 9)
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _not_rrn(rng: random.Random) -> str:
    yy, g = _digits(rng, 2), rng.choice("90")
    return rng.choice((
        f"바코드 {_ean13(rng)}", f"EAN {_ean13(rng)}", f"barcode {_ean13(rng)}",
        f"{yy}{rng.randint(13, 99)}{rng.randint(10, 28)}-{rng.randint(1, 4)}{_digits(rng, 6)}",
        f"{yy}{rng.randint(1, 12):02d}{rng.randint(32, 99)}{rng.randint(1, 4)}{_digits(rng, 6)}",
        f"{yy}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}-{g}{_digits(rng, 6)}",
        f"법인등록번호 1101{rng.randint(11, 99)}-{_digits(rng, 7)}",
    ))  # fmt: skip


def _lookalike(rng: random.Random) -> str:
    return rng.choice((
        "sk-learn", "SK텔레콤", "SK-II", "risk-free", "task-scheduler", "sk-test",
        "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AKIA", "ghp_", "the xoxb- prefix",
        "user@localhost", "@hong_gildong", "foo@bar", "<EMAIL_1>", "<PHONE_2>",
        "Bearer tokens", "bearer authentication", "10:30", "Room 1203", "+5 points",
        "사업자등록번호 123-45-67890", "ISBN 978-89-6077-123-4", "110-123-456789", "06236",
        "std::vector", "2:1 ratio", "score 3-2", "password reset", "비밀번호를 잊어버렸어요",
        "비밀번호는 8자 이상", "the password must be long", "Secrets of the API",
    ))  # fmt: skip


NEAR_MISS_MAKERS: tuple[Callable[[random.Random], str], ...] = (
    _bad_card, _date, _order_id, _version, _price, _tracking, _other_number, _bad_ip, _not_rrn,
    _lookalike,
)  # fmt: skip
NEAR_MISS_TEMPLATES: dict[Language, tuple[str, ...]] = {
    "en": ("{name} mentioned {x} in the meeting.", "Reference: {x}", "Is {x} correct?", "{x}"),
    "ko": ("{name}님이 {x}를 언급했어요", "참고: {x}", "{x}이 맞나요?", "{x}"),
}


def near_misses(n: int, seed: int = 0) -> list[Sample]:
    """`n` sentences with nothing to mask: numbers and words that only look like personal data."""
    rng = random.Random(f"near-misses:{seed}")
    samples = []
    for index in range(n):
        language: Language = "en" if index % 2 == 0 else "ko"
        names = NAMES_EN if language == "en" else NAMES_KO
        maker = NEAR_MISS_MAKERS[index % len(NEAR_MISS_MAKERS)]
        template = rng.choice(NEAR_MISS_TEMPLATES[language])
        samples.append(Sample(template.format(x=maker(rng), name=rng.choice(names)), (), language))
    return samples
