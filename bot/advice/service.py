"""The advising service: the one thing the actions call.

:class:`Advisor` recommends and explains credentials from a catalogue (anything with the methods of
:class:`bot.model.CatalogueReader`; the action server gives it the SQL catalogue). Its methods block
on the database: call them off the event loop. The names the actions use to read what people say
and to word the replies are exported here too, so that the actions depend on this module and
:mod:`bot.model` only (README, "Architecture").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable

from bot.advice.explain import (
    LEFT_OUT_SPARE,
    detail_text,
    leave_out,
    refused_apart,
    rivals_apart,
)
from bot.advice.matching import (
    Match,
    counted_fitting,
    describe_filters,
    evaluate,
)
from bot.advice.questions import (
    ABBREVIATIONS,
    ADDED_UP,
    ANY_OF_THEM,
    NAME_STOPWORDS,
    PLACE_CAPITALS,
    POINTING,
    PRICE_WORDS,
    SUMMARY,
    TOGETHER,
    TRIAL,
    TWO_NAMED,
    asks_level,
    assessment_text,
    by_level,
    comparison_text,
    earlier_list,
    eligibility_text,
    named_among,
    next_text,
    order_text,
    pace_text,
    pointed_elsewhere,
    pointed_words,
    question_kind,
    references,
    summary_text,
    title_words,
    together_text,
    unmatched_name,
    wanted_count,
)
from bot.advice.recommendation import Recommendation, near_wanted
from bot.advice.verdict import comparison_verdict
from bot.language.aims import describe_aims, detect_aims
from bot.language.countries import REGIONS, region_currency, region_named
from bot.language.currencies import CURRENCY_NAMES, currency_named
from bot.language.fields import (
    aim_change,
    aims_of_fields,
    describe_fields,
    detect_fields,
    field_terms,
    focus_terms,
    refused_fields,
    related_fields,
    states_goal,
)
from bot.language.filters import (
    any_type_will_do,
    credential_type_named,
    credit_wanted,
    experience_in,
    parse_filters,
    parse_ordinal,
    wants_broader,
)
from bot.language.messages import say
from bot.language.other_languages import other_language_note
from bot.language.parsing import describe_budget, format_money, parse_budget, parse_time, weeks_text
from bot.language.people import working_adult
from bot.model import (
    ONLINE_MODES,
    Budget,
    CatalogueReader,
    Constraints,
    CredentialRecord,
    Rates,
    mainly_about,
    offered_to,
)
from bot.settings import DEFAULT_REFERRAL, Settings

__all__ = [
    "asks_level",
    "by_level",
    "Advisor",
    "Recommendation",
    "advisor",
    "install",
    "constraints_snapshot",
    "describe_changes",
    "near_wanted",
    "earlier_list",
    # reading what people say, and wording replies (for the actions; the words are in data/messages.yml)
    "detect_aims",
    "any_type_will_do",
    "credential_type_named",
    "credit_wanted",
    "detect_fields",
    "aim_change",
    "aims_of_fields",
    "describe_fields",
    "field_terms",
    "focus_terms",
    "refused_fields",
    "states_goal",
    "wants_broader",
    "experience_in",
    "other_language_note",
    "currency_named",
    "region_named",
    "region_currency",
    "CURRENCY_NAMES",
    "parse_budget",
    "parse_filters",
    "parse_ordinal",
    "parse_time",
    "format_money",
    "detail_text",
    "question_kind",
    "PRICE_WORDS",
    "TRIAL",
    "references",
    "named_among",
    "wanted_count",
    "TOGETHER",
    "ANY_OF_THEM",
    "title_words",
    "assessment_text",
    "comparison_text",
    "comparison_verdict",
    "SUMMARY",
    "summary_text",
    "eligibility_text",
    "pointed_elsewhere",
    "pointed_words",
    "unmatched_name",
    "order_text",
    "next_text",
    "pace_text",
    "together_text",
    "working_adult",
    "ADDED_UP",
    "TWO_NAMED",
    "say",
]


#: Short words of every sentence that would otherwise name a title holding them ("at my pace": "Writing in
#: English at University").
SHORT_WORDS = frozenset("at or in on of to by as is be do go so up no an am if us".split())


def _in_capitals(word: str) -> bool:
    """A word written in capitals names something ("the WHO one"), unless it is a place ("the UK")."""
    return len(word) >= 2 and word.isupper() and word.lower() not in PLACE_CAPITALS


#: "the Wharton one", "the Deakin course", "the Otago programme": words pointing at one option
#: Where a message joins two names: "AWS Solutions Architect or CKA", "CISSP and CISM", "CAPM vs PRINCE2"
_JOINED_NAMES = re.compile(r"\s+(?:and|or|&|vs\.?|versus|then)\s+|,\s*|/", re.I)
#: "compare X with Y", "compare X to Y": joined for a comparison only ("Python with SQL" is one wish)
_COMPARED_NAMES = re.compile(r"\s+(?:and|or|&|vs\.?|versus|then|with|to|against)\s+|,\s*|/", re.I)
_POINTED = re.compile(
    POINTING
    # "never heard of Deakin", "is Deakin a real university?": a provider asked about by its name
    + r"|\bheard of ((?:[\w+.-]+ ){0,2}?[\w+.-]+)\b|\bis ([A-Z][\w+.-]+) (?:a |an )?(?:real|proper|legit\w*|genuine|"
    r"reputable|accredited|recogni[sz]ed)\b",
    re.I,
)


class Advisor:
    """Recommends credentials from ``catalogue`` under ``settings``."""

    #: seconds an exchange-rate table read stays in use (it changes only when the catalogue is loaded)
    RATES_TTL = 60.0

    def __init__(self, catalogue: CatalogueReader, settings: Settings, today: dt.date | None = None):
        self.catalogue = catalogue
        self.settings = settings
        self._today = today
        self._rates: tuple[float, Rates] | None = None
        # the same question within a minute (the same aim, budget and time) is answered from memory
        self._answers = TimedCache(settings.catalogue_cache_seconds, CACHED_ANSWERS)

    def rates(self) -> Rates:
        """The dated exchange rates, read again at most once a minute."""
        now = time.monotonic()
        if self._rates is None or now - self._rates[0] > self.RATES_TTL:
            self._rates = (now, self.catalogue.exchange_rates())
        return self._rates[1]

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def recommend(
        self, c: Constraints, exclude: list[str] | tuple[str, ...] = (), cheaper_than_usd: float | None = None
    ) -> "Recommendation":
        """The best options that fit, and the nearest misses when few fit (``cheaper_than_usd``: only
        options costing less, in US dollars at the dated rates)."""
        n = self.settings.max_results
        key = ("search", c, tuple(exclude), cheaper_than_usd, self.today)
        fitting, near = self._answers.get(
            key,
            lambda: self.catalogue.search(
                c,
                self.rates(),
                self.today,
                self.settings.stale_after_days,
                exclude,
                cheaper_than_usd,
                n,
                lambda found: (w := near_wanted(found, n)) + (LEFT_OUT_SPARE if w and c.fields else 0),
            ),
        )
        rivals = rivals_apart(fitting, near, c)
        refused = refused_apart(fitting, near, c)
        if rivals or refused:
            apart_ = {id(m) for m in (*rivals, *refused)}
            fitting, near = [m for m in fitting if id(m) not in apart_], [m for m in near if id(m) not in apart_]
        out = leave_out(fitting, near, c)
        apart = {id(m) for m in out}
        wanted = min(near_wanted(counted_fitting(fitting, c), n), max(0, n - len(fitting)))
        kept = [m for m in near if id(m) not in apart][:wanted]
        # what the field has only elsewhere (England's NPQs for a teacher in Glasgow), or only on site for
        # someone who asked for online: said, not silently dropped
        own = self.in_fields(list(c.fields)) if c.fields and (c.region or c.online_only) else []
        elsewhere = [r for r in own if c.region and not offered_to(r.regions, c.region)]
        on_site = [r for r in own if c.online_only and r.delivery_mode not in ONLINE_MODES and r not in elsewhere]
        return Recommendation(
            list(fitting),
            kept,
            c,
            left_out=out[:LEFT_OUT_SPARE],
            elsewhere=elsewhere[:3],
            on_site=on_site[:3] if not (fitting or kept) else [],
            rivals=rivals[:3],
            refused=refused[:3],
        )

    def related_fitting(
        self, c: Constraints, exclude: list[str], may_fit: bool = False
    ) -> tuple[str, "Recommendation"] | None:
        """When nothing more in the person's field fits, the first of the nearest related fields with
        options that fit everything else they said (``may_fit``: or that may fit it, their price or time
        not checked): (its code, those options only)."""
        for code in related_fields(c.fields)[:2]:
            other = in_field(c, code)
            rec = self.recommend(other, exclude=exclude)
            unchecked = [m for m in rec.near if not m.breaks]
            if rec.fitting or (may_fit and unchecked):  # with those that may fit (not those that break something)
                return code, Recommendation(rec.fitting, unchecked, other)
        return None

    def cheaper_related(self, c: Constraints, cheaper_than_usd: float) -> tuple[str, "Recommendation"] | None:
        """ "Any cheaper ones?" when nothing in the person's field costs less: the first of the nearest
        related fields with options that do (its code, those options), or None."""
        for code in related_fields(c.fields)[:2]:
            rec = self.recommend(in_field(c, code), cheaper_than_usd=cheaper_than_usd)
            if rec.shown:
                return code, rec
        return None

    def recommend_in_field(self, c: Constraints) -> tuple["Recommendation", str | None]:
        """:meth:`recommend`; but when nothing in the person's field fits or may fit (each option breaks
        something they said), the options of the nearest related field that fit everything come first,
        then the field's nearest misses: (that recommendation, the related field's code or None). When the
        field has nothing at all for them (none online, say), no other field's list stands in for it: the
        reply says so and offers the related fields by name."""
        rec = self.recommend(c)
        if rec.fitting or not rec.near or not c.fields or any(not m.breaks for m in rec.near):
            return rec, None
        related = self.related_fitting(c, [])
        if related is None:
            return rec, None
        code, other = related
        n = self.settings.max_results
        fitting = other.fitting[: max(1, n - 2)]
        may_fit = other.near[: max(0, n - 2 - len(fitting))]
        own = [m for m in rec.near if mainly_about(m.record, c.fields)]
        return Recommendation(fitting, may_fit + own[:2], other.constraints, related_to=c), code

    def cheapest_of(self, ids: list[str], c: Constraints) -> float | None:
        """The lowest cost among these credentials for this person, in US dollars at the dated rates
        (None when none of them has a cost that can be converted)."""
        rates = self.rates()
        matches = [evaluate(r, c, rates, self.today) for r in self.catalogue.by_ids(ids)]
        return cheapest_usd(matches)

    def plan(self, record: CredentialRecord, c: Constraints) -> Match:
        """How ``record`` fits ``c``: time at the person's pace, total cost, what it breaks."""
        return evaluate(record, c, self.rates(), self.today, self.settings.stale_after_days)

    def referral(self, region: str | None) -> str:
        """Who else can help someone who is not a student here (``REFERRAL_TEXT``); the default text's
        examples are British, so for someone who said they are elsewhere it names where they are."""
        place = REGIONS.get(region or "")
        if self.settings.referral != DEFAULT_REFERRAL or place is None or place.code in ("uk", "scotland"):
            return self.settings.referral
        return say("handoff.referral_in", place=place.name)

    def price_in(self, r: CredentialRecord, currency: str | None) -> str | None:
        """Its price in ``currency`` at the catalogue's dated rates ("about £235 at the rates of 2026-11-01"),
        when that is another currency than the provider's and a rate is known."""
        if not currency or r.price_amount is None or not r.price_amount or currency == r.price_currency:
            return None
        rates = self.rates()
        converted = rates.convert(r.price_amount, r.price_currency or "", currency)
        if converted is None:
            return None
        amount = format_money(converted, currency)
        if r.price_basis == "per_month":
            amount = say("money.per_month", price=amount)
        as_of = rates.as_of.isoformat() if rates.as_of else say("price.rates_undated")
        return say("price.converted", amount=amount, as_of=as_of)

    def named_in(self, text: str, lenient: bool = False) -> list[CredentialRecord]:
        """The catalogue's credentials that ``text`` names ("is CAPM recognised in Australia?"), best first.
        Names are written as names, with a capital or a digit ("CAPM", "Harvard", "PL-300", "CS50"); when
        ``lenient``, words in lower case count too ("the power bi one"; "at" and "or" name nothing)."""
        words = [
            w if _in_capitals(w) else w.lower()  # capitals are kept: "WHO" is not "Who is your customer?"
            for w in re.findall(r"[A-Za-z0-9+][A-Za-z0-9+.-]*[A-Za-z0-9+]", text)
            if (lenient or re.search(r"[A-Z0-9]", w))
            and (_in_capitals(w) or w.lower() not in NAME_STOPWORDS | SHORT_WORDS)
        ]
        # "the Stanford ML one": the words an abbreviation stands for, as titles spell them out
        words += [full for w in words for full in ABBREVIATIONS.get(w.upper(), ())]
        # "the Wharton one", "the Deakin course": the words that point at one option may name its provider
        referred = tuple(
            w.lower()
            for groups in _POINTED.findall(text)
            for phrase in groups
            for w in re.findall(r"[A-Za-z0-9+]{3,}", phrase)
        )
        # "the Meta front-end one": a hyphenated word pointing at it counts in lower case too
        pointing = {w.lower() for g in _POINTED.findall(text) for p in g for w in re.findall(r"\w+-\w+", p)}
        words += sorted(pointing - {x.lower() for x in words})
        # a name written with capitals inside ("freeCodeCamp", "HubSpot") is a name, of a provider as well
        referred += tuple(w.lower() for w in re.findall(r"\b\w*[a-z][A-Z]\w*\b", text))
        return self.catalogue.titled(words, referred=tuple(w for w in referred if w in {x.lower() for x in words}))

    def named_apart(self, text: str) -> list[CredentialRecord]:
        """The options named in each part of a message that joins names ("AWS Solutions Architect or CKA",
        "CISSP and CISM"), one per part, in the order named; empty unless at least two parts name one."""
        found: list[CredentialRecord] = []
        joined = _COMPARED_NAMES if re.match(r"\s*compar", text, re.I) else _JOINED_NAMES
        for part in joined.split(text):
            named = self.named_in(part) if re.search(r"[A-Z0-9]", part) else []
            if named and all(r.id != named[0].id for r in found):
                found.append(named[0])
        return found if len(found) >= 2 else []

    def pointed_at(self, text: str, named: list[CredentialRecord], fields: tuple[str, ...] = ()) -> list:
        """``named`` (matched in the list), unless "the … one" has words its first lacks ("the helsinki cyber
        one" matched to another cyber course): then the one carrying them all, in the catalogue or ``fields``."""
        if not named or not pointed_elsewhere(text, named[0]):
            return named
        found = self.named_in(" ".join(pointed_words(text)), lenient=True) + self.in_fields(list(fields))
        better = [r for r in found if not pointed_elsewhere(text, r)]
        return better[:1] or named

    def details(self, ids: list[str]) -> list[CredentialRecord]:
        return self.catalogue.by_ids(ids)

    def in_fields(self, fields: list[str]) -> list[CredentialRecord]:
        """Every active credential tagged with one of ``fields``: where a follow-up's names are looked up
        when the options shown do not carry them ("compare the UC San Diego and Johns Hopkins ones")."""
        return list(self._answers.get(("in_fields", tuple(fields)), lambda: self.catalogue.in_fields(fields)))


#: how many answers :class:`TimedCache` keeps for an advisor
CACHED_ANSWERS = 1024


class TimedCache:
    """Answers kept for ``seconds`` (0: none kept), at most ``size`` of them, the least recently used
    dropped first. Safe to share between the threads the actions run the catalogue's queries in."""

    def __init__(self, seconds: float, size: int):
        self.seconds = seconds
        self.size = size
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        if self.seconds <= 0:
            return make()
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and now - hit[0] <= self.seconds:
                self._items.move_to_end(key)
                return hit[1]
        value = make()  # (outside the lock: two threads may both read it once; both get the same answer)
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def in_field(c: Constraints, code: str) -> Constraints:
    """``c`` for another field, its broad aim added to those held."""
    aims = tuple(dict.fromkeys([*c.aims, *aims_of_fields([code])]))
    return dataclasses.replace(c, aims=aims, fields=(code,), field_terms=field_terms((code,)))


_INSTALLED: Advisor | None = None


def install(advisor_: Advisor | None) -> None:
    """Make ``advisor_`` the one the actions use (the action server does this at start; tests too)."""
    global _INSTALLED
    _INSTALLED = advisor_


def advisor() -> Advisor:
    """The advisor installed for this process."""
    if _INSTALLED is None:
        raise RuntimeError(
            "No advisor is installed: start the action server with `python -m bot.action_server` "
            "(as `make run` does), not with `rasa run actions`."
        )
    return _INSTALLED


def cheapest_usd(matches: list[Match]) -> float | None:
    """The least of the matches' costs in US dollars; costs that cannot be converted are left out."""
    costs = [m.cost_usd for m in matches if m.cost_usd is not None]
    return min(costs) if costs else None


def constraints_snapshot(c: Constraints) -> dict:
    return {
        "aims": list(c.aims),
        "budget": c.budget.as_dict() if c.budget else None,
        "weeks": c.weeks,
        "hours_per_week": c.hours_per_week,
        "credit_required": c.credit_required,
        "credential_type": c.credential_type,
        "filters": describe_filters(c),
        "fields": list(c.fields),
        "experience": c.experience,
    }


def describe_changes(before: dict | None, c: Constraints) -> list[str]:
    """Sentences naming what changed between the last list shown and now."""
    if not before:
        return []
    out = []
    if set(before.get("fields") or []) != set(c.fields) and c.fields:
        out.append(say("changes.field", field=describe_fields(c.fields)))
    if set(before.get("aims") or []) != set(c.aims):
        out.append(say("changes.aim", old=describe_aims(before.get("aims") or []), new=describe_aims(list(c.aims))))
    old_budget = Budget.from_dict(before.get("budget"))
    if (old_budget.as_dict() if old_budget else None) != (c.budget.as_dict() if c.budget else None):
        if old_budget and c.budget and describe_budget(old_budget) != describe_budget(c.budget):
            out.append(say("changes.budget", old=describe_budget(old_budget), new=describe_budget(c.budget)))
        elif c.budget and not old_budget:
            out.append(say("changes.budget_set", budget=describe_budget(c.budget)))
    if before.get("weeks") != c.weeks and c.weeks:
        if before.get("weeks"):
            out.append(say("changes.weeks", old=weeks_text(before["weeks"]), new=weeks_text(c.weeks)))
        else:
            out.append(say("changes.weeks_set", weeks=weeks_text(c.weeks)))
    if before.get("hours_per_week") != c.hours_per_week and c.hours_per_week:
        if before.get("hours_per_week"):
            out.append(say("changes.hours", old=f"{before['hours_per_week']:g}", new=f"{c.hours_per_week:g}"))
        else:
            out.append(say("changes.hours_set", hours=f"{c.hours_per_week:g}"))
    if bool(before.get("credit_required")) != c.credit_required:
        out.append(say("changes.credit_required" if c.credit_required else "changes.credit_dropped"))
    old_filters, new_filters = before.get("filters") or [], describe_filters(c)
    if old_filters != new_filters:
        out.append(say("changes.filters", filters=", ".join(new_filters)) if new_filters else say("changes.no_filters"))
    return out
