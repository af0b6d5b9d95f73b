"""Questions about an option's price or length, which say nothing of the person's own budget or time."""

from __future__ import annotations

import re

#: A question about an option, not about the person: "is that $49 US or Canadian?", "is it 49 pounds a
#: month?", "is CS50 free?", "does the UNC course give a certificate for free?" (its subject is the option,
#: and it says nothing of I/my), or one naming "the 23 hours" of something.
_OPTION_QUESTION = re.compile(
    r"(?:^|(?<=[.!?,;])|\b(?:and|so|wait|ok|okay)\b,?)\s*(?:is|are|does|do|was|will|would|can)\s+"
    r"(?:it|that|this|they|those|these|there|the\s+[\w-]+|[A-Z][\w-]*)\b[^?.!]*\?",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'?m|i'?ve|i'?d|my|me|we|our)\b", re.I)
_THE_AMOUNT = re.compile(r"[^.!?]*\bthe\s+[£$€₹]?\d[\d,.]*\s*(?:hours?|hrs?|weeks?|months?)\b[^?.!]*\?", re.I)


def without_option_questions(text: str) -> str:
    """``text`` without its questions about an option's price or length, which state nothing of the
    person's own budget or time."""
    text = _THE_AMOUNT.sub(" ", text)
    return _OPTION_QUESTION.sub(lambda m: m.group(0) if _FIRST_PERSON.search(m.group(0)) else " ", text)
