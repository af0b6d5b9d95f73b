"""Questions about the options shown that need more than one fact: compare two, what to take first, and
how long one takes at the person's pace and what it costs in all. Pure: records and matches in, words out."""

from __future__ import annotations

import re

from bot.advice.explain import TYPE_LABEL, assessment_line, source_line
from bot.advice.matching import Match, credit_description
from bot.language.aims import detect_aims
from bot.language.countries import region_named
from bot.language.fields import detect_fields
from bot.language.filters import ORDINALS
from bot.language.messages import say
from bot.language.parsing import format_approx, format_money, weeks_text
from bot.model import Constraints, CredentialRecord

#: The question words that are not the name of anything ("is the ... one recognised in ...?").
NAME_STOPWORDS = frozenset(
    "the and for with what which how much long does will would could should can any this that these those one ones "
    "course courses certificate certification professional program programme exam about from into your mine there "
    "their them they have has had need want like good best better worth really also just more most then than when "
    "where who why is are was were be been it its get got take make know think tell give show cost price free "
    "online learn study recognised recognized accredited credit credits degree employers employer job jobs work "
    "country australia india canada germany japan singapore ireland pounds euros dollars rupees months weeks hours "
    "year years first second third last next after before total currency compare between versus hi hello hey you "
    "my me we our can do did is are am an if so ok okay thanks please sir madam dear good morning uk us usa eu "
    "academic either both neither give gives carry carries count counts towards recognition accreditation "
    "assessed them they those ones other others qualification qualifications proper actual actually real legit "
    "official look looks looking seem seems sound sounds cool nice great useful option options pick choose "
    "prefer".split()
)


_COMPARE = re.compile(
    r"\b(compare|comparison|versus|vs\.?|difference between|which is better|better,|"
    r"which(?: one| is| would| should)?\b[^.?!]{0,60}?,?\s[\w+-]+(?: [\w+-]+){0,3} or (?:the )?[\w+-]+|"
    r"should i (?:do|take|go for|pick|choose|get)\b[^.?!]{0,60}\bor\b)",
    re.I,
)
_ORDER = re.compile(
    r"\b((?:take|do|start|begin)(?: with)? first|(?:which|what) (?:one )?(?:first|to start with)|what order|"
    r"in (?:what|which) order|start with|pathway)\b",
    re.I,
)
#: "What comes after CELTA?", "and after that, what's the next step?": where one option leads
_NEXT = re.compile(
    r"\b(what (?:comes|goes|do i do|should i do|to do|would come) (?:next|after)|what(?:'s| is) next|next step|"
    r"after (?:that|this|it)\b[^.?!]{0,30}\bwhat|what (?:next|after|then)|then what)\b",
    re.I,
)
_PACE = re.compile(
    r"\b(my pace|at (?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|eight|ten) (?:h|hrs?|hours?)\b|"
    r"how long (?:would|will|does)|in total|altogether|total cost|what would it cost)",
    re.I,
)
#: Words in many titles that name no option in particular.
TITLE_STOPWORDS = frozenset(
    "the and for course certificate professional one with online program programme certification "
    "specialization specialisation introduction exam qualification qualifications credential credentials "
    # words in many providers' names: "university credit" names no university
    "university college institute school academy".split()
)
LEVEL_ORDER = {"beginner": 0, "intermediate": 1, "advanced": 2}


#: A question about what an option costs or in which currency ("which dollar is that price in?").
#: "Is there a way to try it before paying?", "can I audit it?", "is there a free trial?"
_TRIAL_WORDS = (
    r"try (?:it |them |this |that )?(?:out )?(?:before (?:paying|buying|i pay|i buy|committing)|for free|free)|"
    r"free trial|trial period|audit(?:ing)?"
)
TRIAL = re.compile(rf"\b({_TRIAL_WORDS})\b", re.I)
PRICE_WORDS = re.compile(
    r"\b(how much|price|priced|cost\w*|fees?|currency|dollars?|pounds?|euros?|yen|rupees?|us or|a month|monthly|"
    rf"one-off|{_TRIAL_WORDS})\b",
    re.I,
)


#: What people abbreviate in a credential's name, and the words its title spells out.
ABBREVIATIONS = {
    "ML": ("machine", "learning"),
    "AI": ("artificial", "intelligence"),
    "PM": ("project", "management"),
    "DS": ("data", "science"),
    "HR": ("human", "resources"),
}


#: A wish or question about how options are assessed ("hands-on exams rather than multiple choice").
_ASSESSMENT = re.compile(
    r"\b(hands[- ]on (?:exams?|assessments?|tests?|labs?)|multiple[- ]choice|performance[- ]based|"
    r"lab[- ]based (?:exams?|assessments?)|practical (?:exams?|assessments?|tests?)|how (?:are|is) (?:they|these|"
    r"those|the (?:exams?|options?|courses?)) (?:assessed|examined|graded|tested))\b",
    re.I,
)


#: "Can I do the PMP?", "is it ok for a beginner?", "am I eligible?", "what are the entry requirements?"
_ELIGIBLE = re.compile(
    r"\b(can i (?:do|take|sit|start|enrol|enroll|apply for|go for)(?!(?: it| this| that| them| the \w+)? "
    r"(?:online|in person|remotely|from home|part[- ]time|at my|for free|later|anytime|any time))|am i (?:eligible|allowed|qualified|ready)|"
    r"do i (?:qualify|meet)|(?:ok|okay|suitable|fine|right|good|too hard|too advanced) for (?:a |an )?(?:beginners?|"
    r"newbies?|someone new|someone like me|me)|eligib\w*|prerequisites?|entry requirements?|"
    r"requirements? (?:to|for) (?:take|sit|do|start)|need experience|"
    # "should I do the PMP?", "is CAPM worth it for me?", "would it suit me?": whether it is for them
    # (not "which one should I take first?", an order)
    r"(?<!which )(?<!one )(?<!ones )should i (?:do|take|sit|go for|get|start|enrol|enroll)\b(?![^?.!]*\b(?:first|next|"
    r"then|after|before)\b)|worth it for me|right for me|suit me|for someone like me)\b",
    re.I,
)
#: "Will the Google one be too basic?", "is it too advanced for me?": its level against theirs (not "too basic
#: for me; anything more technical?", which asks for other options)
_TOO_LEVEL = re.compile(r"\btoo (?:basic|easy|simple|elementary|introductory|advanced|hard|difficult)\b", re.I)
_OTHERS = re.compile(r"\b(?:anything|something|any|other|others|alternatives?)\b", re.I)


#: "Can I do both CISSP and CISM within my budget?", "can I afford them?": what they cost, against the budget
_WITHIN_BUDGET = re.compile(r"\b(within (?:my|the|our) budget|afford|in my budget|over (?:my|the) budget)\b", re.I)
#: Options asked about together: "both", "total cost for X and Y", "within my budget", "altogether"
ADDED_UP = re.compile(
    r"\b(both|together|altogether|combined|in total|total|sum|all (?:of )?(?:them|these|three)|each of them|"
    r"within (?:my|the|our) budget|afford|in my budget)\b",
    re.I,
)
#: Two names joined ("AWS SAA and CKA", "Solutions Architect or Cloud Practitioner", "CISSP vs CISM")
TWO_NAMED = re.compile(
    r"[A-Z0-9][\w+.-]+\s+(?:and|or|&|vs\.?|versus|then)\s+(?:the\s+)?[A-Z0-9][\w+.-]+|"
    # "compare the Deep Learning Specialization with the Stanford ML one"
    r"\bcompar\w*\b[^.?!]*?[A-Z0-9][\w+.-]+\s+(?:with|to|against)\s+(?:the\s+)?[A-Z0-9][\w+.-]+"
)


def asks_level(text: str) -> bool:
    """ "Will it be too basic?", "is it too advanced for me?" """
    return bool(_TOO_LEVEL.search(text))


def question_kind(text: str) -> str | None:
    """``compare``, ``order``, ``next``, ``pace``, ``assessment`` or ``eligibility`` when the message asks one
    of those, else None. A question whether options fit the budget is a question of what they cost in all."""
    if _WITHIN_BUDGET.search(text):
        return "pace"
    if (_ELIGIBLE.search(text) or (_TOO_LEVEL.search(text) and not _OTHERS.search(text))) and not _COMPARE.search(text):
        return "eligibility"
    if _ASSESSMENT.search(text):
        return "assessment"
    if _COMPARE.search(text):
        return "compare"
    if _NEXT.search(text) and not _ORDER.search(text):
        return "next"
    if _ORDER.search(text):
        return "order"
    if _PACE.search(text):
        return "pace"
    return None


def title_words(title: str, provider: str) -> set[str]:
    """The words of an option's title and provider that can name it ("google", "security+", "capm", and
    "level3" for "Level 3")."""
    low = f"{title} {provider}".lower()
    codes = set(_CODE.findall(low))  # "az-900" names AZ-900 only: "900" alone would name DP-900 too
    numbers = {code.split("-")[1] for code in codes}
    # a short name in capitals: "R" in "Statistical Analysis with R for Public Health", "UX"
    # ("IT", "US" and the like are words of every message, not names)
    short = {w.lower() for w in re.findall(r"\b[A-Z]{1,2}\b", title)} - NAME_STOPWORDS - {"a", "i"}
    words = set(re.findall(r"[a-z0-9+]{3,}", low)) | short
    return (words - TITLE_STOPWORDS - numbers) | codes | _levels(low)


#: An exam code: letters, a hyphen, digits ("AZ-900", "PL-300", "SAA-C03" is not one: no digits after the hyphen)
_CODE = re.compile(r"\b[a-z]{1,5}-\d{2,4}\b")
#: The words of a message, an exam code as one word
_WORDS = re.compile(r"[a-z]{1,5}-\d{2,4}\b|[a-z0-9+]+")


def _levels(low: str) -> set[str]:
    """ "level 3", "level-5", "L7": one word each ("level3"), so that "the level 3 one" names it."""
    return {f"level{n}" for n in re.findall(r"\b(?:level[\s-]*|l)(\d{1,2})\b", low)}


#: Options named by number: "option 3", "#2", "number 1"; and "compare 1 and 3".
_NUMBERED = re.compile(r"(?:\b(?:option|number|no\.?)\s*|#)(\d)\b", re.I)
_NUMBER_PAIR = re.compile(r"\b(\d)\s*(?:and|&|vs\.?|versus|or|with)\s*(\d)\b", re.I)


#: a position in the list; not a time ("who won the game last night?", "my first year", "last time")
_ORDINAL = re.compile(
    r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\b"
    r"(?!\s+(?:night|nights|year|years|week|weeks|month|months|time|times|day|days|term|semester|summer|weekend))"
)


_FREE_ONE = re.compile(r"\bthe free (?:one|course|cert|certificate|option)\b")


def references(text: str, records: list[CredentialRecord]) -> list[str]:
    """The shown options the message names, in the order named: by position ("the first and the third")
    or by distinctive words of their titles and providers ("the Google one", "Security+")."""
    low = text.lower()
    found: list[tuple[int, int, str]] = []  # (where named, rank when named at the same place, id)
    # "which should I do first?" asks for an order: "first" there names no option
    in_order = [o.span() for o in _ORDER.finditer(low)]
    for m in _ORDINAL.finditer(low):
        if any(start <= m.start() < end for start, end in in_order):
            continue
        n = -1 if m.group(1) == "last" else ORDINALS[m.group(1)]
        if n == -1 or 1 <= n <= len(records):
            found.append((m.start(), -1, records[n if n == -1 else n - 1].id))
    for m in [*_NUMBERED.finditer(low), *(_NUMBER_PAIR.finditer(low) if _COMPARE.search(low) else ())]:
        for k, digit in enumerate(m.groups()):
            if 1 <= int(digit) <= len(records):
                found.append((m.start() + k, -1, records[int(digit) - 1].id))
    # "the free one": the option shown that costs nothing (when only one does)
    free = [r for r in records if r.price_amount == 0]
    for m in _FREE_ONE.finditer(low):
        if len(free) == 1:
            found.append((m.start(), -1, free[0].id))
    words = {w: m.start() for m in _WORDS.finditer(low) for w in [m.group(0)]}
    words.update({w: low.find(w[:5]) for w in _levels(low)})
    candidates = [title_words(r.title, r.provider) for r in records]
    # a word every option shown carries ("level" of three CIPD levels) names none of them in particular,
    # when another word names one ("the level 3 one")
    shared = set.intersection(*candidates) if len(candidates) > 1 else set()
    if any((c - shared) & words.keys() for c in candidates):
        words = {w: pos for w, pos in words.items() if w not in shared}
    for n, (r, candidate) in enumerate(zip(records, candidates)):
        hits = [words[w] for w in candidate if w in words]
        if hits:  # named from the same word on: the one more of whose words are said ("the Meta front-end
            # one" is not the Meta back-end one), then the one listed first ("the CMI one")
            found.append((min(hits), n - 1000 * len(hits), r.id))
    out: list[str] = []
    for *_where, cid in sorted(found):
        if cid not in out:
            out.append(cid)
    return out


#: Capitals that name a place, not a provider ("recognised in the UK?").
PLACE_CAPITALS = frozenset({"uk", "us", "usa", "eu", "uae", "nz"})


def name_words(text: str) -> dict[str, int]:
    """The words of ``text`` that may name an option, with where they start: not the question words, except
    when written in capitals ("the WHO one": the World Health Organization, not "who")."""
    out = {}
    for m in re.finditer(r"[A-Za-z]{1,5}-\d{2,4}\b|[A-Za-z0-9+]+", text):
        word, low = m.group(0), m.group(0).lower()
        capitals = len(word) >= 2 and word.isupper() and low not in PLACE_CAPITALS
        if (capitals or low not in NAME_STOPWORDS) and low not in out:
            out[low] = m.start()
    return out


#: "do either of them give credit?", "are both online?": the options last answered about together.
TOGETHER = re.compile(r"\b(either|both|neither|each of them|all of them|them|they|these two|those two|the two)\b", re.I)
#: "do any of these count as university credit?": a question about every option in the list
ANY_OF_THEM = re.compile(
    r"\b(?:any|which|all|each|none) (?:one )?of (?:these|them|those|the options|this list)\b|\bany of (?:these|them)\b",
    re.I,
)


def wanted_count(text: str) -> int:
    """How many options the message is about: two for a comparison or for two names joined ("total cost for
    AWS SAA and CKA?"), else one."""
    return 2 if question_kind(text) == "compare" or TWO_NAMED.search(text) else 1


def named_among(text: str, pool: list[CredentialRecord], exclude: list[str] = ()) -> list[str]:
    """The options of a wider ``pool`` (earlier lists, the person's field) that the message names by a word
    few of them share ("UC San Diego", "Johns Hopkins"), in the order named; ``exclude`` ids are skipped."""
    said = name_words(text)
    words_of = {r.id: title_words(r.title, r.provider) for r in pool if r.id not in exclude}
    found: list[tuple[int, str]] = []
    for cid, words in words_of.items():
        hits = [said[w] for w in words & said.keys() if sum(w in other for other in words_of.values()) <= 2]
        if hits:
            found.append((min(hits), cid))
    return list(dict.fromkeys(cid for _pos, cid in sorted(found)))


def _short_price(r: CredentialRecord) -> str:
    """The price as a comparison states it: "free", "$49 a month", "£120"."""
    if r.price_amount is None:
        return say("compare.price_unknown")
    price = format_money(r.price_amount, r.price_currency)
    if r.price_basis == "per_month" and r.price_amount:
        return say("money.per_month", price=price)
    return price if r.price_amount else say("compare.free")


def _facts(r: CredentialRecord) -> str:
    if r.duration_weeks and r.hours_per_week:
        time = say("compare.time", weeks=weeks_text(r.duration_weeks), weekly=f"{r.hours_per_week:g}")
    else:
        time = say("compare.time_unknown")
    return say(
        "compare.facts",
        title=r.title,
        provider=r.provider,
        kind=TYPE_LABEL.get(r.credential_type, r.credential_type),
        price=_short_price(r),
        time=time,
        level=r.level or say("compare.level_unknown"),
        credit=credit_description(r),
    )


def comparison_text(records: list[CredentialRecord]) -> str:
    lines = [say("compare.heading")]
    lines += [f"- {_facts(r)}" for r in records]
    levels = {r.id: LEVEL_ORDER.get(r.level or "", 1) for r in records}
    if len(set(levels.values())) > 1:
        easiest = min(records, key=lambda r: levels[r.id])
        lines.append(say("compare.more_introductory", title=easiest.title))
    lines += [source_line(r) for r in records]
    return "\n".join(lines)


def assessment_text(records: list[CredentialRecord]) -> str:
    """How each option shown is assessed, as the catalogue records it (nothing is inferred)."""
    lines = [say("assessment.heading")]
    for r in records:
        how = assessment_line(r) if r.assessment_type else say("assessment.not_recorded")
        lines.append(f"- {r.title}: {how}")
    return "\n".join([*lines, say("assessment.closing")])


def distinct_title(r: CredentialRecord, records: list[CredentialRecord]) -> str:
    """Its title, with its provider when another of ``records`` has the same title (two "MicroMasters Program
    in Cybersecurity")."""
    shared = sum(1 for o in records if o.title == r.title) > 1
    return f"{r.title}, {r.provider}" if shared else r.title


def by_level(records: list[CredentialRecord]) -> list[CredentialRecord]:
    """Introductory first, then shorter first: the order :func:`order_text` gives."""
    return sorted(records, key=lambda r: (LEVEL_ORDER.get(r.level or "", 1), r.duration_weeks or 99, r.title))


def order_text(records: list[CredentialRecord]) -> str:
    ordered = by_level(records)
    steps = [
        f"{i}. {distinct_title(r, ordered)} ({r.level or say('order.level_unknown')})" for i, r in enumerate(ordered, 1)
    ]
    return "\n".join([say("order.heading"), *steps, say("order.closing")])


def next_text(r: CredentialRecord, others: list[CredentialRecord]) -> str:
    """Where one option leads, as the catalogue records it, then the options shown at a higher level."""
    lines = [
        say("next.leads_to", title=r.title, pathway=r.stackable_into)
        if r.stackable_into
        else say("next.not_recorded", title=r.title)
    ]
    above = [
        o
        for o in others
        if o.id != r.id
        and LEVEL_ORDER.get(o.level or "", 1) > LEVEL_ORDER.get(r.level or "", 1)
        and (not r.fields or set(o.fields) & set(r.fields))  # in the same field
    ]
    if above:
        lines.append(say("next.higher", titles="; ".join(o.title for o in above[:3])))
    return "\n".join([*lines, source_line(r)])


def pace_text(m: Match, c: Constraints) -> str:
    r, hours = m.record, c.hours_per_week
    head = (
        say("pace.head_yours", title=r.title, weekly=f"{hours:g}") if hours else say("pace.head_usual", title=r.title)
    )
    if not (r.duration_weeks and r.hours_per_week):
        time = say("pace.time_unknown")
    else:
        total = r.duration_weeks * r.hours_per_week
        weeks = total / hours if hours and r.delivery_mode == "online_self_paced" else r.duration_weeks
        if hours and r.delivery_mode != "online_self_paced" and r.hours_per_week > hours:
            time = say(
                "pace.time_fixed_dates",
                hours=f"{total:.0f}",
                weeks=weeks_text(weeks),
                weekly=f"{r.hours_per_week:g}",
                yours=f"{hours:g}",
            )
        else:
            time = say("pace.time", hours=f"{total:.0f}", weeks=weeks_text(weeks))
    if m.total_cost is None:
        cost = say("pace.cost_unknown")
    elif m.total_cost == 0:
        cost = say("pace.free")
    else:
        amount = format_money(m.total_cost, r.price_currency)
        bcur = c.budget.currency if c.budget else None
        if bcur and bcur != r.price_currency and m.cost_in_budget_currency is not None:
            amount = say("money.converted", amount=amount, converted=format_approx(m.cost_in_budget_currency, bcur))
        cost = say("pace.cost_monthly" if r.price_basis == "per_month" else "pace.cost", cost=amount)
    return f"{head} {time} {cost}\n{source_line(r)}"


def together_text(plans: list[Match], c: Constraints) -> str:
    """What several options cost together, against the person's budget when they gave one ("can I do both
    CISSP and CISM within my budget?"): in the budget's currency when every cost converts, else in the
    options' own currency when they share one; else which price is missing."""
    missing = [m.record.title for m in plans if m.total_cost is None]
    if missing:
        return say("pace.together_unknown", titles=" and ".join(missing))
    budget = c.budget if c.budget and c.budget.kind == "limit" and c.budget.max_amount is not None else None
    bcur = c.budget.currency if c.budget else None
    if bcur and all(m.record.price_currency == bcur or m.cost_in_budget_currency is not None for m in plans):
        total = sum(m.total_cost if m.record.price_currency == bcur else m.cost_in_budget_currency for m in plans)
        currency = bcur
    elif len({m.record.price_currency for m in plans}) == 1:
        total, currency, budget = sum(m.total_cost for m in plans), plans[0].record.price_currency, None
    else:
        return say("pace.together_mixed")
    converted = any(m.record.price_currency != currency for m in plans)
    amount = (format_approx if converted else format_money)(total, currency)
    if budget is None or (budget.currency and budget.currency != currency):
        return say("pace.together", total=amount)
    limit = budget.max_amount
    if total <= limit + 0.005:
        return say("pace.together_within", total=amount, budget=format_money(limit, currency))
    return say(
        "pace.together_over",
        total=amount,
        budget=format_money(limit, currency),
        over=format_money(total - limit, currency),
    )


#: "write me a summary", "can you sum them up", "recap please": a short recap of the list in front of them.
SUMMARY = re.compile(
    r"\b(summary|summari[sz]e|sum (?:it|that|them|this|these|those|everything) up|recap|tl;?dr|"
    r"short version|in (?:a )?nutshell|in short)\b",
    re.I,
)


def standing_of(m: Match) -> str:
    """How an option stands against what the person said: fits, what could not be checked, or what it breaks."""
    if m.breaks:
        return m.break_reasons[0] if m.break_reasons else say("recap.breaks")
    if m.unknown:
        unknown = {
            "budget": say("recap.unknown_budget"),
            "time": say("recap.unknown_time"),
            "weekly_hours": say("recap.unknown_weekly_hours"),
        }
        return say("recap.unchecked", what=", ".join(unknown.get(u, u) for u in m.unknown))
    return say("recap.fits")


def summary_text(matches: list[Match]) -> str:
    """One line per option shown: what it is, what it costs, how long, and how it stands against what
    the person said (fits, could not be checked, or what it breaks)."""
    lines = [say("recap.heading")]
    for i, m in enumerate(matches, 1):
        r = m.record
        time = weeks_text(r.duration_weeks) if r.duration_weeks else say("compare.time_unknown")
        lines.append(
            say("recap.line", n=str(i), title=r.title, price=_short_price(r), time=time, standing=standing_of(m))
        )
    lines.append(say("recap.closing"))
    return "\n".join(lines)


#: A name as people write one: words with a capital or a digit, joined by small words ("Harvard CS50 for
#: Lawyers", "Coursera Excel Skills for Business").
_NAME_RUN = re.compile(r"(?:[A-Z0-9][\w+.'-]*)(?:\s+(?:(?:for|of|in|the|to)\s+)?[A-Z0-9][\w+.'-]*)*")
_JOINERS = {"for", "of", "in", "the", "to"}


def _own_words(r: CredentialRecord) -> set[str]:
    words = set(re.findall(r"[a-z0-9+]+", f"{r.title} {r.provider} {r.platform or ''}".lower()))
    words |= {w.lower() for w in re.findall(r"\b[A-Z]{2,6}x?\b", r.provider)}
    # the initials of any run of the provider's or the title's words: "UC" and "UCSD" for the University of
    # California San Diego, "SAA" for AWS Certified Solutions Architect - Associate
    for name in (r.provider, r.title):
        capitals = [w[0].lower() for w in re.findall(r"\b[A-Z][a-z]*\b", name)]
        words |= {"".join(capitals[i:j]) for i in range(len(capitals)) for j in range(i + 2, len(capitals) + 1)}
    return words


def unmatched_name(text: str, r: CredentialRecord) -> str | None:
    """The name the person wrote when the catalogue's nearest credential does not carry all of it ("Harvard
    CS50 for Lawyers" is not "CS50's Introduction to AI with Python"): that name, else None."""
    own = _own_words(r)
    for run in _NAME_RUN.finditer(text):
        tokens = run.group(0).split()
        words = [re.sub(r"[^\w+]", "", t).lower() for t in tokens]
        words = [w.removesuffix("s") if w not in own and w.removesuffix("s") in own else w for w in words]
        named = [w for w in words if w and w not in _JOINERS]
        if len(named) < 2 or not any(w in own for w in named):
            continue  # one word alone ("CAPM", "Google") names no more than the catalogue matched
        missing = [w for w in named if w not in own and w not in NAME_STOPWORDS and not region_named(w)]
        if missing:
            return run.group(0).strip(" .,?!")
    return None


#: "the harvard business school one", "the helsinki cyber one": the words pointing at one option
POINTING = r"\bthe ((?:[\w+.-]+ ){0,3}?[\w+.-]+) (?:one|ones|course|courses|cert|certificate|exam|programme|program)\b"
_POINTING = re.compile(POINTING, re.I)


def pointed_words(text: str) -> list[str]:
    """The distinctive words of "the … one" in ``text`` (lower case, stopwords left out)."""
    m = _POINTING.search(text)
    if not m:
        return []
    # (a one-letter name in capitals counts: "the R for public health one")
    words = re.findall(r"[A-Za-z0-9+]+", m.group(1))
    return [w.lower() for w in words if w.lower() not in NAME_STOPWORDS and (len(w) > 1 or w in ("R", "C"))]


def pointed_elsewhere(text: str, r: CredentialRecord) -> list[str]:
    """The words of "the … one" that ``r`` does not carry ("business", "school" when the person points at "the
    harvard business school one" and ``r`` is another Harvard course): empty when it carries them all."""
    own = _own_words(r)
    return [w for w in pointed_words(text) if w not in own and w.removesuffix("s") not in own]


def eligibility_text(
    r: CredentialRecord,
    experience: str | None,
    plan: Match | None = None,
    others: list[CredentialRecord] = (),
    asks_level: bool = False,
) -> str:
    """Can this person take it? Yes or no first, from its level and prerequisites and the experience they
    gave; "it depends" when the data or what they said cannot tell. With ``plan`` ("should I do the PMP?"),
    also how it stands against their budget and time; with ``others`` (the options shown), those past the
    basics when it is introductory and the person is not new ("will the Google one be too basic?");
    ``asks_level``: the question was whether it is too basic or too advanced, not whether they can take it."""
    prerequisites = (r.prerequisites or "").strip().rstrip(".")
    if not prerequisites and re.search(r"\b(eligib\w*|requires?|prerequisites?)\b", r.assessment_type or "", re.I):
        # the exam's own terms: "…; eligibility needs 36 months leading projects"
        prerequisites = (r.assessment_type or "").strip().rstrip(".")
    required = prerequisites and not prerequisites.lower().startswith(("none", "no formal", "no prerequisite"))
    if experience == "new" and r.level == "advanced":
        head = say("eligibility.not_yet", title=r.title, level=r.level or say("compare.level_unknown"))
    elif experience == "experienced" and r.level == "beginner":
        head = say("eligibility.too_basic", title=r.title)
    elif required:
        head = say("eligibility.depends", title=r.title)
    elif experience == "new" and r.level == "intermediate":
        head = say("eligibility.can_after_basics", title=r.title)
    elif experience == "some" and r.level == "beginner":
        head = say("eligibility.basics_for_some", title=r.title)
    elif asks_level and r.level == "beginner":  # "will it be too basic?" from someone new: it is meant for them
        head = say("eligibility.made_for_new", title=r.title)
    else:
        head = say("eligibility.can", title=r.title, level=r.level or say("compare.level_unknown"))
    lines = [head]
    lines.append(say("eligibility.requires", prerequisites=prerequisites) if prerequisites else say("eligibility.none"))
    if r.stackable_into and experience == "new" and r.level == "advanced":
        lines.append(say("eligibility.path", pathway=r.stackable_into.rstrip(".")))
    if plan is not None:
        lines.append(say("eligibility.standing", standing=standing_of(plan)))
    further = [o for o in others if o.id != r.id and o.level in ("intermediate", "advanced")]
    if r.level == "beginner" and experience in ("some", "experienced") and further:
        named = "; ".join(f"{o.title} ({o.level})" for o in further)
        lines.append(say("eligibility.further", options=named))
    lines.append(source_line(r))
    return "\n".join(lines)


_FIRST = re.compile(r"\b(first|original|initial)\b", re.I)  # not "start": "I didn't want to start over"


def earlier_list(shown: list[dict], text: str) -> dict | None:
    """The list the person asks to go back to, from the constraints of every list shown so far (oldest
    first): the latest one for a field or aim they name ("go back to the AI list"), the first one when
    they say "first" or "original"; None when they name nothing that differs from the list now."""
    if not shown:
        return None
    fields, aims = set(detect_fields(text)), set(detect_aims(text))
    if fields or aims:
        for snap in reversed(shown):
            if fields & set(snap.get("fields") or []) or aims & set(snap.get("aims") or []):
                return snap
        return None
    return shown[0] if _FIRST.search(text) else None
