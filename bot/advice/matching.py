"""Match credentials to a person's aim, budget and time, and explain each match.

Everything here is pure: it takes plain records (:class:`CredentialRecord`) and returns plain data,
so it is tested without a database or a conversation.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from bot.advice.costs import UNKNOWN_BUDGET, cost_check, least_cost_usd, total_cost
from bot.advice.credit import credit_amount, credit_description, regulated_qualification
from bot.advice.evidence import item_evidence, price_second_hand, price_unconfirmed
from bot.language.aims import AIM_BY_CODE, TECH_AIMS, aim_label, describe_aims
from bot.language.fields import describe_fields
from bot.language.messages import say
from bot.language.parsing import describe_budget, weeks_text
from bot.model import (
    CREDIT_BEARING,
    NO_COST,
    RECOMMENDED_CREDIT_REGION,
    SUBSTANTIAL_HOURS,
    Constraints,
    CredentialRecord,
    Rates,
    level_preference,
    mainly_about,
    relevance,
)


@dataclass
class Match:
    record: CredentialRecord
    score: float
    fit: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    breaks: list[str] = field(default_factory=list)
    break_reasons: list[str] = field(default_factory=list)
    total_cost: float | None = None  # in the credential's own currency
    cost_in_budget_currency: float | None = None
    aim_overlap: tuple[str, ...] = ()
    aim_part: float = 0.0  # the aim part of the score
    quality: float = 0.0  # the rest: quality and recognition signals, less a penalty for unknown workload
    cost_rank: float = NO_COST  # least cost in US dollars at the dated rates (NO_COST when unknown)
    cost_usd: float | None = None  # what it costs this person, in US dollars at the dated rates (None: unknown)
    unknown: list[str] = field(default_factory=list)  # stated constraints it could not be checked against
    unknown_reasons: list[str] = field(default_factory=list)
    relevance: tuple[int, int, int] = (0, 0, 0)  # about the person's field: (tags, focus, words) (bot.model.relevance)
    level_fit: int = 0  # how well its level suits the person's experience (bot.model.level_preference)

    @property
    def fits(self) -> bool:
        """Meets every stated constraint, each one checked: nothing broken, nothing unknown."""
        return not self.breaks and not self.unknown

    def to_item(self) -> dict:
        r = self.record
        return {
            "id": r.id,
            "title": r.title,
            "provider": r.provider,
            "url": r.source_url,
            "price": None
            if r.price_amount is None
            else {"amount": r.price_amount, "currency": r.price_currency, "basis": r.price_basis},
            "free_to_audit": r.free_to_audit,
            "duration_weeks": r.duration_weeks,
            "hours_per_week": r.hours_per_week,
            "credit": None
            if not r.credit_value
            else {"value": r.credit_value, "system": r.credit_system, "awarded": r.credit_status == "awarded"},
            "fit": list(self.fit),
            "caveats": list(self.caveats),
            "breaks": list(self.breaks),
            "break_reasons": list(self.break_reasons),
            "unknown": list(self.unknown),
            "unknown_reasons": list(self.unknown_reasons),
            "last_checked": r.last_checked.isoformat(),
            "evidence": item_evidence(r),
        }


def weeks_allowed(have: float) -> float:
    """The longest a course may take and still be within ``have`` weeks: what :func:`weeks_text` shows as
    the same length ("takes 22 weeks" is within "5 months", shown as 22 weeks), so a reply never says
    that 22 weeks break 22 weeks."""
    if have < 0.95:
        return have + 1e-9
    shown = round(have) if have >= 3 else round(have, 1)
    return max(have, shown + (0.5 if have >= 3 else 0.05) - 1e-6)


def _hours(h: float) -> str:
    return f"{h:g} h" if h == int(h) else f"{h:.1f} h"


def _partial_plan(
    r: CredentialRecord, c: Constraints
) -> tuple[float | None, list[str], list[str], list[str], list[str]]:
    """What can be checked when the length or the weekly hours are not known: (weeks, break codes,
    break reasons, unknown codes, unknown reasons). What cannot be checked is never called fitting."""
    breaks, reasons, unknown, unknown_reasons = [], [], [], []
    dur, hpw, have_h, have_w = r.duration_weeks, r.hours_per_week, c.hours_per_week, c.weeks
    if have_h is not None:
        if hpw is None:
            unknown.append("weekly_hours")
            unknown_reasons.append(say("unknown.weekly_hours", have=_hours(have_h)))
        elif hpw > have_h and r.delivery_mode != "online_self_paced":
            breaks.append("weekly_hours")
            reasons.append(say("breaks.weekly_hours", needs=_hours(hpw), have=_hours(have_h)))
    if have_w is not None:
        if dur is None:
            unknown.append("time")
            unknown_reasons.append(say("unknown.length", have=weeks_text(have_w)))
        elif dur > weeks_allowed(have_w):
            breaks.append("time")
            reasons.append(say("breaks.time", takes=weeks_text(dur), have=weeks_text(have_w)))
    return dur, breaks, reasons, unknown, unknown_reasons


def _study_plan(
    r: CredentialRecord, c: Constraints
) -> tuple[float | None, list[str], list[str], list[str], list[str], list[str]]:
    """Weeks it would take this person; fit reasons, break codes, break reasons, unknown codes and
    unknown reasons for time."""
    fit, breaks, reasons = [], [], []
    if r.duration_weeks is None or r.hours_per_week is None:
        weeks, breaks, reasons, unknown, unknown_reasons = _partial_plan(r, c)
        return weeks, fit, breaks, reasons, unknown, unknown_reasons
    total_hours = r.duration_weeks * r.hours_per_week
    have_h, have_w = c.hours_per_week, c.weeks
    self_paced = r.delivery_mode == "online_self_paced"
    weekly = r.hours_per_week
    weeks_needed = r.duration_weeks
    if have_h is not None and weekly > have_h:
        if self_paced:
            weekly = have_h
            weeks_needed = total_hours / have_h
        else:
            breaks.append("weekly_hours")
            reasons.append(say("breaks.weekly_hours", needs=_hours(r.hours_per_week), have=_hours(have_h)))
    if (
        self_paced
        and have_h is not None
        and have_w is not None
        and weekly < have_h
        and weeks_needed > weeks_allowed(have_w)
    ):  # self-paced study goes faster with more hours a week than the provider plans
        weekly = have_h
        weeks_needed = total_hours / have_h
    if have_w is not None and weeks_needed > weeks_allowed(have_w):
        breaks.append("time")
        if weeks_needed != r.duration_weeks:
            takes, at = weeks_text(weeks_needed), _hours(weekly)
            reasons.append(
                say(
                    "breaks.time_at_your_pace",
                    hours=f"{total_hours:.0f}",
                    takes=takes,
                    weekly=at,
                    have=weeks_text(have_w),
                )
            )
        else:
            reasons.append(say("breaks.time", takes=weeks_text(r.duration_weeks), have=weeks_text(have_w)))
    if not breaks:
        fit.append(_time_fit(r, c, weeks_needed, total_hours, weekly))
    return weeks_needed, fit, breaks, reasons, [], []


def _time_fit(r: CredentialRecord, c: Constraints, weeks_needed: float, total_hours: float, weekly: float) -> str:
    """Why the time fits: at the person's pace when self-paced study takes longer, else as the provider plans it."""
    have_h, have_w = c.hours_per_week, c.weeks
    if weeks_needed != r.duration_weeks:
        hours, takes = f"{total_hours:.0f}", weeks_text(weeks_needed)
        if have_w:
            return say(
                "fit.time_self_paced_have", hours=hours, takes=takes, weekly=_hours(weekly), have=weeks_text(have_w)
            )
        return say("fit.time_self_paced", hours=hours, takes=takes, weekly=_hours(weekly))
    takes, weekly_ = weeks_text(r.duration_weeks), _hours(r.hours_per_week)
    if have_w and have_h:
        return say(
            "fit.time_within_both", takes=takes, weekly=weekly_, have=weeks_text(have_w), have_weekly=_hours(have_h)
        )
    if have_w:
        return say("fit.time_within_weeks", takes=takes, weekly=weekly_, have=weeks_text(have_w))
    if have_h:
        return say("fit.time_within_hours", takes=takes, weekly=weekly_, have_weekly=_hours(have_h))
    return say("fit.time", takes=takes, weekly=weekly_)


def carries_credit(r: CredentialRecord, region: str | None = None) -> bool:
    """Academic credit awarded, or a pathway into a degree (whose size the provider may not state); for a
    person in ``region``, also credit recommended by that region's own system (ACE credit in the US)."""
    if r.credit_status == "recommended" and r.credit_value:
        return region is not None and RECOMMENDED_CREDIT_REGION.get(r.credit_system or "") == region
    return r.credit_status in CREDIT_BEARING and bool(r.credit_value or r.credit_status == "pathway")


#: The credential level that does not suit each experience: an advanced credential (CISSP, PMP, a
#: professional cloud exam) expects years in the field; an introductory one teaches an expert little.

LEVEL_MISMATCH = {"new": "advanced", "experienced": "beginner"}


def level_mismatch(r: CredentialRecord, c: Constraints) -> str | None:
    """Why the credential's level does not suit the person's experience (None when it does or is unknown)."""
    unsuited = LEVEL_MISMATCH.get(c.experience or "")
    if not unsuited or r.level != unsuited:
        return None
    return say("breaks.level_advanced" if unsuited == "advanced" else "breaks.level_introductory")


def caveats_for(r: CredentialRecord, today: dt.date, stale_after_days: int = 365) -> list[str]:
    out = []
    if not r.recognitions:
        out.append(say("caveats.no_recognition"))
    if not r.qa_type or r.qa_type.lower().startswith("none"):
        out.append(say("caveats.no_quality_assurance"))
    if not r.credit_value and r.credit_status != "pathway":  # a pathway's size is the admitting university's
        out.append(say("caveats.no_credit_regulated" if regulated_qualification(r) else "caveats.no_credit"))
    elif r.credit_status == "recommended":
        out.append(say("caveats.credit_recommended"))
    elif r.credit_status == "pathway":
        out.append(say("caveats.credit_pathway"))
    elif r.credit_status == "rpl":
        out.append(say("caveats.credit_rpl"))
    elif r.credit_status == "awarded":
        out.append(say("caveats.credit_awarded"))
    if r.assessment_supervised is False:
        out.append(say("caveats.unsupervised"))
    if r.provider_legitimacy != "verified":
        out.append(say("caveats.provider_not_verified"))
    if r.free_to_audit and r.price_amount:
        out.append(say("caveats.certificate_paid"))
    if r.price_basis == "per_month" and r.price_scope == "platform":
        out.append(say("caveats.platform_subscription", platform=r.platform or r.provider))
    elif r.price_basis == "per_month":
        out.append(say("caveats.subscription"))
    if r.unconfirmed_claims:
        out.append(say("caveats.claims_unconfirmed", claims="; ".join(r.unconfirmed_claims)))
    # with evidence per fact, each fact says how fresh it is (bot.advice.evidence.evidence_line)
    age = (today - r.last_checked).days
    if age > stale_after_days and not r.evidence:
        out.append(say("caveats.stale", checked=r.last_checked.isoformat()))
    return out


def quality_signals(r: CredentialRecord) -> tuple[float, list[str]]:
    """The quality and recognition part of the score, with a reason for each signal that adds to it."""
    score, reasons = 0.0, []
    if r.recognitions:
        score += 1.0
        reasons.append(say("fit.recognition", recognitions="; ".join(by for by, _ in r.recognitions[:2])))
    if r.credit_value and r.credit_status == "awarded" and r.credit_eligibility:
        score += 0.4  # only some learners can receive it
        reasons.append(say("fit.credit_awarded_to_some", amount=credit_amount(r)))
    elif r.credit_value and r.credit_status == "awarded":
        score += 1.0
        reasons.append(say("fit.credit_awarded", amount=credit_amount(r)))
    elif r.credit_value and r.credit_status in CREDIT_BEARING:
        score += 0.4
        reasons.append(say("fit.credit_recommended" if r.credit_status == "recommended" else "fit.credit_pathway"))
    if r.qa_body:
        score += 0.5
        qa_type = r.qa_type or say("fit.quality_assurance_external")
        reasons.append(say("fit.quality_assurance", qa_type=qa_type, body=r.qa_body))
    if r.assessment_supervised:
        score += 0.3
        reasons.append(say("fit.supervised_identity" if r.identity_verified else "fit.supervised"))
    if r.provider_legitimacy != "verified":
        score -= 1.0
    return score, reasons


#: Score lost when duration or weekly hours are unknown.
MISSING_WORKLOAD_PENALTY = 1.0


def static_score(r: CredentialRecord) -> float:
    """The part of the score that does not depend on the person (stored for SQL ranking)."""
    q, _ = quality_signals(r)
    if r.duration_weeks is None or r.hours_per_week is None:
        q -= MISSING_WORKLOAD_PENALTY
    return q


def aim_score(c: Constraints, overlap: tuple[str, ...]) -> float:
    if not overlap:
        return 0.0
    return 5.0 * len(overlap) / max(1, len(c.aims)) if set(c.aims) != set(TECH_AIMS) else 5.0


def _price_doubt(r: CredentialRecord, reason: str) -> str:
    """A cost that fits, with the doubt about its price said: nothing confirms it, or only another site."""
    if reason == say("fit.audit"):
        return reason
    if price_unconfirmed(r):
        return say("fit.price_unconfirmed", reason=reason)
    if price_second_hand(r):
        return say("fit.price_second_hand", reason=reason)
    return reason


def evaluate(r: CredentialRecord, c: Constraints, rates: Rates, today: dt.date, stale_after_days: int = 365) -> Match:
    overlap = tuple(a for a in c.aims if a in r.aims)
    fit: list[str] = []
    if overlap:
        fit.append(say("fit.aim", aims=describe_aims(list(overlap))))
    weeks_needed, time_fit, time_breaks, time_reasons, unknown, unknown_reasons = _study_plan(r, c)
    cost, converted, cost_fit, cost_breaks, cost_reasons, cost_caveats = cost_check(r, c, rates, weeks_needed)
    if UNKNOWN_BUDGET in cost_breaks:  # the price could not be checked: unknown, not broken
        unknown = ["budget", *unknown]
        unknown_reasons = cost_reasons + unknown_reasons
        cost_breaks, cost_reasons = [], []
    if c.budget:  # a budget is never called met on an unconfirmed (or only second-hand) price silently
        cost_fit = [_price_doubt(r, reason) for reason in cost_fit]
    fit += cost_fit + time_fit
    breaks = cost_breaks + time_breaks
    reasons = cost_reasons + time_reasons
    if c.credit_required and not carries_credit(r, c.region):
        breaks.append("credit")
        reasons.append(say("breaks.credit"))
    elif c.credit_required and r.credit_status == "recommended":  # (ACE credit, for someone in the US)
        fit.append(say("fit.credit_recommended_here", amount=credit_amount(r)))
    level_reason = level_mismatch(r, c)
    if level_reason:
        breaks.append("level")
        reasons.append(level_reason)
    _q, qreasons = quality_signals(r)
    fit += qreasons
    aim_part, quality = aim_score(c, overlap), static_score(r)
    caveats = cost_caveats + caveats_for(r, today, stale_after_days)
    if r.duration_weeks is None or r.hours_per_week is None:
        caveats.append(say("caveats.workload_unknown"))
    least = least_cost_usd(r, rates.usd_per_unit)
    cost_usd = None if cost is None else rates.convert(cost, r.price_currency or "USD", "USD")
    m = Match(
        r,
        aim_part + quality,
        fit,
        caveats,
        breaks,
        reasons,
        cost,
        converted,
        overlap,
        aim_part,
        quality,
        NO_COST if least is None else least,
        cost_usd,
    )
    m.unknown, m.unknown_reasons = unknown, unknown_reasons
    if c.field_terms:
        m.relevance, m.level_fit = relevance(r, c), level_preference(r, c.experience)
    return m


def evaluate_many(
    records: list[CredentialRecord],
    c: Constraints,
    rates: Rates,
    today: dt.date,
    stale_after_days: int = 365,
    exclude: set[str] | frozenset[str] = frozenset(),
    cheaper_than_usd: float | None = None,
) -> list[Match]:
    """Evaluate the records that serve an aim and pass the person's filters (cheaper ones only,
    when ``cheaper_than_usd`` is given: costing less than that many US dollars at the dated rates;
    a cost that cannot be converted is never called cheaper)."""
    matches = []
    for r in records:
        if r.id in exclude or r.status == "retired":
            continue
        if c.aims and not set(c.aims) & set(r.aims):
            continue
        if c.excludes(r):
            continue
        m = evaluate(r, c, rates, today, stale_after_days)
        if cheaper_than_usd is not None and (m.cost_usd is None or m.cost_usd >= cheaper_than_usd - 1e-9):
            continue
        matches.append(m)
    return matches


def fitting_order(m: Match) -> tuple:
    """Best first. When the person named a field: tagged with it in the catalogue (as its main field
    first), then the words the person used for it, then a level that suits their experience, then (for
    credentials not tagged) the field's words,
    in the title, then in the topics; otherwise serving more of their aims.
    Then stronger quality and recognition signals, then cheaper (least cost in US dollars at the dated
    rates), then by id so that the order is total. :mod:`bot.catalogue.search` reads the same order from
    the database (from an index when no field is named)."""
    tags, focus, words = m.relevance
    aims_first = 0.0 if tags or words else -m.aim_part  # a named field says more than the broad aims
    # among credentials tagged with the field, quality speaks before the field's words
    words_first = 0 if tags else -words
    return (-tags, -focus, -m.level_fit, words_first, aims_first, -m.quality, -words, m.cost_rank, m.record.id)


#: A title that says the course is an introduction: not what someone experienced asks for, whatever level
#: the catalogue gives it ("Introduction to Machine Learning" for a developer who wants more than the basics)
INTRODUCTORY_TITLE = re.compile(r"\b(introduction|introductory|intro to|basics|for beginners|101)\b", re.I)


def off_level(m: Match, c: Constraints) -> bool:
    """Pitched at a level that does not suit the person: intermediate or advanced for someone new to the
    field, beginner (or introductory by its title) for someone experienced (:data:`bot.model.LEVEL_PREFERENCE`)."""
    if c.experience == "experienced" and INTRODUCTORY_TITLE.search(m.record.title):
        return True
    return c.experience in ("new", "experienced") and bool(m.record.level) and m.level_fit == 0


def level_said(m: Match, c: Constraints) -> str:
    """The level to name when saying an option is off the person's: "introductory" when its title says so."""
    if c.experience == "experienced" and INTRODUCTORY_TITLE.search(m.record.title):
        return "introductory"
    return m.record.level or ""


def counted_fitting(top: list[Match], c: Constraints) -> int:
    """How many options that fit count when deciding how many near misses to look for: those off the
    person's level are listed after what may fit and suits it, so they do not count, unless all are off it;
    when the person named a field, those mainly about another field do not count either (options mainly
    about theirs that may fit are looked for, and come first)."""
    suited = sum(1 for m in top if not off_level(m, c))
    counted = suited if suited else len(top)
    if c.fields:
        counted = min(counted, sum(1 for m in top if mainly_about(m.record, c.fields)))
    return counted


def order(matches: list[Match], c: Constraints) -> tuple[list[Match], list[Match]]:
    """(fitting, near misses), both best first."""
    fitting = sorted((m for m in matches if m.fits), key=fitting_order)
    near = sorted(
        # someone who asked for credit is not shown options without it as "nearest"
        (m for m in matches if not m.fits and "credit" not in m.breaks),
        key=lambda m: (
            len(m.breaks),  # a known break is further than a fact we could not check
            # the catalogue's field tags, what could be checked, the person's words, a level that suits, the
            # field's words (as fitting_order, with what could be checked after the tags)
            -m.relevance[0],
            len(m.unknown),
            -m.relevance[1],
            _elsewhere(m.record, c),  # wholly about the person's field before a level that suits them better
            -level_preference(m.record, c.experience),  # (as the database orders them, field named or not)
            -m.relevance[2],
            _overshoot(m, c),
            -m.score,
            m.record.title,
            m.record.id,
        ),
    )
    return fitting, near


def _elsewhere(r: CredentialRecord, c: Constraints) -> int:
    """How many of the credential's fields are not the person's: among near misses equally close to their
    field, the one wholly about it first (Solutions Architect before Developer for a sysadmin after cloud)."""
    return sum(1 for code in r.fields if code not in c.fields) if c.fields else 0


def rank(records: list[CredentialRecord], c: Constraints, *args, **kwargs) -> tuple[list[Match], list[Match]]:
    """Return (fitting, near misses): both best first; only credentials serving an aim are kept.

    Takes the arguments of :func:`evaluate_many` (``cheaper_than_usd`` keeps only credentials whose cost,
    in US dollars at the dated rates, is below it). This is the reference for :func:`bot.catalogue.search.search`,
    which gives the same answer from SQL.
    """
    return order(evaluate_many(records, c, *args, **kwargs), c)


def _overshoot(m: Match, c: Constraints) -> float:
    """How badly a near miss breaks the constraints, as a rough fraction."""
    total = 0.0
    limit = c.budget.max_amount if c.budget else None
    if "budget" in m.breaks and m.cost_in_budget_currency is not None:
        total += (m.cost_in_budget_currency - (limit or 0)) / max(limit or 0, 50.0)
    r = m.record
    if "time" in m.breaks and c.weeks and r.duration_weeks and r.hours_per_week:
        hours = c.hours_per_week or r.hours_per_week
        total += (r.duration_weeks * r.hours_per_week / min(hours, r.hours_per_week)) / c.weeks - 1
    if "weekly_hours" in m.breaks and c.hours_per_week and r.hours_per_week:
        total += r.hours_per_week / c.hours_per_week - 1
    return total


def workload_gap(c: Constraints, near: list["Match"]) -> str | None:
    """When what was asked for cannot fit the hours available, say so with the numbers."""
    if not (c.weeks and c.hours_per_week) or not near:
        return None
    if any(set(m.breaks) - {"time", "weekly_hours"} for m in near):
        return None
    loads = [
        m.record.duration_weeks * m.record.hours_per_week
        for m in near
        if m.record.duration_weeks and m.record.hours_per_week
    ]
    if not loads:
        return None
    have = c.weeks * c.hours_per_week
    need = min(loads)
    if need <= have:  # the hours are there: each option's own dates or weekly load is what breaks, and says so
        return None
    kind = (c.credential_type or "credential").replace("_", " ")
    some_unstated = len(loads) < len(near)  # some state no workload: nothing can be said of them
    opener = say(
        "workload_gap.some_unstated" if some_unstated else "workload_gap.does_not_fit", kind=kind, needs=f"{need:.0f}"
    )
    return say(
        "workload_gap.text",
        opener=opener,
        weeks=weeks_text(c.weeks),
        weekly=_hours(c.hours_per_week),
        have=f"{have:.0f}",
        more_weeks=f"{math.ceil(need / c.hours_per_week)}",
        more_weekly=f"{math.ceil(need / c.weeks)}",
    )


def describe_constraints(c: Constraints) -> str:
    parts = []
    if c.fields:
        parts.append(describe_fields(c.fields))
    elif c.aims:
        parts.append(describe_aims(list(c.aims)))
    if c.budget:
        parts.append(describe_budget(c.budget))
    if c.weeks:
        parts.append(weeks_text(c.weeks))
    if c.hours_per_week:
        parts.append(say("summary.weekly", weekly=_hours(c.hours_per_week)))
    if c.experience:
        experience = {
            "new": say("summary.new_to_field"),
            "some": say("summary.some_experience"),
            "experienced": say("summary.experienced"),
        }
        parts.append(experience[c.experience])
    if c.credit_required:
        parts.append(say("summary.credit_only"))
    if c.credential_type:
        parts.append(say("summary.type_only", kind=c.credential_type.replace("_", " ")))
    parts += describe_filters(c)
    return ", ".join(parts)


PROVIDER_KIND_LABEL = {
    "university": "universities",
    "company": "companies",
    "platform": "course platforms",
    "professional_body": "professional bodies",
    "nonprofit": "non-profits",
    "public_body": "public bodies",
}


def describe_filters(c: Constraints) -> list[str]:
    parts = []
    if c.online_only:
        parts.append(say("summary.online_only"))
    if c.level:
        parts.append(say("summary.level", level=c.level))
    if c.provider_kinds:
        parts.append(
            say("summary.providers", providers=" or ".join(PROVIDER_KIND_LABEL.get(k, k) for k in c.provider_kinds))
        )
    if c.substantial:
        parts.append(say("summary.substantial", hours=f"{SUBSTANTIAL_HOURS}"))
    if c.hands_on:
        parts.append(say("summary.hands_on"))
    return parts


__all__ = [
    "AIM_BY_CODE",
    "Constraints",
    "CredentialRecord",
    "Match",
    "Rates",
    "aim_label",
    "caveats_for",
    "credit_description",
    "describe_constraints",
    "evaluate",
    "evaluate_many",
    "order",
    "rank",
    "total_cost",
]
