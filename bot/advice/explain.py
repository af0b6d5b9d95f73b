"""Turn matches and records into the words and payloads people see."""

from __future__ import annotations

from bot.advice.matching import Match, credit_description, describe_constraints, total_cost
from bot.language.countries import credit_note
from bot.language.currencies import CURRENCY_NAMES
from bot.language.fields import describe_fields
from bot.language.parsing import format_money
from bot.model import Constraints, CredentialRecord

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
FOLLOW_UP_HINT = (
    'Ask me about any of them ("tell me more about the second one", "is it accredited?", '
    '"does it carry credit?"), or say "cheaper ones", "other options" or change your budget, time or aim.'
)


def source_line(r: CredentialRecord) -> str:
    return f"Source: {r.source_url} (checked {r.last_checked.isoformat()})"


def _header(m: Match, i: int) -> str:
    r = m.record
    kind = TYPE_LABEL.get(r.credential_type, r.credential_type)
    return f"{i}. {r.title} — {r.provider} ({kind})"


NEAR_HINT = "You could raise your budget, allow more weeks or hours, or change your aim: just tell me."


def closer_unchecked_first(fitting: list[Match], near: list[Match], c: Constraints) -> bool:
    """Whether options that could not be checked are more about the person's field than every option
    that fits (exams whose preparation time is not stated, say): then they are shown first, labelled."""
    unchecked = [m for m in near if not m.breaks]
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
    when it is closer to the person's field), what breaks something."""
    unchecked = [m for m in near if not m.breaks]
    breaking = [m for m in near if m.breaks]
    first = unchecked + fitting if closer_unchecked_first(fitting, near, c) else fitting + unchecked
    return first + breaking


def _fitting_lines(m: Match, i: int) -> list[str]:
    lines = [_header(m, i), "   Why it fits: " + "; ".join(m.fit)]
    if m.caveats:
        lines.append("   Caveats: " + " ".join(m.caveats))
    return lines + ["   " + source_line(m.record)]


def _unchecked_lines(m: Match, i: int) -> list[str]:
    lines = [_header(m, i), "   Could not check: " + "; ".join(m.unknown_reasons)]
    if m.fit:
        lines.append("   Known: " + "; ".join(m.fit))
    if m.caveats:
        lines.append("   Caveats: " + " ".join(m.caveats))
    return lines + ["   " + source_line(m.record)]


def _breaking_lines(m: Match, i: int) -> list[str]:
    lines = [_header(m, i), "   Breaks: " + "; ".join(m.break_reasons + m.unknown_reasons)]
    if m.fit:
        lines.append("   Still: " + "; ".join(m.fit))
    if m.caveats:
        lines.append("   Caveats: " + " ".join(m.caveats))
    return lines + ["   " + source_line(m.record)]


def _heading(fitting: list[Match], near: list[Match], c: Constraints, constraints: str) -> str:
    n = len(fitting)
    if fitting and closer_unchecked_first(fitting, near, c):
        return (
            f"The options closest to {describe_fields(c.fields)} are listed first, but our data lacks what I "
            f"need to check them against what you said ({constraints}):"
        )
    if fitting:
        return f"Here {'is 1 option that fits' if n == 1 else f'are {n} options that fit'} ({constraints}):"
    if near and all(not m.breaks for m in near):
        return (
            f"Nothing in our catalogue is known to fit all of that ({constraints}). "
            "These may, but our data lacks what I need to check them:"
        )
    if near:
        return (
            f"Nothing in our catalogue fits all of that ({constraints}). "
            "These are the nearest options, and what each one breaks:"
        )
    return (
        f"I found nothing in our catalogue for {constraints or 'that'}. "
        'Try a broader aim (for example "technology" or "business").'
    )


def recommendation_parts(
    fitting: list[Match], near: list[Match], c: Constraints, intro: str = ""
) -> tuple[str, list[str], str]:
    """(heading, body lines, closing hint) of a recommendation reply, numbered as :func:`in_reply_order`."""
    constraints = describe_constraints(c)
    heading = _heading(fitting, near, c, constraints)
    fits = {id(m) for m in fitting}
    lines: list[str] = []
    # the heading introduces the first kind listed
    previous = ("unchecked" if closer_unchecked_first(fitting, near, c) else "fits") if fitting else None
    for i, m in enumerate(in_reply_order(fitting, near, c), 1):
        kind = "fits" if id(m) in fits else ("breaks" if m.breaks else "unchecked")
        if kind != previous and i > 1:
            lines.append(
                {
                    "fits": f"These fit everything you said ({constraints}), but are less about "
                    f"{describe_fields(c.fields)}:",
                    "unchecked": "These may fit too, but I could not check them against what you said:",
                    "breaks": "Close, but each of these breaks something you said:",
                }[kind]
            )
        previous = kind
        lines += {"fits": _fitting_lines, "unchecked": _unchecked_lines, "breaks": _breaking_lines}[kind](m, i)
    hint = FOLLOW_UP_HINT if fitting else (NEAR_HINT if near else "")
    return " ".join([intro, heading] if intro else [heading]), lines, hint


def recommendation_text(fitting: list[Match], near: list[Match], c: Constraints, intro: str = "") -> str:
    heading, lines, hint = recommendation_parts(fitting, near, c, intro)
    return "\n".join([heading, *lines] + ([hint] if hint else []))


def credential_payload(matches: list[Match], heading: str = "", hint: str = "") -> dict:
    """The machine-readable list that the web widget draws as cards (and Slack as blocks)."""
    return {"type": "credential_list", "intro": heading, "hint": hint, "items": [m.to_item() for m in matches]}


def _price_text(r: CredentialRecord) -> str:
    if r.price_amount is None:
        return "price not stated in our data"
    if r.price_amount == 0 and not r.certificate_price:
        return "free, certificate included"
    base = format_money(r.price_amount, r.price_currency)
    if r.price_basis == "per_month":
        base += f" a month (about {format_money(total_cost(r) or 0, r.price_currency)} at the usual pace)"
    if r.certificate_price:
        base += f" plus {format_money(r.certificate_price, r.price_currency)} for the certificate or exam"
    if r.free_to_audit:
        base += "; free to audit without the certificate"
    return base


def accreditation_text(r: CredentialRecord) -> str:
    parts = []
    if r.qa_type and not r.qa_type.lower().startswith("none"):
        qa = f"Yes: quality assurance is recorded, {r.qa_type}" + (f" ({r.qa_body})" if r.qa_body else "") + "."
        parts.append(qa)
    else:
        parts.append(f"No: our data records no external quality assurance or accreditation for {r.title}.")
    if r.provider_legitimacy == "verified":
        parts.append(f"{r.provider} is a verified provider in our data.")
    else:
        parts.append(f"{r.provider}'s legitimacy is not verified in our data: check it before you pay.")
    parts.append("Using a provider's own certificate does not in itself mean official recognition.")
    return " ".join(parts)


def recognition_text(r: CredentialRecord) -> str:
    if r.recognitions:
        items = "; ".join(f"{by}" + (f" ({url})" if url else "") for by, url in r.recognitions)
        return f"Recognition recorded for {r.title}: {items}. Employers still judge it case by case."
    return (
        f"No employer or university recognition is recorded for {r.title} in our data. "
        "Employers may still value the skills: show what you built or learned, not only the certificate."
    )


def price_answer(r: CredentialRecord) -> str:
    """What it costs, in the currency the provider states (named in words: "$" alone does not say which dollar)."""
    if r.price_amount is None:
        return f"{r.title}: our data does not state its price; check the provider's page below."
    currency = r.price_currency or ""
    named = CURRENCY_NAMES.get(currency, currency)
    return f"{r.title}: {_price_text(r)}. The provider states the price in {named} ({currency})."


def detail_text(r: CredentialRecord, aspect: str = "all", region: str | None = None) -> str:
    """What the person asked about one credential; for credit, with how credit counts where they are
    (``region``: a bot.language.countries code), when they said."""
    text = _detail(r, aspect)
    note = credit_note(region) if aspect == "credit" else None
    if not note:
        return text
    body, _, source = text.rpartition("\n")
    return f"{body} {note}\n{source}"


def _detail(r: CredentialRecord, aspect: str) -> str:
    if aspect == "price":
        return price_answer(r) + "\n" + source_line(r)
    if aspect == "accreditation":
        body = accreditation_text(r)
    elif aspect == "recognition":
        body = recognition_text(r)
    elif aspect == "credit":
        body = credit_description(r)
        if r.stackable_into and r.stackable_into.rstrip(".") not in body:
            body += f" Where it can lead: {r.stackable_into.rstrip('.')}."
    else:
        kind = TYPE_LABEL.get(r.credential_type, r.credential_type)
        lines = [f"{r.title} — {r.provider} ({kind})"]
        if r.platform and r.platform != r.provider:
            lines.append(f"Taken on: {r.platform}")
        lines.append(f"Price: {_price_text(r)}")
        if r.workload_hours:
            lines.append(
                f"Workload: about {r.workload_hours:g} hours in all, as the provider states it"
                + (
                    f" ({r.duration_weeks:g} weeks at {r.hours_per_week:g} h a week)"
                    if r.duration_weeks and r.hours_per_week
                    else ""
                )
            )
        elif r.duration_weeks and r.hours_per_week:
            lines.append(
                f"Workload: about {r.duration_weeks:g} weeks at {r.hours_per_week:g} h a week ({r.duration_weeks * r.hours_per_week:.0f} hours)"
            )
        else:
            lines.append("Workload: not stated in our data")
        if r.learning_outcomes:
            lines.append("You learn to: " + "; ".join(r.learning_outcomes[:4]))
        if r.prerequisites:
            lines.append(f"Before you start: {r.prerequisites}")
        if r.delivery_mode:
            lines.append(f"Delivery: {MODE_LABEL.get(r.delivery_mode, r.delivery_mode)}")
        level = r.level or "not stated"
        if r.level_eqf:
            level += f", EQF level {r.level_eqf}"
        lines.append(f"Level: {level}")
        if r.assessment_type:
            sup = {True: "supervised", False: "not supervised"}.get(r.assessment_supervised, "supervision not stated")
            if r.identity_verified is not None:
                sup += ", identity checked" if r.identity_verified else ", identity not checked"
            lines.append(f"Assessment: {r.assessment_type} ({sup})")
        lines.append("Credit: " + credit_description(r))
        lines.append("Accreditation: " + accreditation_text(r))
        lines.append("Recognition: " + recognition_text(r))
        if r.stackable_into:
            lines.append(f"Where it can lead: {r.stackable_into}")
        body = "\n".join(lines)
    return body + "\n" + source_line(r)
