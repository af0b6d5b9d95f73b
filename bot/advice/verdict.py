"""After a side-by-side comparison, the adviser's verdict: which one suits this person, on the data, and why.

What the person asked for decides what counts ("which is better for jobs", "for a beginner", "cheaper",
"with credit"); what they told the assistant (budget, time, experience) counts always. Nothing is claimed
that the catalogue does not show: where the data cannot tell the options apart, the verdict says so.
"""

from __future__ import annotations

import re

from bot.advice.credit import regulated_qualification
from bot.advice.evidence import confirmed_recognitions
from bot.advice.matching import Match, carries_credit
from bot.language.messages import say
from bot.model import Constraints

PURPOSES = {
    "jobs": re.compile(r"\b(jobs?|employ\w*|hir(?:e|ed|ing)|recruit\w*|careers?|cv|industry|market|get work)\b", re.I),
    "beginner": re.compile(
        r"\b(beginners?|start(?:ing|er)?|new to|no experience|never|first one|easier|easiest)\b", re.I
    ),
    "cost": re.compile(r"\b(cheap\w*|costs?|price|afford\w*|money|value)\b", re.I),
    "credit": re.compile(r"\b(credits?|degree|universit\w*|uni|ects|cats)\b", re.I),
}
LEVELS = {"beginner": 0, "intermediate": 1, "advanced": 2}


def purposes(text: str) -> list[str]:
    return [name for name, pattern in PURPOSES.items() if pattern.search(text)]


def _fit_line(matches: list[Match], c: Constraints) -> tuple[str | None, list[Match]]:
    """What the person told the assistant: which options fit it (those win), in a sentence."""
    if not (c.budget or c.weeks or c.hours_per_week or c.experience):
        return None, []
    fitting = [m for m in matches if not m.breaks]
    if len(fitting) == len(matches):
        if all(m.fits for m in matches):
            return say("verdict.all_fit"), []
        return say("verdict.none_break"), []
    if not fitting:
        return say("verdict.none_fit"), []
    others = "; ".join(f"{m.record.title}: {m.break_reasons[0]}" for m in matches if m.breaks and m.break_reasons)
    return say("verdict.only_fits", title=fitting[0].record.title, others=others), fitting


def _for_jobs(matches: list[Match]) -> tuple[str, Match | None]:
    recognised = [m for m in matches if confirmed_recognitions(m.record)]
    supervised = [m for m in matches if m.record.assessment_supervised]
    if len(recognised) == 1:
        m = recognised[0]
        by = ", ".join(name for name, _ in confirmed_recognitions(m.record))
        return say("verdict.jobs_recognised", title=m.record.title, by=by), m
    line = say("verdict.jobs_no_recognition") if not recognised else say("verdict.jobs_both_recognised")
    if len(supervised) == 1:
        return f"{line} {say('verdict.jobs_supervised', title=supervised[0].record.title)}", supervised[0]
    return line, None


def _for_beginner(matches: list[Match]) -> tuple[str, Match | None]:
    known = [m for m in matches if m.record.level in LEVELS]
    if len(known) < len(matches) or len({LEVELS[m.record.level] for m in known}) == 1:
        return say("verdict.beginner_same"), None
    easiest = min(known, key=lambda m: LEVELS[m.record.level])
    return say("verdict.beginner", title=easiest.record.title, level=easiest.record.level), easiest


def _for_cost(matches: list[Match]) -> tuple[str, Match | None]:
    priced = [m for m in matches if m.cost_usd is not None]
    if len(priced) < len(matches):
        return say("verdict.cost_unknown"), None
    cheapest = min(priced, key=lambda m: m.cost_usd)
    if all(abs(m.cost_usd - cheapest.cost_usd) < 1 for m in priced):
        return say("verdict.cost_same"), None
    return say("verdict.cost", title=cheapest.record.title), cheapest


def _for_credit(matches: list[Match], region: str | None) -> tuple[str, Match | None]:
    credit = [m for m in matches if carries_credit(m.record, region)]
    if len(credit) == 1:
        return say("verdict.credit", title=credit[0].record.title), credit[0]
    if not credit and any(regulated_qualification(m.record) for m in matches):
        return say("verdict.credit_regulated"), None
    return say("verdict.credit_both" if credit else "verdict.credit_none"), None


def comparison_verdict(matches: list[Match], text: str, c: Constraints) -> str:
    """The verdict lines after a comparison of ``matches`` (each evaluated against the person's constraints)."""
    lines, winners = [], []
    line, fitting = _fit_line(matches, c)
    if line:
        lines.append(line)
    winners += fitting[:1]
    wanted = purposes(text) or (["beginner"] if c.experience == "new" else [])
    for purpose in wanted:
        if purpose == "jobs":
            said, best = _for_jobs(matches)
        elif purpose == "beginner":
            said, best = _for_beginner(matches)
        elif purpose == "cost":
            said, best = _for_cost(matches)
        else:
            said, best = _for_credit(matches, c.region)
        lines.append(said)
        winners += [best] if best else []
    lines.append(_lean(winners, matches))
    return "\n".join(lines)


def _lean(winners: list[Match], matches: list[Match]) -> str:
    ids = {m.record.id for m in winners}
    if len(ids) == 1:
        best = winners[0]
        if not best.breaks:
            return say("verdict.lean", title=best.record.title)
        return say("verdict.lean_but", title=best.record.title, breaks=best.break_reasons[0])
    return say("verdict.no_clear_winner")
