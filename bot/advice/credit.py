"""What a credential's academic credit is, in words: yes or no first, then where it counts."""

from __future__ import annotations

from bot.language.messages import say
from bot.model import CREDIT_SYSTEM_LABEL, ECTS_PER_POINT, CredentialRecord


def credit_amount(r: CredentialRecord) -> str:
    """How much credit, with its unit ("12 ECTS"), and its ECTS equivalent where the national system defines
    one ("60 SCQF credit points (30 ECTS)")."""
    unit = CREDIT_SYSTEM_LABEL.get(r.credit_system or "", r.credit_system or "credits")
    per_point = ECTS_PER_POINT.get(r.credit_system or "")
    if per_point and r.credit_system != "ECTS":
        return f"{r.credit_value:g} {unit} ({r.credit_value * per_point:g} ECTS)"
    return f"{r.credit_value:g} {unit}"


def regulated_qualification(r: CredentialRecord) -> bool:
    """A qualification on a national framework (RQF under Ofqual, SCQF, Australian VET): it has a recognised
    level, and universities may give credit for it, even when the catalogue records no credit of its own."""
    qa = (r.qa_type or "").lower()
    return "regulated qualification" in qa or "nationally recognised" in qa


def credit_description(r: CredentialRecord) -> str:
    if not r.credit_value:
        if r.stackable_into and "credit" in r.stackable_into.lower():
            # "no credit" and "pathway credit" side by side read as a contradiction: say how both hold
            return say("credit.none_but_pathway", pathway=r.stackable_into.rstrip("."))
        if regulated_qualification(r):
            return say("credit.none_but_regulated", qa=r.qa_type, body=r.qa_body or "its regulator")
        return say("credit.none")
    amount = credit_amount(r)
    if r.credit_status == "awarded" and r.credit_eligibility:
        text = say("credit.awarded_to_some", amount=amount, eligibility=r.credit_eligibility.rstrip("."))
    elif r.credit_status == "awarded":
        text = say("credit.awarded", amount=amount)
    elif r.credit_status == "recommended":
        text = say("credit.recommended", amount=amount)
        if r.credit_system == "US":
            text += " " + say("credit.recommended_us")
    elif r.credit_status == "pathway":
        text = say("credit.pathway", amount=amount)
    elif r.credit_status == "rpl":
        text = say("credit.rpl", amount=amount)
    else:
        text = say("credit.status_unknown", amount=amount)
    if r.credit_note:
        text += f" {r.credit_note.rstrip('.')}."
    if r.credit_value and r.fact_check("credit") is not None and not r.fact_check("credit").confirmed:
        text += " " + say("credit.unconfirmed")
    return text
