"""Secrets: detect-secrets' plugin rules, line by line, plus the forms they leave out.

detect-secrets scans files: its `analyze_line` consults process-wide settings (and may verify a
token over the network), its high-entropy plugins swap their regex while scanning (not thread
safe), and `analyze_string` returns values without positions (`ghp` for a GitHub token). So
only its stateless parts are used: each plugin's `denylist` regexes, JWT's `is_formally_valid`,
the keyword plugin's regex tables, the entropy formula and the heuristic filters. Lines are
scanned in an ASCII view where non-ASCII letters (Hangul) become spaces of the same length, so
a token glued to a Korean particle (`키는ghp_...입니다`) is found and offsets stay valid.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from re import Pattern

from detect_secrets.filters import heuristic
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import (
    Base64HighEntropyString,
    HexHighEntropyString,
)
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.keyword import (
    CONFIG_DENYLIST_REGEX_TO_GROUP,
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
)
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.private_key import PrivateKeyDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector

from aurora_desktop.core.policy.pii_text import HANGUL, Span

TOKEN_PLUGINS: tuple[RegexBasedDetector, ...] = (
    AWSKeyDetector(),
    AzureStorageKeyDetector(),
    BasicAuthDetector(),
    DiscordBotTokenDetector(),
    GitHubTokenDetector(),
    GitLabTokenDetector(),
    JwtTokenDetector(),
    MailchimpDetector(),
    NpmDetector(),
    OpenAIDetector(),
    PypiTokenDetector(),
    SendGridDetector(),
    SlackDetector(),
    SquareOAuthDetector(),
    StripeDetector(),
    TelegramBotTokenDetector(),
    TwilioKeyDetector(),
)
KEYWORD_TABLES: tuple[dict[Pattern[str], int], ...] = (
    CONFIG_DENYLIST_REGEX_TO_GROUP,
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
)
BASE64 = Base64HighEntropyString()
HEX = HexHighEntropyString()

TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]*")
JWT_CHARS = re.compile(r"[A-Za-z0-9_.+/=-]*")
ALNUM_BEFORE = re.compile(r"[A-Za-z0-9]")
NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")
QUOTES = "\"'`"
VALUE_STOP = re.compile(r"[;&,](?:\s|[A-Za-z_][A-Za-z0-9_]*=)|\s+#")  # `; next`, `&user=`
CONFIG_LINE = re.compile(r"^\s*(?:export\s+|set\s+|-\s+)?[\"'\[]?[A-Za-z0-9_.-]*$")

PRIVATE_KEY_BEGIN = re.compile(r"BEGIN [A-Z0-9 ]*PRIVATE KEY")  # also ENCRYPTED (PKCS #8)
PRIVATE_KEY_END = re.compile(r"-----END[ A-Z0-9]*PRIVATE KEY[ A-Z]*-----|Private-MAC: *\S*")

# What detect-secrets has no plugin for, or only in code syntax: generic `sk-` keys (new OpenAI
# and Anthropic formats), fine-grained GitHub tokens, other widely used prefixed tokens (Google
# API, Hugging Face, npm, Stripe test keys, Slack app, DigitalOcean, Shopify), Bearer headers,
# English and Korean labels.
TOKENS = re.compile(
    r"(?<![A-Za-z0-9_-])(?:"
    r"sk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_-]{20,}"
    r"|gh[pousr]_[A-Za-z0-9]{36,}"
    r"|github_pat_[A-Za-z0-9_]{22,}"
    r"|xox[abeoprs]-[A-Za-z0-9-]{10,}"
    r"|xapp-[0-9]-[A-Za-z0-9-]{20,}"
    r"|AIza[0-9A-Za-z_-]{35}"
    r"|hf_[A-Za-z0-9]{30,}"
    r"|npm_[A-Za-z0-9]{36}"
    r"|[rs]k_test_[0-9A-Za-z]{24,}"
    r"|do[pro]_v1_[a-f0-9]{64}"
    r"|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"
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
ENGLISH_SPOKEN = re.compile(  # "my password is hunter2": only a value with a digit or a symbol
    r"(?<![A-Za-z])(?:password|passwd|passcode|passphrase|pin|api\s+key|secret\s+key|token)"
    r"\s+(?:is|was)\s+[\"'`]?([^\s\"'`]{4,}?)[\"'`]?(?=[\s,;!?)]|\.(?:\s|$)|$)",
    re.IGNORECASE,
)
BASIC_AUTH = re.compile(r"(?<![A-Za-z])[Bb]asic[ \t]+([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])")
PLACEHOLDER_LIKE = re.compile(r"<[A-Z]+_[0-9]+>")

# A random-looking string right after a key word ("API 키 9f8e7d…", "token: Zm9v…").
KEY_WORD = re.compile(
    r"(?:키|토큰|인증|비밀|시크릿|(?<![A-Za-z])(?:key|token|secret|password|passwd|credential"
    r"|auth|bearer|apikey))",
    re.IGNORECASE,
)
CANDIDATE = re.compile(r"(?<![A-Za-z0-9_+/=-])[A-Za-z0-9_+/=-]{20,}(?![A-Za-z0-9_+/=-])")
HEX_STRING = re.compile(r"[0-9a-fA-F]+")
KEY_WORD_REACH = 40


def find_secrets(text: str) -> Iterator[Span]:
    """Known token formats whole; after `Bearer` or `password:`-style labels only the value."""
    spans = [*_private_keys(text), *_aurora_rules(text)]
    view = NON_ASCII_LETTER.sub(lambda m: " " if m.group().isalnum() else m.group(), text)
    offset = 0
    for line in view.split("\n"):
        spans += [(offset + s, offset + e) for s, e in _line_secrets(line, text[offset:])]
        offset += len(line) + 1
    yield from merge(spans)


def _line_secrets(line: str, raw: str) -> Iterator[Span]:
    for plugin in TOKEN_PLUGINS:
        for regex in plugin.denylist:
            for match in regex.finditer(line):
                span = _token_span(plugin, line, match)
                if span is not None:
                    yield span
    yield from _keyword_values(line)
    yield from _high_entropy_near_key_word(line, raw)


def _token_span(plugin: RegexBasedDetector, line: str, match: re.Match[str]) -> Span | None:
    """A group that starts later than the match is the value (`://user:(pass)@`); otherwise
    the whole token, not glued to a longer word, extended over the rest of its characters."""
    if match.re.groups and match.start(1) > match.start():
        return match.span(1)
    start = match.start()
    if start and ALNUM_BEFORE.match(line[start - 1]):
        return None
    if isinstance(plugin, JwtTokenDetector):
        end = JWT_CHARS.match(line, match.end()).end()  # type: ignore[union-attr]
        while line[end - 1] == ".":
            end -= 1
        if not plugin.is_formally_valid(line[start:end]):
            return None
        return start, end
    return start, TOKEN_CHARS.match(line, match.end()).end()  # type: ignore[union-attr]


def _keyword_values(line: str) -> Iterator[Span]:
    """detect-secrets' keyword rules (`db_pass: …`, `secret = "…"`); in a config line the value
    runs to its end, in a sentence it is one word unless quoted."""
    for table in KEYWORD_TABLES:
        for regex, group in table.items():
            for match in regex.finditer(line):
                start, end = match.span(group)
                value = line[start:end]
                if not value.strip() or _filtered(value, line):
                    continue
                quoted = start > 0 and line[start - 1] in QUOTES
                if not quoted:
                    stop = VALUE_STOP.search(value)
                    value = value[: stop.start()] if stop else value
                    if not CONFIG_LINE.match(line[: match.start()]):
                        value = value.split()[0] if value.split() else ""
                if value:
                    yield start, start + len(value)


def _filtered(value: str, line: str) -> bool:
    """detect-secrets' own heuristics: `${VAR}`, `{name}`, `<value>`, punctuation only,
    `get_secret()`; and placeholders Aurora itself wrote."""
    return (
        heuristic.is_templated_secret(value)
        or heuristic.is_prefixed_with_dollar_sign(value)
        or heuristic.is_not_alphanumeric_string(value)
        or heuristic.is_indirect_reference(line)
        or PLACEHOLDER_LIKE.search(value) is not None
    )


def _high_entropy_near_key_word(line: str, raw: str) -> Iterator[Span]:
    for match in CANDIDATE.finditer(line):
        token = match.group().rstrip("=.")
        if not (any(c.isdigit() for c in token) and any(c.isalpha() for c in token)):
            continue
        if HEX_STRING.fullmatch(token):
            random_enough = HEX.calculate_shannon_entropy(token) > HEX.entropy_limit
        else:
            random_enough = BASE64.calculate_shannon_entropy(token) > BASE64.entropy_limit
        before = raw[max(0, match.start() - KEY_WORD_REACH) : match.start()]
        if random_enough and KEY_WORD.search(before):
            yield match.start(), match.start() + len(token)


def _private_keys(text: str) -> Iterator[Span]:
    """From `-----BEGIN … PRIVATE KEY-----` to its END line (or the end of the text)."""
    for regex in (*PrivateKeyDetector.denylist, PRIVATE_KEY_BEGIN):
        for match in regex.finditer(text):
            start = match.start()
            while start > 0 and text[start - 1] == "-":
                start -= 1
            end_marker = PRIVATE_KEY_END.search(text, match.end())
            yield start, end_marker.end() if end_marker else len(text)


def _aurora_rules(text: str) -> Iterator[Span]:
    for match in TOKENS.finditer(text):
        if match.group().startswith(("sk-", "xox")) and not _looks_random(match.group()[3:]):
            continue
        yield match.span()
    for match in BEARER.finditer(text):
        if _looks_random(match.group(1)) or "." in match.group(1):
            yield match.span(1)
    for match in ASSIGNMENT.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        if not _filtered(match.group(group), _line_of(text, match.start())):
            yield match.span(group)
    for match in ENGLISH_SPOKEN.finditer(text):
        value = match.group(1)
        if re.search(r"[0-9]|[^A-Za-z0-9]", value) and not _filtered(value, match.group()):
            yield match.span(1)
    for match in BASIC_AUTH.finditer(text):
        if _is_user_and_password(match.group(1)):
            yield match.span(1)
    for match in KOREAN_SPOKEN.finditer(text):
        if len(match.group(1)) >= 4 and not _filtered(match.group(1), match.group()):
            yield match.span(1)


def _line_of(text: str, index: int) -> str:
    end = text.find("\n", index)
    return text[text.rfind("\n", 0, index) + 1 : end if end != -1 else len(text)]


def _is_user_and_password(encoded: str) -> bool:
    """`Authorization: Basic dXNlcjpwYXNz` carries base64 of `user:password`."""
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return ":" in decoded and decoded.isprintable()


def _looks_random(token: str) -> bool:
    """A real key has a digit or a capital letter; `sk-this-is-just-words` does not."""
    return any(ch.isdigit() or ch.isupper() for ch in token)


def merge(spans: list[Span]) -> list[Span]:
    """Overlapping or touching spans of one kind as one span, sorted."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif end > start:
            merged.append((start, end))
    return merged
