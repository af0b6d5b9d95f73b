"""Who the person seems to be, from what they wrote: someone already working is sent to the help that fits
working adults first (the public careers service, their employer's training budget), a student to the
university's careers service."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: "I've managed an operations team for 12 years", "my employer will pay", "I work in retail"
_WORKING = re.compile(
    r"\b(i work(?:ed)? (?:in|at|as|for)|i'?m working|working (?:as|in|at)|my (?:job|employer|company|manager|boss|"
    r"colleagues|department|team|workplace)|(?:company|employer|institute|department) (?:will |would |might |can )?"
    r"(?:pay|pays|cover|covers|fund|funds)|i(?:'ve| have) (?:managed|worked|been working)|"
    r"\d+\s+years?(?:'s)? (?:of )?(?:experience|on (?:the )?wards|in (?:the )?(?:job|industry|role))|"
    r"(?:years|yrs) (?:as|in) (?:a|an|the)\b)",
    re.I,
)
#: "I'm a student", "my final year", "at uni": the university's own careers service is theirs
_STUDYING = re.compile(
    r"\b(student|studying|final year|undergrad\w*|first year|second year|third year|at uni(?:versity)?|my (?:uni|"
    r"university|degree|course|dissertation)|alumn\w+)\b",
    re.I,
)


def working_adult(texts: Iterable[str]) -> bool:
    """Whether what the person wrote says they are working and nothing says they are studying."""
    joined = "\n".join(texts)
    return bool(_WORKING.search(joined)) and not _STUDYING.search(joined)
