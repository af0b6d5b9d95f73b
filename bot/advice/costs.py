"""What a credential costs a person, and how that compares with their budget: the total for the time they
need (a subscription costs more the longer they take), in their budget's currency at the dated rates."""

from __future__ import annotations

import math

from bot.language.messages import say
from bot.language.parsing import describe_budget, format_approx, format_money
from bot.model import WEEKS_PER_MONTH, Budget, Constraints, CredentialRecord, Rates

UNKNOWN_BUDGET = "budget?"  # internal: the price could not be checked (becomes an unknown, not a break)


def least_cost_usd(r: "CredentialRecord", usd_per_unit: dict[str, float]) -> float | None:
    """What it costs at least (certificate included, at its nominal duration), in US dollars."""
    cost = total_cost(r)
    rate = usd_per_unit.get(r.price_currency or "USD")
    return None if cost is None or rate is None else cost * rate


def total_cost(r: CredentialRecord, weeks_taken: float | None = None) -> float | None:
    """The cost of finishing with the certificate, in the credential's own currency."""
    if r.price_amount is None:
        return None
    cost = r.price_amount
    if r.price_basis == "per_month":
        weeks = weeks_taken or r.duration_weeks or WEEKS_PER_MONTH
        cost = r.price_amount * max(1, math.ceil(weeks / WEEKS_PER_MONTH - 1e-9))
    if r.certificate_price:
        cost += r.certificate_price
    return cost


def _money_phrase(amount: float, currency: str, budget_currency: str | None, converted: float | None) -> str:
    if budget_currency and currency != budget_currency and converted is not None:
        return say(
            "money.converted",
            amount=format_money(amount, currency),
            converted=format_approx(converted, budget_currency),
        )
    return format_money(amount, currency)


def _unchecked_cost(r: CredentialRecord, b, weeks_needed: float | None) -> tuple[list, list, list] | None:
    """(fit, reasons, caveats) when the cost cannot be checked (no price, or a subscription of unknown
    length); None when it can. The reasons go with :data:`UNKNOWN_BUDGET`, which becomes an unknown."""
    if r.price_amount is None:
        caveats = [say("caveats.price_unknown")]
        if b is None or b.kind == "unlimited":
            return [], [], caveats
        if b.kind == "limit":
            return [], [say("unknown.price", budget=describe_budget(b))], caveats
        return [], [say("unknown.price_free")], caveats
    if r.price_basis == "per_month" and weeks_needed is None and r.duration_weeks is None:
        monthly = format_money(r.price_amount, r.price_currency or "USD")
        if b is None or b.kind == "unlimited":
            return [say("fit.cost_monthly_length_unknown", price=monthly)], [], []
        return [], [say("unknown.price_monthly", price=monthly, budget=describe_budget(b))], []
    return None


def _first_month_over(r: CredentialRecord, b, rates: Rates, weeks_needed: float | None) -> float | None:
    """For a subscription of unknown length: its least cost (one month, with any certificate fee) in the
    budget's currency when that alone is over the budget; None otherwise (then its total is unknown)."""
    if not (r.price_basis == "per_month" and r.price_amount and weeks_needed is None and r.duration_weeks is None):
        return None
    if b is None or b.kind == "unlimited":
        return None
    cur = r.price_currency or "USD"
    least = rates.convert(total_cost(r), cur, b.currency or cur)
    return least if least is not None and least > (b.max_amount or 0.0) + 0.005 else None


def cost_check(r: CredentialRecord, c: Constraints, rates: Rates, weeks_needed: float | None):
    """(cost in its own currency, cost in the budget's currency, fit reasons, break codes, break reasons,
    caveats) for someone who needs ``weeks_needed`` weeks."""
    fit, breaks, reasons, caveats = [], [], [], []
    cost = total_cost(r, weeks_needed)
    converted = None
    b = c.budget
    over = _first_month_over(r, b, rates, weeks_needed)
    if over is not None:  # a subscription of unknown length whose first month already breaks the budget
        monthly = format_money(r.price_amount, r.price_currency or "USD")
        return (
            cost,
            over,
            fit,
            ["budget"],
            [say("breaks.first_month", price=monthly, budget=describe_budget(b))],
            caveats,
        )
    unchecked = _unchecked_cost(r, b, weeks_needed)
    if unchecked is not None:
        fit, reasons, caveats = unchecked
        # Unknown is not "within budget": it is never shown as fitting a stated limit.
        return cost, converted, fit, [UNKNOWN_BUDGET] if reasons else [], reasons, caveats
    cur = r.price_currency or "USD"
    if r.price_basis == "per_month":
        months = max(1, math.ceil((weeks_needed or r.duration_weeks or WEEKS_PER_MONTH) / WEEKS_PER_MONTH - 1e-9))
        price, total = format_money(r.price_amount, cur), format_money(cost, cur)
        if months == 1:
            cost_text = say("cost.monthly_one_month", price=price, total=total)
        else:
            cost_text = say("cost.monthly", price=price, total=total, months=months)
    elif cost == 0:
        cost_text = say("cost.free")
    else:
        cost_text = format_money(cost, cur)
    if b is None or b.kind == "unlimited":
        if cost == 0:
            fit.append(say("fit.free_with_certificate"))
        else:
            fit.append(say("fit.cost_no_limit" if b else "fit.cost", cost=cost_text))
        return cost, converted, fit, breaks, reasons, caveats
    return _against_budget(r, b, rates, cost, cost_text)


def _against_budget(r: CredentialRecord, b: Budget, rates: Rates, cost: float, cost_text: str):
    """:func:`cost_check` for a budget with a limit (or free only), once the cost is known."""
    fit: list[str] = []
    breaks: list[str] = []
    reasons: list[str] = []
    caveats: list[str] = []
    cur = r.price_currency or "USD"
    limit = b.max_amount or 0.0
    bcur = b.currency or cur
    converted = rates.convert(cost, cur, bcur)
    if converted is None:
        caveats.append(say("caveats.no_rate", currency=cur, budget_currency=bcur))
        return cost, converted, fit, breaks, reasons, caveats
    if converted <= limit + 0.005:
        if cost == 0:
            fit.append(say("fit.free_with_certificate"))
        else:
            phrase = _money_phrase(cost, cur, bcur, converted) if r.price_basis != "per_month" else cost_text
            if limit:
                fit.append(say("fit.cost_within", cost=phrase, budget=format_money(limit, bcur)))
            else:
                fit.append(say("fit.cost_within_budget", cost=phrase))
    else:
        breaks.append("budget")
        if limit == 0:
            reasons.append(say("breaks.not_free", cost=cost_text))
        else:
            over = format_money(converted - limit, bcur) if cur == bcur else format_approx(converted - limit, bcur)
            reasons.append(say("breaks.budget", over=over, cost=cost_text))
        if r.free_to_audit:
            fit.append(say("fit.audit"))
    return cost, converted, fit, breaks, reasons, caveats
