"""The recommendation query, in SQL, at any catalogue size.

:func:`bot.matching.rank` is the reference: it evaluates every credential that serves an aim. With a
catalogue of 100,000 credentials that is far too slow, so :func:`search` asks the database only for
candidates, and gives the same answer:

* Each credential stores the parts of its score and cost that do not depend on the person
  (``quality_score``, ``cost_min``, ``cost_min_usd``: see :func:`derived_values`).
* The stated budget, time, weekly hours, credit and filters become SQL conditions that every fitting
  credential must meet (necessary, never stricter than the matcher), and candidates are read best
  ``quality_score`` first through the ``ix_credentials_rank`` index, a page at a time.
* A credential's score is its aim part plus ``quality_score``, minus a penalty when its facts are
  stale. For a set of aims S served together, the aim part is fixed, so once the next unread
  ``quality_score`` plus that aim part falls below the score of the N-th best fitting credential
  found so far, no unread credential can enter the list and reading stops.
* Near misses (only needed when few fit) are the credentials that break fewest constraints, by
  least overshoot: the database orders them by an estimate of both and returns the nearest
  :data:`NEAR_CANDIDATES`, which the matcher then ranks exactly.
"""
from __future__ import annotations

import datetime as dt
import itertools
import logging
from typing import Callable, Iterable

from sqlalchemy import and_, case, exists, func, literal, not_, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.aims import TECH_AIMS
from bot.db import Credential, CredentialAim, ExchangeRate, Provider, session_scope
from bot.matching import (
    CREDIT_BEARING,
    ONLINE_MODES,
    STALE_PENALTY,
    Constraints,
    CredentialRecord,
    Match,
    Rates,
    evaluate_many,
    fitting_order,
    order,
    static_score,
    total_cost,
)

log = logging.getLogger(__name__)

PAGE = 40
NEAR_CANDIDATES = 200
#: Subsets of aims are searched separately up to this many aims; beyond it, one search over all of them.
MAX_AIMS_SPLIT = 3
EPS = 1e-6


# ------------------------------------------------------------------------------------------------
# Derived columns
# ------------------------------------------------------------------------------------------------

def derived_values(r: CredentialRecord, usd_per_unit: dict[str, float]) -> dict:
    """The stored, person-independent parts of matching for one credential."""
    cost = total_cost(r)  # the least it can cost: at its nominal duration
    rate = usd_per_unit.get(r.price_currency or "USD")
    return {
        "cost_min": cost,
        "cost_min_usd": None if cost is None or rate is None else cost * rate,
        "quality_score": static_score(r),
    }


def refresh_search_columns(engine: Engine, only_missing: bool = False) -> int:
    """Recompute the derived columns (all rows, or only those never computed); returns how many."""
    with session_scope(engine) as session:
        stmt = select(Credential.id)
        if only_missing:
            stmt = stmt.where(Credential.quality_score.is_(None))
        ids = list(session.execute(stmt).scalars())
        refresh_rows(session, ids)
    return len(ids)


def refresh_rows(session: Session, ids: Iterable[str], chunk: int = 1000,
                 progress: Callable[[int, int], None] | None = None) -> None:
    """Recompute the derived columns of these credentials in the caller's transaction."""
    from bot.repository import record_of

    ids = list(ids)
    rates = {r.currency: r.usd_per_unit for r in session.execute(select(ExchangeRate)).scalars()}
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        rows = session.execute(select(Credential).where(Credential.id.in_(part))).unique().scalars().all()
        for row in rows:
            for key, value in derived_values(record_of(row), rates).items():
                setattr(row, key, value)
        session.flush()
        if progress:
            progress(min(start + chunk, len(ids)), len(ids))


def refresh_costs_in_usd(session: Session) -> None:
    """After the rate table changed: every ``cost_min_usd`` again from ``cost_min``, in one statement."""
    rate = (select(ExchangeRate.usd_per_unit)
            .where(ExchangeRate.currency == func.coalesce(Credential.price_currency, "USD"))
            .scalar_subquery())
    session.execute(update(Credential).values(cost_min_usd=Credential.cost_min * rate)
                    .execution_options(synchronize_session=False))


# ------------------------------------------------------------------------------------------------
# Conditions every fitting credential meets
# ------------------------------------------------------------------------------------------------

def _budget_ok(c: Constraints, rates: Rates):
    """SQL for "does not break the budget" (None: no budget to break)."""
    b = c.budget
    if b is None or b.kind == "unlimited":
        return None
    limit = (b.max_amount or 0.0) + 0.005
    known = Credential.price_amount.isnot(None)
    if b.currency is None:  # compared in the credential's own currency
        return and_(known, Credential.cost_min <= limit + EPS)
    rate = rates.usd_per_unit.get(b.currency)
    if rate is None:  # only the same currency can be compared; the rest get a caveat, not a break
        return and_(known, or_(func.coalesce(Credential.price_currency, "USD") != b.currency,
                               Credential.cost_min <= limit + EPS))
    return and_(known, or_(Credential.cost_min_usd.is_(None),
                           Credential.cost_min_usd <= limit * rate * (1 + 1e-9) + EPS))


def _time_parts(c: Constraints):
    """SQL for (weekly hours kept, weeks kept), each None when not stated; unknown workloads pass."""
    dur, hpw = Credential.duration_weeks, Credential.hours_per_week
    unknown = or_(dur.is_(None), hpw.is_(None))
    self_paced = Credential.delivery_mode == "online_self_paced"
    have_h, have_w = c.hours_per_week, c.weeks
    weekly_ok = weeks_ok = None
    if have_h is not None:
        weekly_ok = or_(unknown, hpw <= have_h, self_paced)
    if have_w is not None:
        needed = dur
        if have_h:
            needed = case((and_(hpw > have_h, self_paced), dur * hpw / have_h), else_=dur)
        weeks_ok = or_(unknown, needed <= have_w + EPS)
    return weekly_ok, weeks_ok


def _credit_ok(c: Constraints):
    if not c.credit_required:
        return None
    return and_(Credential.credit_value > 0, Credential.credit_status.in_(CREDIT_BEARING))


def _filters(c: Constraints, exclude: Iterable[str]) -> list:
    """The person's filters: these leave credentials out entirely (they are never near misses)."""
    conds = []
    exclude = list(exclude)
    if exclude:
        conds.append(Credential.id.notin_(exclude))
    if c.credential_type:
        conds.append(Credential.credential_type == c.credential_type)
    if c.online_only:
        conds.append(Credential.delivery_mode.in_(ONLINE_MODES))
    if c.level:
        conds.append(Credential.level == c.level)
    if c.provider_kinds:
        conds.append(exists().where(and_(Provider.id == Credential.provider_id, Provider.kind.in_(c.provider_kinds))))
    return conds


def _serves(aims: Iterable[str]):
    return [exists().where(and_(CredentialAim.credential_id == Credential.id, CredentialAim.aim == a)) for a in aims]


def _serves_any(aims: Iterable[str]):
    return exists().where(and_(CredentialAim.credential_id == Credential.id, CredentialAim.aim.in_(list(aims))))


def _streams(c: Constraints) -> list[tuple[list, float]]:
    """(SQL conditions, the highest aim part of the score a credential read there can have), best first.

    A credential serving exactly the aims S is read in the stream for S, whose aim part is exact.
    """
    aims = list(dict.fromkeys(c.aims))
    if not aims:
        return [([], 0.0)]
    if set(c.aims) == set(TECH_AIMS) or len(aims) > MAX_AIMS_SPLIT:
        return [([_serves_any(aims)], 5.0)]
    out = []
    for k in range(len(aims), 0, -1):
        for subset in itertools.combinations(aims, k):
            out.append((_serves(subset), 5.0 * k / len(c.aims)))
    return out


# ------------------------------------------------------------------------------------------------
# The query
# ------------------------------------------------------------------------------------------------

def _records(session: Session, stmt) -> list[CredentialRecord]:
    from bot.repository import record_of

    return [record_of(row) for row in session.execute(stmt).unique().scalars().all()]


def search(
    engine: Engine,
    c: Constraints,
    rates: Rates,
    today: dt.date,
    stale_after_days: int = 365,
    exclude: Iterable[str] = (),
    cheaper_than: float | None = None,
    n: int = 5,
    near_wanted: Callable[[int], int] = lambda fitting: 0,
) -> tuple[list[Match], list[Match]]:
    """The ``n`` best fitting credentials and ``near_wanted(len(fitting))`` nearest misses, as
    :func:`bot.matching.rank` would order them over the whole catalogue."""
    exclude = set(exclude)
    filters = _filters(c, exclude)
    budget_ok = _budget_ok(c, rates)
    weekly_ok, weeks_ok = _time_parts(c)
    credit_ok = _credit_ok(c)
    fit_conds = [x for x in (budget_ok, weekly_ok, weeks_ok, credit_ok) if x is not None]
    if cheaper_than is not None:
        fit_conds.append(Credential.price_amount.isnot(None))

    fitting: dict[str, Match] = {}
    seen: set[str] = set()

    def evaluate(records: list[CredentialRecord]) -> list[Match]:
        return evaluate_many(records, c, rates, today, stale_after_days, exclude, cheaper_than)

    with session_scope(engine) as session:
        for stream_conds, aim_part in _streams(c):
            offset = 0
            while True:
                stmt = (select(Credential).where(*filters, *fit_conds, *stream_conds)
                        .order_by(Credential.quality_score.desc(), Credential.id.desc())
                        .offset(offset).limit(PAGE))
                records = _records(session, stmt)
                fresh = [r for r in records if r.id not in seen]
                seen.update(r.id for r in fresh)
                for m in evaluate(fresh):
                    if not m.breaks:
                        fitting[m.record.id] = m
                if len(records) < PAGE:
                    break
                best = sorted(fitting.values(), key=fitting_order)[:n]
                threshold = best[-1].score if len(best) >= n else float("-inf")
                last = session.execute(
                    select(Credential.quality_score).where(Credential.id == records[-1].id)).scalar_one()
                if last + aim_part < threshold - EPS:
                    break
                offset += PAGE
        top = sorted(fitting.values(), key=fitting_order)[:n]
        n_near = near_wanted(len(top))
        near: list[Match] = []
        if n_near:
            near = _near_misses(session, c, rates, today, stale_after_days, exclude, cheaper_than, filters,
                                budget_ok, weekly_ok, weeks_ok, credit_ok)[:n_near]
    return top, near


def _near_misses(session, c, rates, today, stale_after_days, exclude, cheaper_than, filters,
                 budget_ok, weekly_ok, weeks_ok, credit_ok) -> list[Match]:
    breaks = [case((cond, 0), else_=1) for cond in (budget_ok, weekly_ok, weeks_ok, credit_ok) if cond is not None]
    if not breaks:
        return []
    n_breaks = sum(breaks[1:], breaks[0])
    aims = [_serves_any(c.aims)] if c.aims else []
    # A subscription's cost grows when someone needs longer than its nominal duration, so one may
    # break the budget although its least cost does not: those are read too.
    stmt = (select(Credential).where(*filters, *aims, or_(n_breaks > 0, Credential.price_basis == "per_month"))
            .order_by(n_breaks, _overshoot_estimate(c, rates, budget_ok, weekly_ok, weeks_ok),
                      Credential.quality_score.desc(), Credential.title)
            .limit(NEAR_CANDIDATES))
    matches = evaluate_many(_records(session, stmt), c, rates, today, stale_after_days, exclude, cheaper_than)
    return order(matches, c)[1]


def _overshoot_estimate(c: Constraints, rates: Rates, budget_ok, weekly_ok, weeks_ok):
    """SQL estimate of :func:`bot.matching._overshoot` (least cost, nominal duration)."""
    dur, hpw = Credential.duration_weeks, Credential.hours_per_week
    parts = [literal(0.0)]
    b = c.budget
    if budget_ok is not None:
        limit = b.max_amount or 0.0
        rate = rates.usd_per_unit.get(b.currency) if b.currency else None
        if rate:
            over = (Credential.cost_min_usd / rate - limit) / max(limit, 50.0)
            parts.append(case((and_(not_(budget_ok), Credential.cost_min_usd.isnot(None)), over), else_=0.0))
        else:
            over = (Credential.cost_min - limit) / max(limit, 50.0)
            parts.append(case((and_(not_(budget_ok), Credential.cost_min.isnot(None)), over), else_=0.0))
    if weeks_ok is not None and c.weeks:
        hours = c.hours_per_week
        weekly = case((hpw > hours, literal(float(hours))), else_=hpw) if hours else hpw
        parts.append(case((and_(not_(weeks_ok), dur.isnot(None), hpw.isnot(None)),
                           dur * hpw / weekly / c.weeks - 1), else_=0.0))
    if weekly_ok is not None and c.hours_per_week:
        parts.append(case((not_(weekly_ok), hpw / c.hours_per_week - 1), else_=0.0))
    return sum(parts[1:], parts[0])


__all__ = ["derived_values", "refresh_costs_in_usd", "refresh_rows", "refresh_search_columns", "search",
           "STALE_PENALTY"]
