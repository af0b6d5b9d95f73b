"""Helpers shared by the actions: the advisor, and constraints read from the tracker."""

from __future__ import annotations

import asyncio
import functools
import re
from typing import Any, Callable, TypeVar

from rasa_sdk import Tracker

from bot.advice import service
from bot.advice.service import (
    CURRENCY_NAMES,
    Advisor,
    aim_change,
    any_type_will_do,
    credit_wanted,
    currency_named,
    experience_in,
    field_terms,
    focus_terms,
    parse_budget,
    parse_filters,
    parse_time,
    refused_fields,
    region_named,
    say,
    wants_broader,
)
from bot.model import Budget, Constraints

T = TypeVar("T")


def get_advisor() -> Advisor:
    """The advisor the action server installed (``python -m bot.action_server``)."""
    return service.advisor()


def set_advisor(advisor: Advisor | None) -> None:
    """Use ``advisor`` from now on (tests point the actions at their own database)."""
    service.install(advisor)


async def off_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking database work in a thread so other conversations keep moving."""
    return await asyncio.to_thread(functools.partial(fn, *args, **kwargs))


def constraints_from(tracker: Tracker) -> Constraints:
    aims = tracker.get_slot("career_aim") or []
    if isinstance(aims, str):
        aims = [aims]
    filters = tracker.get_slot("filters") or {}
    said = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    fields = tracker.get_slot("fields") or ()
    return Constraints(
        aims=tuple(aims),
        budget=Budget.from_dict(tracker.get_slot("budget")),
        weeks=tracker.get_slot("weeks"),
        hours_per_week=tracker.get_slot("hours_per_week"),
        credit_required=bool(tracker.get_slot("credit_required")),
        credential_type=tracker.get_slot("credential_type"),
        online_only=bool(filters.get("online_only")),
        level=filters.get("level"),
        provider_kinds=tuple(filters.get("provider_kinds") or ()),
        substantial=bool(filters.get("substantial")),
        hands_on=bool(filters.get("hands_on")),
        fields=tuple(tracker.get_slot("fields") or ()),
        experience=tracker.get_slot("experience"),
        region=tracker.get_slot("region"),
        field_terms=field_terms(tracker.get_slot("fields") or ()),
        focus_terms=focus_terms(said, fields),
        refused=refused_fields(said, fields),
    )


def user_text(tracker: Tracker) -> str:
    """What the person typed last. A button press ("/inform") stands for the message it clarified,
    so the text of the last typed message is used instead."""
    text = tracker.latest_message.get("text") or ""
    if not text.startswith("/"):
        return text
    for event in reversed(tracker.events):
        if event.get("event") == "user" and not (event.get("text") or "").startswith("/"):
            return event.get("text") or ""
    return ""


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


#: "is it actually free or just free to audit?", "is the Saylor one free?": a question about an option's price
ASKS_IF_FREE = re.compile(
    r"\b(?:is|are|was)\s+(?:it|that|this|they|these|those|the (?:[\w+.-]+ ){0,3}?(?:one|ones|course|exam))\s+"
    r"(?:\w+\s+)?free\b",
    re.I,
)


def slots_in(text: str, tracker: Tracker) -> dict[str, Any]:
    """Aim, field, budget (with its currency), time and experience that ``text`` states (an aim or field
    held is changed only by a message that says what the person is after)."""
    out: dict[str, Any] = {}
    aims, fields = aim_change(text, tracker.get_slot("career_aim") or [], tracker.get_slot("fields") or [])
    if aims and set(aims) != set(tracker.get_slot("career_aim") or []):  # (the same aim again changes nothing)
        out["career_aim"] = aims
    if fields:
        out["fields"] = fields
    elif wants_broader(text) and tracker.get_slot("fields"):
        out["fields"] = []  # "broaden my search": beyond the field named, within the broad aims
    budget = parse_budget(text)
    held = tracker.get_slot("budget") or {}
    if budget and budget.kind == "free" and (ASKS_IF_FREE.search(text) or held.get("kind") == "free"):
        budget = None  # "is it actually free?" asks about an option; "free" again changes nothing
    if budget and (budget.kind != "limit" or budget.currency):
        out["budget"] = budget.as_dict()  # (one in a currency with no rate is refused by the caller)
    currency = currency_named(text) if held.get("assumed_currency") and held.get("amount") is not None else None
    if "budget" not in out and currency and len(text.split()) <= 5:
        # "rupees", "no, US dollars": the answer to "say so if you meant another currency" settles it
        out["budget"] = Budget("limit", float(held["amount"]), currency, held.get("text") or "").as_dict()
    time = parse_time(text)
    if time.weeks:
        out["weeks"] = float(time.weeks)
    if time.hours_per_week:
        out["hours_per_week"] = float(time.hours_per_week)
    experience = experience_in(text, out.get("fields") or tracker.get_slot("fields") or [])
    if experience:
        out["experience"] = experience
    region = region_named(text)
    if region and region != tracker.get_slot("region"):
        out["region"] = region
    current = tracker.get_slot("filters") or {}
    filters = {**current, **parse_filters(text)}
    if filters != current:  # "in person is fine too actually", "online only please"
        out["filters"] = filters
    if tracker.get_slot("credential_type") and any_type_will_do(text):
        out["credential_type"] = None  # "any type is fine, not just micromasters"
    credit = credit_wanted(text)
    if credit is not None and credit != bool(tracker.get_slot("credit_required")):
        out["credit_required"] = credit  # "anything with ECTS?", "remove the credit filter"
    return out


async def has_rate(currency: str | None) -> bool:
    """Whether the catalogue's exchange-rate table holds ``currency`` (a budget without one is no budget)."""
    return currency is None or currency in (await off_loop(get_advisor().rates)).usd_per_unit


def no_rate_message(currency: str) -> str:
    return say("form.no_rate", currency=CURRENCY_NAMES.get(currency, currency), code=currency)
