"""Turn matches and records into the words and payloads people see."""

from __future__ import annotations

import datetime as dt

from bot.advice.costs import total_cost
from bot.advice.evidence import evidence_line, own_page
from bot.advice.matching import Match, credit_description, describe_constraints, off_level
from bot.language.countries import credit_note, recognition_note
from bot.language.currencies import CURRENCY_NAMES
from bot.language.fields import FIELD_BY_CODE, describe_fields, related_fields, rival_products
from bot.language.messages import say
from bot.language.parsing import format_money, weeks_text
from bot.model import Constraints, CredentialRecord, mainly_about, named_in

TYPE_LABEL = {
    "short_course": "short course",
    "professional_certificate": "professional certificate",
    "microcredential": "microcredential",
    "micromasters": "MicroMasters programme",
    "nanodegree": "nanodegree",
    "specialisation": "specialisation",
    "digital_badge": "digital badge",
    "cpd_course": "CPD course",
    "certification_exam": "certification exam",
}
MODE_LABEL = {
    "online_self_paced": "online, self-paced",
    "online_cohort": "online, with fixed dates",
    "blended": "blended (online and on site)",
    "onsite": "on site",
}


def source_line(r: CredentialRecord, today: dt.date | None = None) -> str:
    """The source, and under it where and when each fact was confirmed (bot.advice.evidence)."""
    line = say("details.source", url=r.source_url, checked=r.last_checked.isoformat())
    if not own_page(r, r.source_url):
        line += " " + say("details.source_elsewhere")
    checked = evidence_line(r, today or dt.date.today())
    return line + ("\n   " + checked if checked else "")


def _header(m: Match, i: int) -> str:
    r = m.record
    kind = TYPE_LABEL.get(r.credential_type, r.credential_type)
    return f"{i}. {r.title} — {r.provider} ({kind})"


def closer_unchecked_first(fitting: list[Match], near: list[Match], c: Constraints) -> bool:
    """Whether options that could not be checked are more about the person's field than every option
    that fits (exams whose preparation time is not stated, say): then they are shown first, labelled."""
    # an option whose price is not known either is never put before options that fit
    unchecked = [m for m in near if not m.breaks and "budget" not in m.unknown]
    if not (c.field_terms and fitting and unchecked):
        return False
    tagged = any(m.relevance[0] for m in fitting + unchecked)

    def closeness(m: Match) -> tuple[int, int]:
        # the catalogue's tags and the person's own words decide; the field's words only when nothing is tagged
        tags, focus, words = m.relevance
        return (tags, focus) if tagged else (focus, words)

    return max(map(closeness, unchecked)) > max(map(closeness, fitting))


def in_reply_order(fitting: list[Match], near: list[Match], c: Constraints) -> list[Match]:
    """The options in the order the reply numbers them: what fits, what could not be checked (first,
    when it is closer to the person's field), what breaks something. When the person named what they
    want (AWS, Power BI, epidemiology), what fits and names it comes first, then what names it but could
    not be checked, then what fits without naming it."""
    # within each part, an option comes after the one its prerequisites name
    fitting, near = prerequisites_first(fitting), prerequisites_first(near)
    unchecked = [m for m in near if not m.breaks]
    breaking = [m for m in near if m.breaks]
    if closer_unchecked_first(fitting, near, c):
        return unchecked + fitting + breaking
    named = [m for m in fitting if m.relevance[1]]
    if c.focus_terms and named and len(named) < len(fitting):
        others = [m for m in fitting if not m.relevance[1]]
        # (one whose cost could not be checked against their budget does not go before what fits)
        named_unchecked = [m for m in unchecked if m.relevance[1] and "budget" not in m.unknown]
        rest = [m for m in unchecked if id(m) not in {id(n) for n in named_unchecked}]
        return elsewhere_later(level_later(named + named_unchecked + others + rest + breaking, fitting, c), fitting, c)
    return elsewhere_later(level_later(fitting + unchecked + breaking, fitting, c), fitting, c)


def elsewhere_later(ordered: list[Match], fitting: list[Match], c: Constraints) -> list[Match]:
    """Options that fit but are mainly about a field that is neither the person's nor next to it (AI in
    healthcare for a developer after machine learning, genomics for someone after data science) come after
    those that fit or may fit, are mainly about the person's field (or, when they fit, one next to it) and
    suit their level."""
    if not c.fields:
        return ordered
    near_fields = (*c.fields, *related_fields(c.fields))
    fits = {id(m) for m in fitting}
    away = [m for m in ordered if id(m) in fits and not mainly_about(m.record, near_fields)]
    suited = [
        m
        for m in ordered
        if not m.breaks
        and mainly_about(m.record, near_fields if id(m) in fits else c.fields)
        and not off_level(m, c)
        and "budget" not in m.unknown
    ]
    if not away or not suited or len(away) == len(fitting):
        return ordered
    moved = {id(m) for m in away}
    rest = [m for m in ordered if id(m) not in moved]
    at = next((i for i, m in enumerate(rest) if m.breaks), len(rest))
    return rest[:at] + away + rest[at:]


#: How many more near misses a search for a named field reads, so that those left out (:func:`leave_out`)
#: can be replaced by others.
LEFT_OUT_SPARE = 3


def leave_out(fitting: list[Match], near: list[Match], c: Constraints) -> list[Match]:
    """:func:`leave_out_unsuited`, then (for someone who can only take what is free) options whose price is
    not stated when something known to be free is listed: named, not listed."""
    out = leave_out_unsuited(fitting, near, c)
    if c.budget is None or c.budget.kind != "free":
        return out
    unpriced = [m for m in near if not m.breaks and m.record.price_amount is None and m not in out]
    priced = [m for m in (*fitting, *near) if not m.breaks and m not in out and m not in unpriced]
    return out + unpriced if unpriced and priced else out


def unpriced_for_free(m: Match, c: Constraints) -> bool:
    """Set apart because the person can only take what is free and its price is not stated."""
    return c.budget is not None and c.budget.kind == "free" and m.record.price_amount is None


def leave_out_unsuited(fitting: list[Match], near: list[Match], c: Constraints) -> list[Match]:
    """Options that only may fit (their price or time could not be checked) and that an adviser would not
    list beside better ones, when the person named a field and something at their level fits (about their
    field or one next to it) or may fit (about theirs):
    those mainly about another field (a genomics course for someone after data science), and those
    pitched off the person's level (an intermediate course for someone new). Options mainly about a field
    next to theirs (Power BI for someone after data analysis: :func:`related_fields`) stay."""
    if not c.fields:
        return []
    unchecked = [m for m in near if not m.breaks]
    near_fields = (*c.fields, *related_fields(c.fields))

    def apt(m: Match, fields: tuple[str, ...] = c.fields) -> bool:
        return mainly_about(m.record, fields) and not off_level(m, c)

    # about a field near theirs and naming their own words best, it stays off their level too (the Power BI
    # exam, intermediate, for someone new who said "Power BI")
    named = max((m.relevance[1] for m in [*fitting, *unchecked]), default=0)

    def named_best(m: Match) -> bool:
        return bool(named) and m.relevance[1] == named and mainly_about(m.record, near_fields)

    if not any(apt(m) for m in unchecked) and not any(apt(m, near_fields) for m in fitting):
        return []
    return [m for m in unchecked if not apt(m, near_fields) and not named_best(m)]


def named_products(c: Constraints) -> tuple[str, ...]:
    """The products of the person's field they named (AWS, Power BI): those among their own words."""
    return tuple(p for code in c.fields for p in FIELD_BY_CODE[code].products if p in c.focus_terms) if c.fields else ()


def rivals_apart(fitting: list[Match], near: list[Match], c: Constraints) -> list[Match]:
    """Options about a rival of the product the person named (Azure for someone who asked for AWS, Tableau
    for someone after Power BI): named apart, not listed, when something names what they asked for."""
    named = named_products(c)
    if not named:
        return []
    rivals = rival_products(c.fields, named)
    shown = [*fitting, *near]
    rival = [m for m in shown if not named_in(m.record, named) and named_in(m.record, rivals)]
    return rival if len(rival) < len(shown) and any(named_in(m.record, named) for m in shown) else []


def refused_apart(fitting: list[Match], near: list[Match], c: Constraints) -> list[Match]:
    """Options mainly about a field the person turned down ("not interested in marketing analytics"): named
    apart, not listed."""
    if not c.refused:
        return []
    return [m for m in (*fitting, *near) if mainly_about(m.record, c.refused)]


def level_later(ordered: list[Match], fitting: list[Match], c: Constraints) -> list[Match]:
    """Options that fit but are off the person's level come after those that may fit, are about their field
    and suit their level (an entry-level exam before an intermediate course for someone new); when every
    option that fits is off their level, the list still opens with what is known to fit."""
    fits = {id(m) for m in fitting}
    off = [m for m in ordered if id(m) in fits and off_level(m, c)]
    if len(off) == len(fitting):
        return ordered
    suited = [
        m
        for m in ordered
        if id(m) not in fits and not m.breaks and m.relevance[0] and m.level_fit and "budget" not in m.unknown
    ]
    if not off or not suited:
        return ordered
    moved = {id(m) for m in off}
    rest = [m for m in ordered if id(m) not in moved]
    at = next((i for i, m in enumerate(rest) if m.breaks), len(rest))
    return rest[:at] + off + rest[at:]


def _short_title(title: str) -> str:
    """A title as a prerequisite names it: "PRINCE2 Foundation" for "PRINCE2 Foundation (…)"."""
    return title.split("(")[0].strip().lower()


def prerequisites_first(options: list[Match]) -> list[Match]:
    """An option whose prerequisites name another option in the list ("a pass in PRINCE2 Foundation") comes
    right after that one: the order a person can take them in."""
    out = list(options)
    for m in options:
        needs = (m.record.prerequisites or "").lower()
        if not needs:
            continue
        named = [o for o in out if o is not m and len(_short_title(o.record.title)) >= 6]
        before = [o for o in named if _short_title(o.record.title) in needs]
        if before:
            last = max(out.index(o) for o in before)
            if last > out.index(m):
                out.remove(m)
                out.insert(last, m)  # (the one it needs moved up by one when m left)
    return out


def _fitting_lines(m: Match, i: int) -> list[str]:
    lines = [_header(m, i), "   " + say("list.why_it_fits", reasons="; ".join(m.fit))]
    return lines + _caveat_and_source_lines(m)


def _caveat_and_source_lines(m: Match) -> list[str]:
    caveats = ["   " + say("list.caveats", caveats=" ".join(m.caveats))] if m.caveats else []
    return caveats + ["   " + source_line(m.record)]


def _unchecked_lines(m: Match, i: int) -> list[str]:
    lines = [_header(m, i), "   " + say("list.could_not_check", reasons="; ".join(m.unknown_reasons))]
    if m.fit:
        lines.append("   " + say("list.known", reasons="; ".join(m.fit)))
    return lines + _caveat_and_source_lines(m)


def _breaking_lines(m: Match, i: int) -> list[str]:
    lines = [_header(m, i), "   " + say("list.breaks", reasons="; ".join(m.break_reasons + m.unknown_reasons))]
    if m.fit:
        lines.append("   " + say("list.still", reasons="; ".join(m.fit)))
    return lines + _caveat_and_source_lines(m)


def _heading(fitting: list[Match], near: list[Match], c: Constraints, constraints: str, more: bool = False) -> str:
    n = len(fitting)
    if more and near and not fitting:  # a later page: what fitted was on the pages before
        unchecked_only = all(not m.breaks for m in near)
        return say(
            "list.heading.more_may_fit" if unchecked_only else "list.heading.more_nearest", constraints=constraints
        )
    if fitting and closer_unchecked_first(fitting, near, c):
        return say("list.heading.closest_unchecked", field=describe_fields(c.fields), constraints=constraints)
    if n == 1:
        return say("list.heading.one_fits", constraints=constraints)
    if fitting:
        return say("list.heading.many_fit", n=n, constraints=constraints)
    if near and all(not m.breaks for m in near):
        return say("list.heading.may_fit", constraints=constraints)
    if near:
        return say("list.heading.nearest", constraints=constraints)
    if constraints and c.fields:  # the field note that follows names the nearest related fields
        return say("list.heading.nothing_in_field", constraints=constraints)
    if constraints:
        return say("list.heading.nothing", constraints=constraints)
    return say("list.heading.nothing_for_that")


def recommendation_parts(
    fitting: list[Match], near: list[Match], c: Constraints, intro: str = "", more: bool = False
) -> tuple[str, list[str], str]:
    """(heading, body lines, closing hint) of a recommendation reply, numbered as :func:`in_reply_order`;
    ``more``: a later page of the same list ("other options?")."""
    constraints = describe_constraints(c)
    heading = _heading(fitting, near, c, constraints, more)
    fits = {id(m) for m in fitting}
    lines: list[str] = []
    # the heading introduces the first kind listed
    previous = ("unchecked" if closer_unchecked_first(fitting, near, c) else "fits") if fitting else None
    for i, m in enumerate(in_reply_order(fitting, near, c), 1):
        kind = "fits" if id(m) in fits else ("breaks" if m.breaks else "unchecked")
        if kind != previous and i > 1:
            if kind == "fits" and c.focus_terms and not m.relevance[1] and any(f.relevance[1] for f in fitting):
                named = as_written(c.focus_terms, [f.record.title for f in fitting if f.relevance[1]])
                lines.append(say("list.section.fits_not_named", constraints=constraints, named=named))
            elif kind == "fits" and off_level(m, c):
                new = c.experience == "new"
                lines.append(say("list.section.fits_new") if new else say("list.section.fits_experienced"))
            elif kind == "fits":
                lines.append(say("list.section.fits", constraints=constraints, field=describe_fields(c.fields)))
            else:
                lines.append(say("list.section.unchecked" if kind == "unchecked" else "list.section.breaks"))
        previous = kind
        lines += {"fits": _fitting_lines, "unchecked": _unchecked_lines, "breaks": _breaking_lines}[kind](m, i)
    hint = say("list.follow_up_hint") if fitting else (say("list.near_hint") if near else "")
    return " ".join([intro, heading] if intro else [heading]), lines, hint


def as_written(terms: tuple[str, ...], titles: list[str]) -> str:
    """The person's words for what they want, as the titles write them ("aws" → "AWS")."""
    for term in terms:
        for title in titles:
            at = title.lower().find(term)
            if at >= 0:
                end = at + len(term)
                while end < len(title) and title[end].isalpha():
                    end += 1  # a stem ("epidemiolog") to its word
                return title[at:end]
    return terms[0]


def recommendation_text(
    fitting: list[Match], near: list[Match], c: Constraints, intro: str = "", more: bool = False
) -> str:
    heading, lines, hint = recommendation_parts(fitting, near, c, intro, more)
    return "\n".join([heading, *lines] + ([hint] if hint else []))


def credential_payload(matches: list[Match], heading: str = "", hint: str = "") -> dict:
    """The machine-readable list that the web widget draws as cards (and Slack as blocks)."""
    items = [
        {
            **m.to_item(),
            "kind": TYPE_LABEL.get(m.record.credential_type, m.record.credential_type),
            "price_text": _price_text(m.record),
            "delivery": m.record.delivery_mode,
        }
        for m in matches
    ]
    return {"type": "credential_list", "intro": heading, "hint": hint, "items": items}


def _price_text(r: CredentialRecord) -> str:
    if r.price_amount is None:
        return say("price.unknown")
    if r.price_amount == 0 and not r.certificate_price:
        free = say("price.free_with_certificate")
        return say("price.access_expires", price=free, weeks=weeks_text(r.access_weeks)) if r.access_weeks else free
    base = format_money(r.price_amount, r.price_currency)
    if r.price_basis == "per_month":
        if r.duration_weeks is None:  # a total over one month would be a guess
            base = say("price.monthly_length_unknown", price=base)
        else:
            base = say("price.monthly", price=base, total=format_money(total_cost(r) or 0, r.price_currency))
        if r.price_scope == "platform":
            base = say("price.platform_subscription", price=base, platform=r.platform or r.provider)
    if r.certificate_price:
        base = say(
            "price.plus_certificate", price=base, certificate=format_money(r.certificate_price, r.price_currency)
        )
    if r.free_to_audit:
        base = say("price.free_to_audit", price=base)
    if r.access_weeks:
        base = say("price.access_expires", price=base, weeks=weeks_text(r.access_weeks))
    return base


def accreditation_text(r: CredentialRecord) -> str:
    parts = []
    if r.qa_type and not r.qa_type.lower().startswith("none"):
        if r.qa_body:
            parts.append(say("accreditation.recorded_by", qa_type=r.qa_type, body=r.qa_body))
        else:
            parts.append(say("accreditation.recorded", qa_type=r.qa_type))
    elif r.provider_kind == "university" and r.provider_legitimacy == "verified" and r.provider_evidence:
        # "is the RIT one accredited?": the university is, and its own courses come under its quality assurance
        parts.append(say("accreditation.university", title=r.title, provider=r.provider, evidence=r.provider_evidence))
        return " ".join(parts)
    else:
        parts.append(say("accreditation.not_recorded", title=r.title))
    if r.provider_legitimacy == "verified" and r.provider_evidence:
        parts.append(say("accreditation.provider_verified_because", provider=r.provider, evidence=r.provider_evidence))
    elif r.provider_legitimacy == "verified":
        parts.append(say("accreditation.provider_verified", provider=r.provider))
    else:
        parts.append(say("accreditation.provider_not_verified", provider=r.provider))
    parts.append(say("accreditation.own_certificate"))
    return " ".join(parts)


def provider_text(r: CredentialRecord) -> str:
    """Whether the provider is what it says it is: yes with the catalogue's evidence, or that our data
    does not verify it; then what the course itself has (:func:`accreditation_text`)."""
    if r.provider_legitimacy == "verified" and r.provider_evidence:
        head = say("accreditation.provider_real", provider=r.provider, evidence=r.provider_evidence)
    elif r.provider_legitimacy == "verified":
        head = say("accreditation.provider_verified", provider=r.provider)
    else:
        return accreditation_text(r)  # (says first that the provider is not verified)
    own_qa = r.qa_type and not r.qa_type.lower().startswith("none")
    if r.provider_kind == "university" and not own_qa:
        return f"{head} {say('accreditation.university_course')}"
    return f"{head} {accreditation_text(r).split('. ')[0].rstrip('.')}."


def recognition_text(r: CredentialRecord) -> str:
    if r.recognitions:
        items = "; ".join(f"{by}" + (f" ({url})" if url else "") for by, url in r.recognitions)
        text = say("recognition.recorded", title=r.title, recognitions=items)
    else:
        text = say("recognition.none", title=r.title)
    if r.unconfirmed_claims:  # recorded, but no source confirms them: said as such, never claimed
        text += " " + say("recognition.unconfirmed", claims="; ".join(r.unconfirmed_claims))
    return text


def price_answer(r: CredentialRecord) -> str:
    """What it costs, in the currency the provider states (named in words: "$" alone does not say which dollar)."""
    if r.price_amount is None:
        return say("price.answer_unknown", title=r.title)
    currency = r.price_currency or ""
    named = CURRENCY_NAMES.get(currency, currency)
    return say("price.answer", title=r.title, price=_price_text(r), currency_name=named, currency=currency)


def detail_text(r: CredentialRecord, aspect: str = "all", region: str | None = None) -> str:
    """What the person asked about one credential; for credit, with how credit counts where they are
    (``region``: a bot.language.countries code), when they said; for recognition, how employers there judge it."""
    body = _detail(r, aspect)
    note = credit_note(region) if aspect == "credit" else recognition_note(region) if aspect == "recognition" else None
    return (f"{body} {note}" if note else body) + "\n" + source_line(r)


def _detail(r: CredentialRecord, aspect: str) -> str:
    if aspect == "price":
        return price_answer(r)
    if aspect == "provider":  # "is Deakin a real university?", "is it legit?"
        body = provider_text(r)
    elif aspect == "accreditation":
        body = accreditation_text(r)
    elif aspect == "recognition":
        body = recognition_text(r)
    elif aspect == "credit":
        body = credit_description(r)
        if r.stackable_into and r.stackable_into.rstrip(".") not in body:
            body += " " + say("details.leads_to_sentence", pathway=r.stackable_into.rstrip("."))
    else:
        body = "\n".join(_all_lines(r))
    return body


def _workload_line(r: CredentialRecord) -> str:
    plan = r.duration_weeks and r.hours_per_week
    if r.workload_hours and plan:
        return say(
            "details.workload_stated_plan",
            hours=f"{r.workload_hours:g}",
            weeks=weeks_text(r.duration_weeks),
            weekly=f"{r.hours_per_week:g}",
        )
    if r.workload_hours:
        return say("details.workload_stated", hours=f"{r.workload_hours:g}")
    if plan:
        return say(
            "details.workload_plan",
            weeks=weeks_text(r.duration_weeks),
            weekly=f"{r.hours_per_week:g}",
            hours=f"{r.duration_weeks * r.hours_per_week:.0f}",
        )
    return say("details.workload_unknown")


def assessment_line(r: CredentialRecord) -> str:
    """The assessment as the record states it, with whether it is supervised and identity-checked."""
    if r.assessment_supervised is None:
        supervision = say("details.supervision_unknown")
    else:
        supervision = say("details.supervised" if r.assessment_supervised else "details.not_supervised")
    if r.identity_verified is not None:
        if r.identity_verified:
            supervision = say("details.identity_checked", supervision=supervision)
        else:
            supervision = say("details.identity_not_checked", supervision=supervision)
    return say("details.assessment", assessment=r.assessment_type, supervision=supervision)


def _all_lines(r: CredentialRecord) -> list[str]:
    """Everything our data says of one credential, a line each."""
    kind = TYPE_LABEL.get(r.credential_type, r.credential_type)
    lines = [f"{r.title} — {r.provider} ({kind})"]
    if r.platform and r.platform != r.provider:
        lines.append(say("details.platform", platform=r.platform))
    if r.co_providers:
        lines.append(say("details.co_providers", providers=", ".join(r.co_providers)))
    lines.append(say("details.price", price=_price_text(r)))
    lines.append(_workload_line(r))
    if r.learning_outcomes:
        lines.append(say("details.outcomes", outcomes="; ".join(r.learning_outcomes[:4])))
    if r.prerequisites:
        lines.append(say("details.prerequisites", prerequisites=r.prerequisites))
    if r.delivery_mode:
        lines.append(say("details.delivery", delivery=MODE_LABEL.get(r.delivery_mode, r.delivery_mode)))
    level = r.level or say("details.level_unknown")
    if r.level_eqf:
        lines.append(say("details.level_eqf", level=level, eqf=r.level_eqf))
    else:
        lines.append(say("details.level", level=level))
    if r.assessment_type:
        lines.append(assessment_line(r))
    lines.append(say("details.credit", credit=credit_description(r)))
    lines.append(say("details.accreditation", accreditation=accreditation_text(r)))
    lines.append(say("details.recognition", recognition=recognition_text(r)))
    if r.stackable_into:
        lines.append(say("details.leads_to", pathway=r.stackable_into))
    return lines
