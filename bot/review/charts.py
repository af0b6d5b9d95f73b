"""The figures a careers service puts in a report, from the conversation summaries.

No group of fewer than :data:`SMALLEST_GROUP` conversations is shown: it is left out and counted in
``hidden``, so a rare aim or an odd budget cannot point at one person.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.review.tables import SUMMARIES

SMALLEST_GROUP = 5
BUDGET_BANDS = ((0, "free"), (100, "up to 100"), (500, "101 to 500"), (1000, "501 to 1,000"), (None, "over 1,000"))
WEEK_BANDS = ((4, "up to 4 weeks"), (13, "5 to 13 weeks"), (26, "14 to 26 weeks"), (None, "over 26 weeks"))
HOUR_BANDS = ((3, "up to 3 h a week"), (6, "4 to 6 h a week"), (10, "7 to 10 h a week"), (None, "over 10 h a week"))


def _band(value: float | None, bands) -> str | None:
    if value is None:
        return None
    for top, label in bands:
        if top is None or value <= top:
            return label
    return None


def _shown(counter: Counter, order: list[str] | None = None, limit: int | None = None) -> dict:
    """Groups of at least SMALLEST_GROUP, in order (or largest first), and how many were left out."""
    keys = [k for k in (order or [k for k, _ in counter.most_common()]) if counter.get(k)]
    big = [(k, counter[k]) for k in keys if counter[k] >= SMALLEST_GROUP]
    hidden = sum(n for k, n in counter.items() if n < SMALLEST_GROUP)
    return {"labels": [k for k, _ in big[:limit]], "values": [n for _, n in big[:limit]], "hidden": hidden}


def report(project: Engine, since: float | None = None) -> dict:
    s = SUMMARIES.c
    query = select(
        s.first_ts,
        s.channel,
        s.fallback,
        s.out_of_scope,
        s.handoff,
        s.nothing_fitted,
        s.waiting_for_list,
        s.career_aim,
        s.budget_amount,
        s.budget_currency,
        s.budget_kind,
        s.weeks,
        s.hours_per_week,
        s.recommended,
    )
    if since is not None:
        query = query.where(s.last_ts >= since)
    with project.connect() as conn:
        rows = conn.execute(query).all()
    per_day: dict[str, Counter] = {}
    rates = Counter()
    aims, budgets, weeks, hours, recommended = Counter(), Counter(), Counter(), Counter(), Counter()
    for r in rows:
        day = dt.datetime.fromtimestamp(r.first_ts, dt.timezone.utc).date().isoformat()
        per_day.setdefault(day, Counter())[r.channel] += 1
        rates["all"] += 1
        rates["fallback"] += bool(r.fallback)
        rates["out_of_scope"] += bool(r.out_of_scope)
        rates["handoff"] += bool(r.handoff)
        rates["nothing"] += bool(r.nothing_fitted or r.waiting_for_list)
        if r.career_aim:
            aims[r.career_aim.replace("_", " ")] += 1
        band = "free" if r.budget_kind == "free" else _band(r.budget_amount, BUDGET_BANDS)
        if band:
            budgets[f"{band} ({r.budget_currency})" if band != "free" and r.budget_currency else band] += 1
        if (w := _band(r.weeks, WEEK_BANDS)) is not None:
            weeks[w] += 1
        if (h := _band(r.hours_per_week, HOUR_BANDS)) is not None:
            hours[h] += 1
        recommended.update(i for i in r.recommended.split("|") if i)
    return {
        "conversations": rates["all"],
        "per_day": _per_day(per_day),
        "rates": _rates(rates),
        "aims": _shown(aims, limit=15),
        "budgets": _shown(budgets),
        "weeks": _shown(weeks, [label for _, label in WEEK_BANDS]),
        "hours": _shown(hours, [label for _, label in HOUR_BANDS]),
        "recommended": _shown(recommended, limit=10),
        "smallest_group": SMALLEST_GROUP,
    }


def _per_day(per_day: dict[str, Counter]) -> dict:
    days = sorted(per_day)[-90:]
    channels = sorted({c for d in days for c in per_day[d]})
    series = {}
    hidden = 0
    for c in channels:
        values = []
        for d in days:
            n = per_day[d].get(c, 0)
            values.append(n if n >= SMALLEST_GROUP or n == 0 else None)
            hidden += n if 0 < n < SMALLEST_GROUP else 0
        series[c] = values
    return {"labels": days, "series": series, "hidden": hidden}


def _rates(rates: Counter) -> dict:
    total = rates["all"]
    names = {
        "fallback": "fallback",
        "out_of_scope": "out of scope",
        "handoff": "asked for a person",
        "nothing": "nothing fitted",
    }
    labels, values, counts, hidden = [], [], [], []
    for key, label in names.items():
        n = rates[key]
        if total >= SMALLEST_GROUP and (n == 0 or n >= SMALLEST_GROUP):
            labels.append(label)
            counts.append(n)
            values.append(round(100 * n / total, 1))
        elif total >= SMALLEST_GROUP:
            hidden.append(label)
    return {"labels": labels, "values": values, "counts": counts, "total": total, "hidden": hidden}
