"""Whether an amount in a message is the person's limit or a price they mention: "those are like £2k,
i really can't go over 300" sets a budget of 300, not 2,000."""

from __future__ import annotations

import re

#: words that make an amount the person's limit: "can't go over 300", "my max is £300", "£300 max"
_LIMIT_BEFORE = re.compile(
    r"(?:(?:can'?t|cannot|can not|won'?t|don'?t want to|not) (?:go|spend|pay)(?: any)? (?:over|above|more than|beyond)|"
    r"\bmax(?:imum)?(?: is| of)?|\bat most|\bno more than|\bbudget(?: is| of)?)\s*$",
    re.I,
)
_LIMIT_AFTER = re.compile(r"^\s*(?:max(?:imum)?|tops|at most|at the most)\b", re.I)


def said_as_limit(t: str, m: re.Match) -> bool:
    """Whether the amount ``m`` is said as the person's limit (not a price they mention)."""
    return bool(_LIMIT_BEFORE.search(t[max(0, m.start() - 40) : m.start()]) or _LIMIT_AFTER.match(t[m.end() :]))
