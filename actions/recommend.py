"""Recommend credentials, show more or cheaper ones, and explain one of them."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import constraints_from, get_advisor, latest_intent, off_loop, slots_in, user_text
from bot.advice.service import (
    ADDED_UP,
    ANY_OF_THEM,
    CURRENCY_NAMES,
    PRICE_WORDS,
    TOGETHER,
    TRIAL,
    TWO_NAMED,
    asks_level,
    assessment_text,
    by_level,
    comparison_text,
    comparison_verdict,
    constraints_snapshot,
    currency_named,
    describe_changes,
    describe_fields,
    detail_text,
    eligibility_text,
    format_money,
    named_among,
    next_text,
    order_text,
    pace_text,
    parse_ordinal,
    parse_time,
    question_kind,
    references,
    region_named,
    say,
    title_words,
    together_text,
    unmatched_name,
    wanted_count,
)
from bot.model import Budget, CatalogueUnavailable

log = logging.getLogger(__name__)

#: Asking for what costs nothing ("what's free out of these?", "anything free?").
WANTS_FREE = re.compile(r"\b(free|no cost|costs? nothing|without paying|zero cost)\b", re.I)
#: "what's the closest then?", "anything similar?": options from the nearest related field
ASKS_CLOSEST = re.compile(r"\b(?:closest|nearest|most similar|(?:something|anything) similar)\b", re.I)


def apologise(dispatcher: CollectingDispatcher, action: str, exc: CatalogueUnavailable) -> list[EventType]:
    """The catalogue cannot be read: say so, give the careers contact, and log the cause once
    (the action and the database's own message; nothing the person wrote)."""
    log.error("%s: the credential database cannot be read (%s)", action, exc)
    dispatcher.utter_message(text=say("apology.catalogue_unavailable", contact=get_advisor().settings.careers_contact))
    return []


def assumed_currency_note(tracker: Tracker) -> list[str]:
    """ "I took your budget as ₹25,000": said with every list while the currency is an assumption."""
    budget = tracker.get_slot("budget") or {}
    if not (budget.get("assumed_currency") and budget.get("amount") is not None):
        return []
    currency = budget.get("currency")
    return [
        say(
            "list.assumed_currency",
            amount=format_money(budget["amount"], currency),
            currency=CURRENCY_NAMES.get(currency or "", currency),
        )
    ]


async def asks_about_shown(tracker: Tracker) -> bool:
    """Whether the message asks a question about an option in the list the person is looking at, by name,
    and changes none of the constraints that list was made for."""
    text, shown = user_text(tracker), tracker.get_slot("shown_ids") or []
    if "?" not in text or not shown:
        return False
    if describe_changes(tracker.get_slot("last_constraints"), constraints_from(tracker)):
        return False
    if question_kind(text) in ("order", "compare", "next") or TRIAL.search(text):  # "which would you do first?"
        return True
    records = await off_loop(get_advisor().details, shown)
    return bool(references(text, records))


class ActionRecommend(Action):
    """Recommend up to five credentials; ``show_more`` and ``ask_cheaper`` page through the rest."""

    def name(self) -> str:
        return "action_recommend"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        said: list[EventType] = []
        if latest_intent(tracker) in ("ask_cheaper", "show_more"):
            # "cheaper ones in general business?", "more, but in marketing": what the message changes first
            found = slots_in(user_text(tracker), tracker)
            if (found.get("budget") or {}).get("kind") == "free":
                del found["budget"]  # "what's free out of these?" keeps the budget: the free ones are shown
            if found:
                tracker = tracker.copy()
                tracker.slots.update(found)
                said = [SlotSet(k, v) for k, v in found.items()]
        try:
            intent, text = latest_intent(tracker), user_text(tracker)
            asks = intent in ("inform", "request_advice") or (intent == "ask_cheaper" and TRIAL.search(text))
            if asks and await asks_about_shown(tracker):
                # "I already know Figma, will the Google one be too basic?": a question about an option shown
                # that changes nothing the list was made for: answered, the list kept
                return await ActionCredentialDetail().run(dispatcher, tracker, {})
            return said + await self._recommend(dispatcher, tracker)
        except CatalogueUnavailable as exc:
            return apologise(dispatcher, self.name(), exc)

    @staticmethod
    async def _cheaper(c, shown_now: list[str], intro_parts: list[str]):
        """Options cheaper than the cheapest shown, for the same aim and time; when the person's field has
        none, those of the nearest related field, said so (None: none)."""
        advisor = get_advisor()
        limit = await off_loop(advisor.cheapest_of, shown_now, c) if shown_now else None
        if limit is None:
            return None
        rec = await off_loop(advisor.recommend, c, cheaper_than_usd=limit)
        if rec.shown:
            intro_parts.append(say("list.cheaper_options"))
            return rec
        related = await off_loop(advisor.cheaper_related, c, limit) if c.fields else None
        if related is None:
            return None
        code, rec = related
        intro_parts.append(
            say("list.cheaper_related", field=describe_fields(c.fields), related=describe_fields([code]))
        )
        return rec

    @staticmethod
    async def _free(c):
        """ "What's free out of these?": the free options for the same aim and time, the budget kept (None: none)."""
        rec = await off_loop(get_advisor().recommend, dataclasses.replace(c, budget=Budget(kind="free")))
        # free, but its time could not be checked (an unknown price is not "free")
        rec.near = [m for m in rec.near if not m.breaks and m.record.price_amount == 0]
        return rec if rec.shown else None

    @staticmethod
    async def _fresh(c, changes: list[str], intro_parts: list[str]):
        """A new list for what the person said (the changes since the last one said first)."""
        if changes:
            intro_parts.insert(0, say("list.changed", changes="; ".join(changes)))
        rec, related_code = await off_loop(get_advisor().recommend_in_field, c)
        if related_code:  # nothing in the field fits: the related field's options that do, said so
            field, related = describe_fields(c.fields), describe_fields([related_code])
            if any(m.breaks for m in rec.near):  # then the field's nearest misses
                intro_parts.append(say("list.related_first", field=field, related=related))
            else:
                intro_parts.append(say("list.related_only", field=field, related=related))
        return rec

    async def _recommend(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        c = constraints_from(tracker)
        if not c.aims or c.budget is None or c.weeks is None or c.hours_per_week is None:
            dispatcher.utter_message(text=say("list.nothing_shown_yet"))
            return []
        advisor = get_advisor()
        intent = latest_intent(tracker)
        previous: dict[str, Any] | None = tracker.get_slot("last_constraints")
        changes = describe_changes(previous, c)
        seen = list(tracker.get_slot("all_shown_ids") or [])
        intro_parts = assumed_currency_note(tracker)
        closest = bool(ASKS_CLOSEST.search(user_text(tracker))) and bool(c.fields)
        if (intent == "show_more" or closest) and not changes:
            rec = await off_loop(advisor.recommend, c, exclude=seen)
            # "what's the closest then?": the nearest related field's options, even when some here may fit
            could_fit = [] if closest else rec.fitting or [m for m in rec.near if not m.breaks]
            related = None if could_fit or not c.fields else await off_loop(advisor.related_fitting, c, seen, True)
            if related:  # nothing more in the field fits or may fit: the nearest related field's, said so
                code, rec = related
                intro_parts.append(
                    say("list.related_field", field=describe_fields(c.fields), related=describe_fields([code]))
                )
            elif not rec.shown:
                dispatcher.utter_message(text=say("list.no_more"))
                return []
            else:
                rec = dataclasses.replace(rec, more=bool(seen))  # (a copy: answers are cached)
                intro_parts.append(say("list.other_options"))
        elif intent == "ask_cheaper" and not changes and WANTS_FREE.search(user_text(tracker)):
            rec = await self._free(c)
            if rec is None:
                dispatcher.utter_message(text=say("list.nothing_free"))
                return []
            intro_parts.append(say("list.free_options"))
            seen = []
        elif intent == "ask_cheaper" and not changes:
            rec = await self._cheaper(c, tracker.get_slot("shown_ids") or [], intro_parts)
            if rec is None:
                dispatcher.utter_message(text=say("list.nothing_cheaper"))
                return []
            seen = []
        else:
            rec = await self._fresh(c, changes, intro_parts)
            seen = []
        ids = [m.record.id for m in rec.shown]
        gap = rec.gap_note()
        if gap:
            intro_parts.append(gap)
        intro = " ".join(intro_parts)
        dispatcher.utter_message(text=rec.text(intro), json_message=rec.payload(intro))
        return [
            SlotSet("shown_ids", ids),
            # what the reply named under the list counts as shown before: a follow-up may point at it
            SlotSet("all_shown_ids", seen + ids + [i for i in rec.named_ids if i not in ids and i not in seen]),
            SlotSet("focus_id", None),
            SlotSet("focus_ids", None),
            SlotSet("last_constraints", constraints_snapshot(c)),
        ]


# Asked before any list was shown, these questions get the general answer.
GENERAL_ANSWER = {
    "ask_accreditation": "utter_faq/check_provider",
    "ask_recognition": "utter_faq/employer_recognition",
    "ask_credit": "utter_faq/credit_general",
}
ASPECT_BY_INTENT = {
    "ask_details": "all",
    "ask_accreditation": "accreditation",
    "ask_recognition": "recognition",
    "ask_credit": "credit",
}


def resolve_reference(text: str, shown: list[str], titles: dict[str, tuple[str, str]], focus: str | None) -> str | None:
    """Which shown credential the person means: by position, by a name in it, or the one in focus."""
    if not shown:
        return None
    n = parse_ordinal(text)
    if n == -1:
        return shown[-1]
    if n is not None and 1 <= n <= len(shown):
        return shown[n - 1]
    low = text.lower()
    words = set(re.findall(r"[a-z0-9+]+", low))
    best, best_hits = None, 0
    for cid in shown:
        title, provider = titles.get(cid, ("", ""))
        candidate = title_words(title, provider)
        hits = len(words & candidate)
        if hits > best_hits:
            best, best_hits = cid, hits
    if best:
        return best
    return focus or shown[0]  # the option last talked about, even when it came from outside the list


#: "do I need a degree for it?", "is experience required?": what it takes to start
NEEDS_BEFORE = re.compile(
    r"\b(?:do|would|will) i need (?:a |an |any )?(?:degree|experience|qualifications?|background)|"
    r"\b(?:degree|experience|qualifications?) (?:needed|required)|entry requirements?",
    re.I,
)


async def answer_about(
    dispatcher, tracker: Tracker, record, aspect: str, text: str, named: bool = False
) -> list[EventType]:
    """One aspect of one option (all of it, price, credit, recognition, accreditation), which is then in focus;
    a price also in the currency the person named or budgets in ("how much is CAPM in pounds?"). ``named``:
    the answer starts with the option's title (after a general answer)."""
    answer = detail_text(record, aspect, region_named(text) or tracker.get_slot("region"))
    if aspect == "all" and NEEDS_BEFORE.search(text) and not record.prerequisites:
        # "what is the CIPD one, do I need a degree for it?": said, not left to the missing line
        head, _, source = answer.rpartition("\nSource: ")
        answer = f"{head}\n{say('details.prerequisites_unknown')}\nSource: {source}"
    if named and aspect != "all":
        answer = say("details.for_named", title=record.title, answer=answer)
    if aspect == "price":
        budget = constraints_from(tracker).budget
        wanted = currency_named(text) or (budget.currency if budget else None)
        converted = await off_loop(get_advisor().price_in, record, wanted)
        if converted:
            head, _, source = answer.partition("\n")
            answer = f"{head} {converted}\n{source}"
    dispatcher.utter_message(text=answer)
    return [SlotSet("focus_id", record.id)]


async def relist_if_lifted(dispatcher, tracker: Tracker, domain: DomainDict, found: dict) -> list[EventType] | None:
    """When the message lifts a filter of the list shown (credit, a credential type, online only…), the list
    again without it; None when it lifts none."""
    lifted = found.get("credit_required") is False or "credential_type" in found or _lifts_a_filter(found, tracker)
    # (after a list, even an empty one: "forget the credit" when nothing carried it)
    if not ((tracker.get_slot("shown_ids") or tracker.get_slot("last_constraints")) and lifted):
        return None
    updated = tracker.copy()
    updated.slots.update(found)
    return [SlotSet(k, v) for k, v in found.items()] + await ActionRecommend().run(dispatcher, updated, domain)


def _lifts_a_filter(found: dict, tracker: Tracker) -> bool:
    """The message drops a filter the person had asked for ("in person is fine too"), or asks for hands-on
    assessment ("I'd like hands-on exams rather than multiple choice": a wish for the list, not a question)."""
    before = tracker.get_slot("filters") or {}
    after = found.get("filters")
    if after is not None and after.get("hands_on") and not before.get("hands_on"):
        return True
    return after is not None and any(before.get(k) and not after.get(k) for k in before)


#: A question whether any option has some property: a search, not a question about the option in focus
ASKS_FOR_OPTIONS = re.compile(
    r"\b(?:is there anything|are there any|what about (?:something|anything)|how about (?:something|anything)|"
    r"show me (?:[\w-]+ ){0,5}?(?:options|courses|ones|credentials|certificates|certifications|programmes|programs)|"
    r"closest|nearest|anything (?:else |more )?(?:that|which|with)|any (?:other )?"
    r"(?:options?|courses?|ones|credentials?|certificates?|certifications?|programmes?|programs?) "
    r"(?:that|which|with|in|for))\b",
    re.I,
)


class ActionCredentialDetail(Action):
    """More about one recommended credential; or its accreditation, recognition or credit."""

    def name(self) -> str:
        return "action_credential_detail"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = user_text(tracker)
        found = slots_in(text, tracker)
        if ASKS_FOR_OPTIONS.search(text) and tracker.get_slot("last_constraints"):
            # "is there anything health-specific that also gives credit?" asks for options, not about one
            updated = tracker.copy()
            updated.slots.update(found)
            return [SlotSet(k, v) for k, v in found.items()] + await ActionRecommend().run(dispatcher, updated, domain)
        relisted = await relist_if_lifted(dispatcher, tracker, domain, found)
        if relisted is not None:  # "actually, I don't need credit anymore" read as a question about credit
            return relisted
        try:
            return await self._detail(dispatcher, tracker)
        except CatalogueUnavailable as exc:
            return apologise(dispatcher, self.name(), exc)

    async def _detail(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        shown = tracker.get_slot("shown_ids") or []
        if not shown:
            general = GENERAL_ANSWER.get(latest_intent(tracker) or "")
            if general:
                dispatcher.utter_message(response=general)
                dispatcher.utter_message(text=say("details.for_each_later"))
            else:
                dispatcher.utter_message(text=say("list.nothing_shown_yet"))
            return []
        advisor = get_advisor()
        records = await off_loop(advisor.details, shown)
        titles = {r.id: (r.title, r.provider) for r in records}
        text = user_text(tracker)
        named = await self._whole_names(dispatcher, text, await self._named(tracker, text, records))
        if named is None:
            return []
        chosen = resolve_reference(text, [r.id for r in records], titles, tracker.get_slot("focus_id"))
        if chosen is None:
            dispatcher.utter_message(text=say("details.gone"))
            return [SlotSet("shown_ids", [])]
        aspect = ASPECT_BY_INTENT.get(latest_intent(tracker) or "", "all")
        if aspect == "all" and PRICE_WORDS.search(text) and not question_kind(text):
            aspect = "price"  # "which dollar is that price in?"
        record = named[0] if named else next((r for r in records if r.id == chosen), None)
        if record is None:  # in focus from outside the list ("tell me about CAPM", then "how long would it take?")
            record = (await off_loop(advisor.details, [chosen]) or records)[0]
        region = region_named(text) or tracker.get_slot("region")
        if not named and parse_ordinal(text) is None:
            together = tracker.get_slot("focus_ids") or []
            if aspect != "all" and ANY_OF_THEM.search(text) and not question_kind(text):
                together = [r.id for r in records]  # "do any of these count as university credit?": each shown
            if len(together) >= 2 and (TOGETHER.search(text) or ANY_OF_THEM.search(text)) and not question_kind(text):
                # "do either of them give academic credit?" after a comparison: each of the two
                each = await off_loop(advisor.details, together)
                # the note on how it counts where the person is comes once, after the last
                answers = [
                    f"{r.title}: {detail_text(r, aspect, region if i == len(each) - 1 else None)}"
                    for i, r in enumerate(each)
                ]
                dispatcher.utter_message(text="\n\n".join(answers))
                return []
            # "is the power bi one recognised?" when no option shown is the Power BI one: the catalogue's
            found = await off_loop(advisor.named_in, text, True)
            if found and found[0].id not in shown:
                asked = unmatched_name(text, found[0])
                if asked:  # a name the catalogue does not hold: not answered with another's profile
                    dispatcher.utter_message(
                        text=say(
                            "details.not_in_catalogue", asked=asked, nearest=found[0].title, provider=found[0].provider
                        )
                    )
                    return []
                record = found[0]
        if aspect == "all":
            answered = await self._question(dispatcher, tracker, text, named, records, record)
            if answered is not None:  # several ids: answered about those together, the first in focus
                return [SlotSet("focus_id", answered[0] if answered else None), SlotSet("focus_ids", answered)]
        return await answer_about(dispatcher, tracker, record, aspect, text)

    async def _whole_names(self, dispatcher, text: str, named: list) -> list | None:
        """The options named, when the first carries the whole name written ("Google Data Analytics" is not the
        "Power BI Data Analyst" shown): else the catalogue's option that does, or, when none does, a word that
        the catalogue does not hold it (None)."""
        if not named or not unmatched_name(text, named[0]):
            return named
        found = await off_loop(get_advisor().named_in, text, True)
        if found and not unmatched_name(text, found[0]):
            return [found[0]]
        nearest = found[0] if found else named[0]
        asked = unmatched_name(text, nearest) or unmatched_name(text, named[0])
        dispatcher.utter_message(
            text=say("details.not_in_catalogue", asked=asked, nearest=nearest.title, provider=nearest.provider)
        )
        return None

    async def _named(self, tracker: Tracker, text: str, records: list) -> list:
        """The options the message names: among those shown, then (when it names fewer than it asks about)
        among earlier lists and the person's field ("compare the UC San Diego and Johns Hopkins ones")."""
        advisor = get_advisor()
        if TWO_NAMED.search(text):  # "AWS Solutions Architect or CKA": each name, wherever it is in the catalogue
            apart = await off_loop(advisor.named_apart, text)
            if apart:
                return apart
        by_id = {r.id: r for r in records}
        # "the helsinki cyber one" when the list has another cyber course: the one it points at
        fields = tuple(tracker.get_slot("fields") or ())
        named = await off_loop(advisor.pointed_at, text, [by_id[cid] for cid in references(text, records)], fields)
        if len(named) >= wanted_count(text):
            return named
        earlier = [i for i in tracker.get_slot("all_shown_ids") or [] if i not in by_id]
        pool = await off_loop(advisor.details, earlier)
        pool += [r for r in await off_loop(advisor.in_fields, tracker.get_slot("fields") or []) if r.id not in by_id]
        pool = list({r.id: r for r in pool}.values())
        wider = {r.id: r for r in pool}
        return named + [wider[cid] for cid in named_among(text, pool, exclude=[r.id for r in named])]

    async def _question(
        self, dispatcher, tracker: Tracker, text: str, named: list, records: list, record
    ) -> list[str] | None:
        """Compare two, what to take first, how they are assessed, or time and cost at the person's pace: the
        ids answered about, the one in focus first (None when the message asked none of these)."""
        kind = question_kind(text)
        if kind == "compare":
            pair = [*named, *(r for r in records if r not in named)][:2]
            c = constraints_from(tracker)
            plans = [await off_loop(get_advisor().plan, r, c) for r in pair]
            dispatcher.utter_message(text=comparison_text(pair) + "\n" + comparison_verdict(plans, text, c))
            return [r.id for r in pair]
        if kind == "order":  # of those named, else of those just compared, else of the list
            together = tracker.get_slot("focus_ids") or []
            compared = await off_loop(get_advisor().details, together) if len(together) >= 2 else []
            steps = named if len(named) >= 2 else compared or records
            dispatcher.utter_message(text=order_text(steps))
            return [r.id for r in by_level(steps)]  # in the order said: "and after that?" follows the first
        if kind == "next":  # "what comes after CELTA?": where it leads, then what was shown at a higher level
            about = named[0] if named else record
            dispatcher.utter_message(text=next_text(about, records))
            return [about.id]
        if kind == "eligibility":  # "can I do the PMP one? is it ok for a beginner?"
            c = constraints_from(tracker)
            # how it stands against their budget and time (its level is the answer's first line already)
            timed = c.budget or c.weeks or c.hours_per_week
            plan = (
                await off_loop(get_advisor().plan, record, dataclasses.replace(c, experience=None)) if timed else None
            )
            dispatcher.utter_message(text=eligibility_text(record, c.experience, plan, records, asks_level(text)))
            return [record.id]
        if kind == "assessment":  # "I'd like hands-on exams rather than multiple choice"
            about = named or records
            dispatcher.utter_message(text=assessment_text(about))
            return [r.id for r in about]
        if kind == "pace":
            c = constraints_from(tracker)
            said = parse_time(text).hours_per_week
            if said:
                c = dataclasses.replace(c, hours_per_week=said)
            # "total cost for AWS SAA and CKA?": each of those named; "the R for public health one": that one
            several = TWO_NAMED.search(text) or TOGETHER.search(text) or ANY_OF_THEM.search(text)
            about = named[: 3 if several else 1] or [record]
            plans = [await off_loop(get_advisor().plan, r, c) for r in about]
            for plan in plans:
                dispatcher.utter_message(text=pace_text(plan, c))
            if len(plans) >= 2 and ADDED_UP.search(text):  # "can I do both CISSP and CISM within my budget?"
                dispatcher.utter_message(text=together_text(plans, c))
            return [r.id for r in about]
        return None
