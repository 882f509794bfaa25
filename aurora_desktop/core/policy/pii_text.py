"""Character classes the PII detectors share: where a number starts and ends, Hangul."""

from __future__ import annotations

Span = tuple[int, int]

# Explicit ASCII classes, never \b or \w: Hangul counts as a word character for `re`, and a
# Korean particle glued to a value ("…@example.com이고") must still end the value.
NUM_LEFT = r"(?<![0-9A-Za-z_])(?<![0-9][-. ])(?<![A-Za-z]-)"  # not a piece of a longer id
NUM_RIGHT = r"(?![0-9A-Za-z_])(?![-.][0-9])"
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
