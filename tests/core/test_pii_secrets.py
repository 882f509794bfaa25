"""Secrets: detect-secrets' token rules (also glued to Korean), private keys, keyword values."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from aurora_desktop.core.policy.pii_secrets import find_secrets, merge

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwia"
    "WF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
TOKENS = {
    "GitHub": "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",
    "GitHub OAuth": "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    "GitHub fine-grained": "github_pat_11ABCDEFG0123456789abc_XyZ",
    "OpenAI (old)": "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",
    "OpenAI project": "sk-proj-Xi8tdMjHV6pmbBbwilTeT3BlbkFJ3UDnpdEwNNm6wVBpYM0o",
    "Anthropic": "sk-ant-api03-abcdefghij1234567890",
    "AWS key id": "AKIAIOSFODNN7EXAMPLE",
    "Slack": "xoxb-34532454-e039d02840a0b9379c",
    "Slack webhook": "https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghij0123456789ABCD",
    "Stripe": "sk_live_ReTllpYQYfIZu2Jnf2lAPFjD",
    "GitLab": "glpat-hellOworld380_testin",
    "SendGrid": "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",
    "JWT": JWT,
    "Google API": "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI",
    "Hugging Face": "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    "Stripe test": "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
}


@pytest.mark.parametrize("name", sorted(TOKENS))
@pytest.mark.parametrize(
    "template",
    [
        "{t}",
        "토큰은{t}입니다",  # glued to Korean on both sides, no spaces
        "키 {t}를 노출했어요",
        "Here is the key: {t}. Rotate it.",
        '{{"token": "{t}"}}',
    ],
)
def test_known_tokens_are_masked_whole(name: str, template: str) -> None:
    text = template.format(t=TOKENS[name])
    spans = list(find_secrets(text))
    assert [text[start:end] for start, end in spans] == [TOKENS[name]], name


def test_a_token_glued_to_a_longer_word_is_left_alone() -> None:
    assert list(find_secrets("XAKIAIOSFODNN7EXAMPLE and myghp_" + "a" * 36)) == []


def test_aws_secret_and_basic_auth_mask_the_value_only() -> None:
    text = 'aws_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" 그리고 https://admin:S3cr3tP4ss@db.example.com/app'
    found = [text[start:end] for start, end in find_secrets(text)]
    assert found == ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "S3cr3tP4ss"]


PEM_BODY = "MIIEowIBAAKCAQEA1x2y3z\nb3BlbnNzaC1rZXktdjEAAAAA="


@pytest.mark.parametrize("label", ["RSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY"])
def test_a_private_key_runs_from_begin_to_end(label: str) -> None:
    block = f"-----BEGIN {label}-----\n{PEM_BODY}\n-----END {label}-----"
    text = f"이 키 좀 봐줘\n{block}\n고마워"
    assert [text[start:end] for start, end in find_secrets(text)] == [block]


def test_a_private_key_without_its_end_runs_to_the_end_of_the_text() -> None:
    text = "some text here\n-----BEGIN OPENSSH PRIVATE KEY-----\nyabba dabba doo"
    start, end = next(iter(find_secrets(text)))
    assert (start, end) == (text.index("-----BEGIN"), len(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("aws_secret_access_key: value with spaces to the end", "value with spaces to the end"),
        ('password_super_secure = "value with quotes and spaces"', "value with quotes and spaces"),
        (
            "db_pass: m{{h}o)p${e]nob(ody[finds>-_$#thisone}},",
            "m{{h}o)p${e]nob(ody[finds>-_$#thisone}}",
        ),
        ('secrete "Tr0ub4dor&3";', "Tr0ub4dor&3"),
        ("In the sentence my password: hunter2x and nothing more", "hunter2x"),
        ("DB_PASSWORD=s3cr3t!&user=x", "s3cr3t!"),
        ("비밀번호: Qwer1234!입니다", "Qwer1234!"),
        ("비밀번호는 hunter22야", "hunter22"),
        ("btw my password is hunter2, don't tell", "hunter2"),
        ("The wifi passcode was 'P@ss-w0rd'.", "P@ss-w0rd"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
    ],
)
def test_keyword_values(text: str, value: str) -> None:
    assert [text[start:end] for start, end in find_secrets(text)] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "password: ${DB_PASSWORD}",
        "secret = get_secret_key()",
        'api_key = "{api_key}"',
        "password: <SECRET_1>",
        "Please reset your password. 비밀번호를 잊어버렸어요.",
        "The password is long enough and the token was revoked.",
        "Basic authentication is basic stuff; basic income",
        "We used sk-learn, SK텔레콤, risk-free and sk-test.",
        "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed it",  # hex without a key word
        "request 123e4567-e89b-12d3-a456-426614174000 and token refresh is at 10:30",
    ],
)
def test_look_alikes_are_not_secrets(text: str) -> None:
    assert list(find_secrets(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "API 키 9f8e7d6c5b4a39281706f5e4d3c2b1a0 를 발급받았어요",
        "my api key is Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg please",
        "토큰:Qm9vdDJzdHJhcFRva2VuMTIzNDU2Nzg5MA",
    ],
)
def test_a_random_string_after_a_key_word_is_a_secret(text: str) -> None:
    (start, end), *rest = find_secrets(text)
    assert not rest and end - start >= 20 and " " not in text[start:end]


def test_a_plain_word_after_a_key_word_is_not() -> None:
    text = "the api key field shows xxxxxxxxxxxxxxxxxxxx1234 as a placeholder"
    assert list(find_secrets(text)) == []


def test_scans_agree_across_threads() -> None:
    texts = [
        template.format(t=token) for token in TOKENS.values() for template in ("{t}", "키{t}요")
    ]
    serial = [list(find_secrets(text)) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(lambda text: list(find_secrets(text)), texts * 4))
    assert parallel == serial * 4


def test_importing_the_masker_leaves_the_detector_libraries_for_later() -> None:
    code = (
        "import sys; import aurora_desktop.core.policy.pii as pii; "
        "assert not {'detect_secrets', 'phonenumbers', 'stdnum'} & set(sys.modules); "
        "pii.PiiMasker().find('x'); assert 'detect_secrets' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_merge_joins_overlapping_and_touching_spans() -> None:
    assert merge([(5, 9), (0, 3), (2, 4), (9, 12), (20, 20)]) == [(0, 4), (5, 12)]
