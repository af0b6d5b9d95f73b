"""What a credential's academic credit is, in words: yes or no first, then where it counts."""

from __future__ import annotations

from bot.model import CREDIT_SYSTEM_LABEL, CredentialRecord


def credit_description(r: CredentialRecord) -> str:
    if not r.credit_value:
        if r.stackable_into and "credit" in r.stackable_into.lower():
            # "no credit" and "pathway credit" side by side read as a contradiction: say how both hold
            return (
                "Not by itself: our data records no academic credit of its own, but it can count towards a "
                f"degree if you are admitted to a programme that accepts it ({r.stackable_into.rstrip('.')})."
            )
        return "No: it carries no academic credit of its own in our data."
    unit = CREDIT_SYSTEM_LABEL.get(r.credit_system or "", r.credit_system or "credits")
    amount = f"{r.credit_value:g} {unit}"
    if r.credit_status == "awarded":
        text = f"Yes: it awards {amount}; a university you apply to still decides whether to accept them."
    elif r.credit_status == "recommended":
        text = (
            f"Not as such: {amount} are only recommended (a credit recommendation, not credit): a college "
            "decides whether to award them."
        )
        if r.credit_system == "US":
            text += " ACE recommendations are taken up by some US colleges; outside the US they seldom count."
    elif r.credit_status == "pathway":
        text = f"Only on a pathway: {amount} count only if you are admitted to the programme it leads to."
    elif r.credit_status == "rpl":
        text = (
            f"It carries no credit of its own: {amount} may be granted through recognition of prior "
            "learning (RPL), if the university you apply to assesses and accepts it."
        )
    else:
        text = f"{amount} (status not stated)."
    if r.credit_note:
        text += f" {r.credit_note.rstrip('.')}."
    return text
