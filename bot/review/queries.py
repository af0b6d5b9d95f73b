"""The conversation list's filters: read from a URL's query (so a filtered list can be shared), checked,
and turned into one query on the summaries table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from sqlalchemy import and_, exists, func, or_, select

from bot.review.tables import SUMMARIES, TAGS

PAGE_SIZE = 25
CHANNELS = ("website", "slack", "rest")
STATUSES = ("new", "reviewed", "needs_work")
FLAGS = {
    "fallback": "a fallback happened",
    "handoff": "asked for a person",
    "nothing": "nothing fitted",
    "out_of_scope": "out of scope",
}


class FilterError(ValueError):
    """A filter value that cannot be used; the message says which and why."""


@dataclass
class Filters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channel: str = ""
    intent: str = ""
    action: str = ""
    aim: str = ""
    budget_min: float | None = None
    budget_max: float | None = None
    weeks_max: float | None = None
    confidence_below: float | None = None
    flags: list[str] = field(default_factory=list)
    status: str = ""
    tag: str = ""
    q: str = ""
    page: int = 1

    def active(self) -> bool:
        return any(getattr(self, f.name) not in (None, "", [], 1) for f in fields(self) if f.name != "page")


def _date(raw: str, name: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise FilterError(f"{name} must be a date like 2026-09-30 (it is {raw!r}).") from None


def _number(raw: str, name: str, low: float = 0.0, high: float | None = None) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise FilterError(f"{name} must be a number (it is {raw!r}).") from None
    if value < low or (high is not None and value > high):
        raise FilterError(
            f"{name} must be between {low:g} and {high:g} (it is {raw})."
            if high
            else f"{name} must be at least {low:g}."
        )
    return value


def _choice(raw: str, name: str, allowed: tuple[str, ...]) -> str:
    if raw and raw not in allowed:
        raise FilterError(f"{name} must be one of {', '.join(allowed)} (it is {raw!r}).")
    return raw


def parse(query: Mapping[str, str], flags: list[str] | None = None) -> Filters:
    """The filters of a list URL; :class:`FilterError` names the first value that cannot be used."""
    get = lambda name: (query.get(name) or "").strip()  # noqa: E731
    f = Filters(
        date_from=_date(get("from"), "From"),
        date_to=_date(get("to"), "To"),
        channel=_choice(get("channel"), "Channel", CHANNELS),
        intent=get("intent")[:64],
        action=get("action")[:64],
        aim=get("aim")[:64],
        budget_min=_number(get("budget_min"), "Lowest budget"),
        budget_max=_number(get("budget_max"), "Highest budget"),
        weeks_max=_number(get("weeks_max"), "Weeks at most"),
        confidence_below=_number(get("confidence_below"), "Confidence below", 0.0, 1.0),
        flags=[x for x in (flags or []) if x in FLAGS],
        status=_choice(get("status"), "Review status", STATUSES),
        tag=get("tag")[:64],
        q=get("q")[:200],
        page=int(_number(get("page"), "Page", 1) or 1),
    )
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise FilterError("From must not be after To.")
    return f


def _epoch(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc).timestamp()


def conditions(f: Filters) -> list:
    s = SUMMARIES.c
    out = []
    if f.date_from:
        out.append(s.last_ts >= _epoch(f.date_from))
    if f.date_to:
        out.append(s.first_ts < _epoch(f.date_to + dt.timedelta(days=1)))
    if f.channel:
        out.append(s.channel == f.channel)
    if f.intent:
        out.append(s.intents.contains(f"|{f.intent}|", autoescape=True))
    if f.action:
        out.append(s.actions.contains(f"|{f.action}|", autoescape=True))
    if f.aim:
        out.append(s.career_aim == f.aim)
    if f.budget_min is not None:
        out.append(s.budget_amount >= f.budget_min)
    if f.budget_max is not None:
        out.append(s.budget_amount <= f.budget_max)
    if f.weeks_max is not None:
        out.append(s.weeks <= f.weeks_max)
    if f.confidence_below is not None:
        out.append(s.min_confidence < f.confidence_below)
    flag_columns = {
        "fallback": s.fallback,
        "handoff": s.handoff,
        "out_of_scope": s.out_of_scope,
        "nothing": or_(s.nothing_fitted, s.waiting_for_list),
    }
    out.extend(flag_columns[name] == True for name in f.flags)  # noqa: E712
    if f.status:
        out.append(s.status == f.status)
    if f.tag:
        out.append(exists().where(and_(TAGS.c.sender_id == s.sender_id, TAGS.c.tag == f.tag)))
    for word in f.q.lower().split()[:5]:
        out.append(s.words.contains(word, autoescape=True))
    return out


def page_query(f: Filters):
    where = and_(*conditions(f))
    rows = (
        select(SUMMARIES)
        .where(where)
        .order_by(SUMMARIES.c.last_ts.desc(), SUMMARIES.c.sender_id)
        .limit(PAGE_SIZE)
        .offset((f.page - 1) * PAGE_SIZE)
    )
    count = select(func.count()).select_from(SUMMARIES).where(where)
    return rows, count
