"""The recommendation query, in SQL, at any catalogue size.

:func:`bot.advice.matching.rank` is the reference: it evaluates every credential that serves an aim. With a
catalogue of 100,000 credentials that is far too slow, so :func:`search` asks the database only for
candidates, and gives the same answer:

* Fitting credentials are ordered by :func:`bot.advice.matching.fitting_order`: how many of the person's aims
  they serve, then ``quality_score`` (quality and recognition signals), then ``cost_rank`` (least
  cost in US dollars), then id. None of these depends on the person except the first, so they are
  stored (:func:`bot.catalogue.derived.derived_values`), copied onto each (credential, aim) row, and indexed per aim.
* The stated budget, time, weekly hours, credit and filters become SQL conditions that every fitting
  credential meets (necessary, never stricter than the matcher, which has the last word).
* For each number of aims served, best first, each set of aims of that size is read from the index
  of one of its aims in exactly the final order, a page at a time, until it has given as many
  fitting credentials as are still wanted; the best of those are kept. Fewer aims served can never
  rank above more, so the search stops as soon as the list is full.
* When the person named a field, its words decide first (in the title weighs more than in the topics),
  then a level that suits their experience: the database orders the field's credentials by those
  expressions, then the stored columns.
* Near misses (only needed when few fit) are the credentials that are known to break fewest
  constraints, then closest to the person's field, then with fewest facts that could not be checked,
  by least overshoot: the database orders them by an estimate of both and returns the nearest
  :data:`NEAR_CANDIDATES`, which the matcher then ranks exactly.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from typing import Callable, Iterable

from sqlalchemy import Integer, and_, case, cast, exists, false, func, literal, not_, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, aliased, joinedload, lazyload

from bot.advice.matching import (
    LEVEL_MISMATCH,
    Match,
    counted_fitting,
    evaluate_many,
    fitting_order,
    order,
    weeks_allowed,
)
from bot.catalogue.models import AimSet, Credential, CredentialAim, session_scope
from bot.catalogue.repository import fields_of, rates_in, record_of, regions_of
from bot.language.aims import TECH_AIMS
from bot.model import (
    CREDIT_BEARING,
    HANDS_ON_WORDS,
    LEVEL_PREFERENCE,
    MAIN_FIELD_WEIGHT,
    ONLINE_MODES,
    OTHER_FIELD_WEIGHT,
    RECOMMENDED_CREDIT_REGION,
    SHORT_KINDS,
    SUBSTANTIAL_HOURS,
    TITLE_WEIGHT,
    TOPIC_WEIGHT,
    UNKNOWN_LEVEL_PREFERENCE,
    WEEKS_PER_MONTH,
    Budget,
    Constraints,
    CredentialRecord,
    Rates,
    regions_open_to,
)

log = logging.getLogger(__name__)

NEAR_CANDIDATES = 100
#: Subsets of aims are searched separately up to this many aims; beyond it, one search over all of them.
MAX_AIMS_SPLIT = 3
EPS = 1e-6


# ------------------------------------------------------------------------------------------------
# Conditions every fitting credential meets
# ------------------------------------------------------------------------------------------------


def _budget_ok(c: Constraints, rates: Rates, t=Credential):
    """SQL for "does not break the budget" (None: no budget to break), on table ``t``
    (``credentials``, or ``credential_aims``, which carries copies of the same columns)."""
    b = c.budget
    if b is None or b.kind == "unlimited":
        return None
    # a price, and for a subscription a length, must be known to check the total against the budget
    known = and_(
        t.price_amount.isnot(None),
        or_(func.coalesce(t.price_basis, "one_off") != "per_month", t.duration_weeks.isnot(None)),
    )
    within = _least_cost_within(b, rates, t)
    if c.hours_per_week and c.weeks:
        # a self-paced subscription is paid for fewer months by someone with more hours a week than the
        # provider plans (bot.advice.matching: at the person's pace): a bound below its cost at any pace
        # (the nominal cost spread over more months than it has) keeps it for the check in Python
        months = t.duration_weeks / WEEKS_PER_MONTH + 1
        faster = and_(
            t.price_basis == "per_month",
            t.delivery_mode == "online_self_paced",
            t.hours_per_week < c.hours_per_week,
            _least_cost_within(b, rates, t, t.cost_min / months, t.cost_min_usd / months),
        )
        within = or_(within, faster)
    return and_(known, within)


def _least_cost_within(b: Budget, rates: Rates, t=Credential, cost=None, cost_usd=None):
    """SQL for "its least cost (``cost_min``, or ``cost`` and ``cost_usd`` when given) is within the budget"
    (true when it cannot be compared)."""
    cost = t.cost_min if cost is None else cost
    cost_usd = t.cost_min_usd if cost_usd is None else cost_usd
    limit = (b.max_amount or 0.0) + 0.005
    if b.currency is None:  # compared in the credential's own currency
        return cost <= limit + EPS
    rate = rates.usd_per_unit.get(b.currency)
    if rate is None:  # only the same currency can be compared; the rest get a caveat, not a break
        return or_(func.coalesce(t.price_currency, "USD") != b.currency, cost <= limit + EPS)
    return or_(t.cost_min_usd.is_(None), cost_usd <= limit * rate * (1 + 1e-9) + EPS)


def _time_parts(c: Constraints, t=Credential):
    """SQL for (weekly hours kept, weeks kept), each None when not stated. A workload that is not known
    cannot be checked, so it is not kept (:func:`bot.advice.matching.evaluate` lists it as unknown)."""
    dur, hpw = t.duration_weeks, t.hours_per_week
    self_paced = t.delivery_mode == "online_self_paced"
    have_h, have_w = c.hours_per_week, c.weeks
    weekly_ok = weeks_ok = None
    if have_h is not None:
        weekly_ok = and_(hpw.isnot(None), or_(hpw <= have_h, self_paced))
    if have_w is not None:
        needed = dur
        if have_h:
            # at the person's pace when self-paced: slower with fewer hours, faster with more
            needed = case((and_(hpw.isnot(None), self_paced), dur * hpw / have_h), else_=dur)
        weeks_ok = and_(dur.isnot(None), needed <= weeks_allowed(have_w))
    return weekly_ok, weeks_ok


def _credit_ok(c: Constraints, t=Credential):
    if not c.credit_required:
        return None
    # :func:`bot.advice.matching.carries_credit`
    bearing = and_(t.credit_status.in_(CREDIT_BEARING), or_(t.credit_value > 0, t.credit_status == "pathway"))
    systems = [system for system, region in RECOMMENDED_CREDIT_REGION.items() if region == c.region]
    if not systems:
        return bearing
    if t is CredentialAim:  # (the aims' index does not copy the credit system)
        in_system = t.credential_id.in_(select(Credential.id).where(Credential.credit_system.in_(systems)))
    else:
        in_system = t.credit_system.in_(systems)
    return or_(bearing, and_(t.credit_status == "recommended", t.credit_value > 0, in_system))


def _filters(c: Constraints, exclude: Iterable[str], t=Credential) -> list:
    """The person's filters: these leave credentials out entirely (they are never near misses)."""
    conds = [] if t is CredentialAim else [func.coalesce(t.status, "active") != "retired"]  # retired: no aim rows
    serves = _serves_field(c)
    exclude = list(exclude)
    if exclude:
        conds.append((t.credential_id if t is CredentialAim else t.id).notin_(exclude))
    if c.credential_type:
        conds.append(t.credential_type == c.credential_type)
    if c.online_only:
        conds.append(t.delivery_mode.in_(ONLINE_MODES))
    if c.level:
        conds.append(t.level == c.level)
    if c.provider_kinds:
        conds.append(t.provider_kind.in_(c.provider_kinds))
    if c.substantial:  # bot.model.small: what is known to be small, or short by its kind when its size is not stated
        unstated = or_(
            t.duration_weeks.is_(None), t.hours_per_week.is_(None), t.duration_weeks == 0, t.hours_per_week == 0
        )
        small = t.duration_weeks * t.hours_per_week < SUBSTANTIAL_HOURS
        short_kind = func.coalesce(t.credential_type, "").in_(SHORT_KINDS)
        conds.append(or_(and_(unstated, ~short_kind), and_(~unstated, ~small)))
    if c.hands_on:  # bot.model.assessed_hands_on
        said = func.lower(func.coalesce(Credential.assessment_type, ""))
        hands_on = or_(*[said.contains(word, autoescape=True) for word in HANDS_ON_WORDS])
        conds.append(hands_on if t is Credential else t.credential_id.in_(select(Credential.id).where(hands_on)))
    if c.region:  # offered where the person is (bot.model.offered_to)
        key = Credential.regions_key
        open_to = or_(key.is_(None), *[key.contains(f"|{r}|", autoescape=True) for r in regions_open_to(c.region)])
        conds.append(open_to if t is Credential else t.credential_id.in_(select(Credential.id).where(open_to)))
    if c.field_terms:  # serves the person's field (bot.model.serves_field)
        conds.append(serves if t is Credential else t.credential_id.in_(select(Credential.id).where(serves)))
    return conds


def _level_ok(c: Constraints, t=Credential):
    """SQL for "its level suits the person's experience" (:func:`bot.advice.matching.level_mismatch`)."""
    unsuited = LEVEL_MISMATCH.get(c.experience or "")
    return None if not unsuited else func.coalesce(t.level, "") != unsuited


def _fit_conditions(c: Constraints, rates: Rates, exclude: Iterable[str], cheaper: bool, t=Credential) -> list:
    """Every condition a fitting credential meets, on table ``t``."""
    weekly_ok, weeks_ok = _time_parts(c, t)
    conds = _filters(c, exclude, t) + [
        x for x in (_budget_ok(c, rates, t), weekly_ok, weeks_ok, _credit_ok(c, t), _level_ok(c, t)) if x is not None
    ]
    if cheaper:
        conds.append(t.price_amount.isnot(None))
    return conds


def _serves_any(aims: Iterable[str]):
    other = aliased(CredentialAim)
    return exists().where(and_(other.credential_id == Credential.id, other.aim.in_(list(aims))))


def _levels(session: Session, c: Constraints) -> list[tuple[int, list]] | None:
    """(aims served, the streams to read with the table their conditions go on), most aims first;
    None when every credential read would
    have the same aim part of the score (no aims, all technology aims, or many aims at once)."""
    aims = list(dict.fromkeys(c.aims))
    if not aims or set(c.aims) == set(TECH_AIMS) or len(aims) > MAX_AIMS_SPLIT or len(aims) != len(c.aims):
        return None
    levels = []
    if len(aims) > 1:
        # several aims served together are rare: read each combination of aims that holds them
        by_overlap: dict[int, list[str]] = {}
        for key in session.execute(select(AimSet.aims_key)).scalars():
            overlap = len(set(key.strip("|").split("|")) & set(aims))
            if overlap > 1:
                by_overlap.setdefault(overlap, []).append(key)
        for overlap, keys in sorted(by_overlap.items(), reverse=True):
            levels.append(
                (
                    overlap,
                    [
                        (
                            _candidates()
                            .where(Credential.aims_key.in_(keys))
                            .order_by(Credential.quality_score.desc(), Credential.cost_rank, Credential.id),
                            Credential,
                        )
                    ],
                )
            )
    levels.append((1, [(_aim_stream(a), CredentialAim) for a in aims]))
    return levels


def _any_stream(aims: tuple[str, ...]):
    """Credentials serving any of ``aims`` (all when none), in :func:`fitting_order`."""
    where = [_serves_any(aims)] if aims else []
    return _candidates().where(*where).order_by(Credential.quality_score.desc(), Credential.cost_rank, Credential.id)


def _serves_field(c: Constraints):
    """SQL for :func:`bot.model.serves_field`: tagged with one of the person's fields when tagged at all,
    else one of the field's words in the title or topics."""
    if not c.field_terms:
        return None
    tagged = Credential.fields_key.isnot(None)
    by_tag = or_(false(), *[Credential.fields_key.contains(f"|{code}|", autoescape=True) for code in c.fields])
    by_words = or_(
        *[func.lower(Credential.title).contains(term, autoescape=True) for term in c.field_terms],
        *[func.lower(Credential.topics).contains(term, autoescape=True) for term in c.field_terms],
    )
    return or_(and_(tagged, by_tag), and_(not_(tagged), by_words))


#: Zero as an expression: a bare 0 in ORDER BY is a column position to PostgreSQL (an error), as when the
#: person's own words for the field are not known
ZERO = cast(literal(0), Integer)


def _about_field(c: Constraints) -> tuple:
    """SQL for :func:`bot.model.relevance`: how much a credential is about the person's field (tags, focus, words)."""
    title, topics, key = func.lower(Credential.title), func.lower(Credential.topics), Credential.fields_key

    def words_in(terms: tuple[str, ...], once: bool = False):  # once: bot.model.named_in, else words_in
        pairs = [(title.contains(t, autoescape=True), topics.contains(t, autoescape=True)) for t in terms]
        return sum(
            (
                case((in_title, TITLE_WEIGHT), (in_topics, TOPIC_WEIGHT), else_=0)
                if once
                else case((in_title, TITLE_WEIGHT), else_=0) + case((in_topics, TOPIC_WEIGHT), else_=0)
                for in_title, in_topics in pairs
            ),
            ZERO,
        )

    tags = [
        case(
            (key.startswith(f"|{code}|", autoescape=True), MAIN_FIELD_WEIGHT),
            (key.contains(f"|{code}|", autoescape=True), OTHER_FIELD_WEIGHT),
            else_=0,
        )
        for code in c.fields
    ]
    return sum(tags, ZERO), words_in(c.focus_terms, once=True), words_in(c.field_terms)


def _level_fit(c: Constraints, t=Credential) -> list:
    """SQL for :func:`bot.model.level_preference`, best first (nothing when experience is not known)."""
    table = LEVEL_PREFERENCE.get(c.experience or "")
    return [case(table, value=t.level, else_=UNKNOWN_LEVEL_PREFERENCE).desc()] if table else []


def _field_stream(c: Constraints):
    """Credentials serving any of the aims in :func:`fitting_order` when a field is named: tagged with it,
    the person's words for it, a level that suits their experience, the field's words: expressions per
    row, not an index."""
    tags, focus, words = _about_field(c)
    order = [tags.desc(), focus.desc()]
    order += _level_fit(c)
    # among credentials tagged with the field, quality speaks before the field's words (fitting_order)
    order.append(case((tags > 0, 0), else_=words).desc())
    where = [_serves_any(c.aims)] if c.aims else []
    return (
        _candidates()
        .where(*where)
        .order_by(*order, Credential.quality_score.desc(), words.desc(), Credential.cost_rank, Credential.id)
    )


@functools.lru_cache(maxsize=None)
def _candidates():
    """The credentials' own columns, read as plain rows: enough to tell what fits and where it ranks.
    (Statements are immutable: built once, refined per request.)"""
    return select(*Credential.__table__.columns).select_from(Credential.__table__)


@functools.lru_cache(maxsize=64)
def _aim_stream(aim: str):
    """Credentials serving ``aim`` in rank order, read through that aim's index."""
    return (
        _candidates()
        .join(CredentialAim, and_(CredentialAim.credential_id == Credential.id, CredentialAim.aim == aim))
        .order_by(CredentialAim.quality_score.desc(), CredentialAim.cost_rank, CredentialAim.credential_id)
    )


def _candidate_record(row) -> CredentialRecord:
    """A record from a candidate row, without the provider's name, recognitions or platform: enough
    for :func:`bot.advice.matching.evaluate` to find what it breaks; ranked by the stored score parts."""
    return CredentialRecord(
        id=row.id,
        title=row.title,
        provider="",
        provider_legitimacy="",
        platform=None,
        credential_type=row.credential_type,
        aims=tuple(a for a in (row.aims_key or "").strip("|").split("|") if a),
        topics=tuple(json.loads(row.topics) if row.topics else ()),  # the person's field is looked for in them
        fields=tuple(fields_of(row)),
        regions=tuple(regions_of(row)),
        price_amount=row.price_amount,
        price_currency=row.price_currency,
        price_basis=row.price_basis or "one_off",
        free_to_audit=bool(row.free_to_audit),
        certificate_price=row.certificate_price,
        duration_weeks=row.duration_weeks,
        hours_per_week=row.hours_per_week,
        delivery_mode=row.delivery_mode,
        level_eqf=row.level_eqf,
        level=row.level,
        credit_value=row.credit_value,
        credit_system=row.credit_system,
        credit_status=row.credit_status,
        credit_note=None,
        assessment_type=row.assessment_type,
        assessment_supervised=row.assessment_supervised,
        qa_type=row.qa_type,
        qa_body=row.qa_body,
        recognitions=(),
        stackable_into=None,
        source_url=row.source_url,
        last_checked=row.last_checked,
        provider_kind=row.provider_kind,
    )


# ------------------------------------------------------------------------------------------------
# The query
# ------------------------------------------------------------------------------------------------


def _records(session: Session, stmt) -> list[CredentialRecord]:
    """Records for the rows of ``stmt``; their aims come from ``aims_key``, not from a further query."""

    stmt = stmt.options(lazyload(Credential.aims), joinedload(Credential.recognitions))
    return [record_of(row) for row in session.execute(stmt).unique().scalars().all()]


class _LazyConditions(dict):
    """The fit conditions on each table, built when first asked for."""

    def __init__(self, *args):
        super().__init__()
        self.args = args

    def __missing__(self, table):
        self[table] = _fit_conditions(*self.args, table)
        return self[table]


def _fitting_from(
    session: Session,
    stmt,
    wanted: int,
    served: int | None,
    seen: set[str],
    evaluate_rows: Callable[[list[CredentialRecord]], list[Match]],
) -> list[Match]:
    """Read ``stmt`` a page at a time until it gives ``wanted`` fitting credentials serving
    exactly ``served`` of the aims (any number when None) that were not ``seen`` before.
    Candidates are plain rows ranked by their stored score parts; only the chosen are loaded whole."""
    found: list[Match] = []
    offset, page = 0, wanted + 3
    while len(found) < wanted:
        rows = session.execute(stmt.offset(offset).limit(page)).all()
        stored = {row.id: (row.quality_score, row.cost_rank) for row in rows}
        fresh = [_candidate_record(row) for row in rows if row.id not in seen]
        for m in evaluate_rows(fresh):
            if m.fits and (served is None or len(m.aim_overlap) == served):
                m.quality, m.cost_rank = stored[m.record.id]
                found.append(m)
        if len(rows) < page:
            break
        offset += page
        page *= 2
    return found[:wanted]


def search(
    engine: Engine,
    c: Constraints,
    rates: Rates | None,
    today: dt.date,
    stale_after_days: int = 365,
    exclude: Iterable[str] = (),
    cheaper_than_usd: float | None = None,
    n: int = 5,
    near_wanted: Callable[[int], int] = lambda fitting: 0,
) -> tuple[list[Match], list[Match]]:
    """The ``n`` best fitting credentials and ``near_wanted(len(fitting))`` nearest misses, as
    :func:`bot.advice.matching.rank` would order them over the whole catalogue (``rates``: the exchange
    rates, read in the same transaction when None)."""
    exclude = set(exclude)

    def fitting_from(session: Session, stmt, wanted: int, served: int | None, seen: set[str]) -> list[Match]:
        return _fitting_from(
            session,
            stmt,
            wanted,
            served,
            seen,
            lambda records: evaluate_many(records, c, rates, today, stale_after_days, exclude, cheaper_than_usd),
        )

    top: list[Match] = []
    with session_scope(engine) as session:
        if rates is None:
            rates = rates_in(session)
        conds = _LazyConditions(c, rates, exclude, cheaper_than_usd is not None)
        levels = None if c.field_terms else _levels(session, c)
        if c.field_terms:
            top = fitting_from(session, _field_stream(c).where(*conds[Credential]), n, None, set())
        elif levels is None:
            top = fitting_from(session, _any_stream(tuple(c.aims)).where(*conds[Credential]), n, None, set())
        else:
            for served, streams in levels:
                wanted = n - len(top)
                if wanted <= 0:
                    break
                seen = {m.record.id for m in top}
                candidates: dict[str, Match] = {}
                for stream, table in streams:
                    for m in fitting_from(session, stream.where(*conds[table]), wanted, served, seen):
                        candidates[m.record.id] = m
                top += sorted(candidates.values(), key=fitting_order)[:wanted]
        # the chosen, loaded whole (provider, recognitions) and evaluated again for their reasons
        chosen = _records(session, select(Credential).where(Credential.id.in_([m.record.id for m in top])))
        top = sorted(
            evaluate_many(chosen, c, rates, today, stale_after_days, exclude, cheaper_than_usd), key=fitting_order
        )
        # options off the person's level are listed after what may fit and suits it: look for those too
        n_near = near_wanted(counted_fitting(top, c))
        near: list[Match] = []
        if n_near:
            near = _near_misses(session, c, rates, today, stale_after_days, exclude, cheaper_than_usd, n_near)
    return top, near


def _near_misses(session, c, rates, today, stale_after_days, exclude, cheaper_than_usd, wanted: int) -> list[Match]:
    """The ``wanted`` nearest misses: the database's :data:`NEAR_CANDIDATES` nearest by its estimate,
    ranked exactly as plain rows, then the chosen loaded whole."""
    # read from the aims' rows, with their copied columns; a field's words are on the credentials
    by_aim = bool(c.aims) and not c.field_terms
    t = CredentialAim if by_aim else Credential
    filters = _filters(c, exclude, t)
    if c.aims and not by_aim:
        filters.append(_serves_any(c.aims))
    budget_ok = _budget_ok(c, rates, t)
    weekly_ok, weeks_ok = _time_parts(c, t)
    credit_ok = _credit_ok(c, t)
    if credit_ok is not None:  # asked for credit: an option without it is no near miss (matching.order)
        filters.append(credit_ok)
    breaks = [
        case((cond, 0), else_=1) for cond in (budget_ok, weekly_ok, weeks_ok, _level_ok(c, t)) if cond is not None
    ]
    if not breaks:
        return []
    n_breaks = sum(breaks[1:], breaks[0])  # what cannot be checked fails its condition too
    n_unknown = _unknown_count(c, rates, t)
    known_breaks = n_breaks if n_unknown is None else n_breaks - n_unknown
    key = t.credential_id if by_aim else t.id
    about = [part.desc() for part in _about_field(c)] if c.field_terms else []  # tags, focus, words
    # A subscription's cost grows when someone needs longer than its nominal duration, so one may
    # break the budget although its least cost does not: those are read too.
    nearest = (
        select(key)
        .where(*filters, or_(n_breaks > 0, t.price_basis == "per_month"))
        .order_by(
            known_breaks,  # a known break is further than a fact we could not check
            *about[:1],
            *([] if n_unknown is None else [n_unknown]),
            *about[1:2],
            *_level_fit(c, t),
            *about[2:],
            *([] if (over := _overshoot_estimate(c, rates, budget_ok, weekly_ok, weeks_ok, t)) is None else [over]),
            t.quality_score.desc(),
            key,
        )
        .limit(NEAR_CANDIDATES)
    )
    if by_aim:  # ranked inside the aims' index; only the nearest are read from the credentials
        nearest = nearest.where(CredentialAim.aim.in_(sorted(set(c.aims))))
    stmt = _candidates().where(Credential.id.in_(nearest.scalar_subquery()))
    rows = {row.id: row for row in session.execute(stmt).all()}
    matches = evaluate_many(
        [_candidate_record(r) for r in rows.values()], c, rates, today, stale_after_days, exclude, cheaper_than_usd
    )
    for m in matches:
        m.quality = rows[m.record.id].quality_score
        m.score = m.aim_part + m.quality
    chosen = [m.record.id for m in order(matches, c)[1][:wanted]]
    if not chosen:
        return []
    full = _records(session, select(Credential).where(Credential.id.in_(chosen)))
    return order(evaluate_many(full, c, rates, today, stale_after_days, exclude, cheaper_than_usd), c)[1]


def _unknown_count(c: Constraints, rates: Rates, t=Credential):
    """SQL count of the stated constraints a credential cannot be checked against (no price, or a
    subscription of unknown length; no weekly hours; no length): :func:`bot.advice.matching.evaluate`'s
    ``unknown``."""
    dur, hpw = t.duration_weeks, t.hours_per_week
    parts = []
    if c.budget is not None and c.budget.kind != "unlimited":
        # a subscription of unknown length is unknown unless its first month alone breaks the budget
        per_month_open = and_(func.coalesce(t.price_basis, "one_off") == "per_month", dur.is_(None))
        no_price = or_(t.price_amount.is_(None), and_(per_month_open, _least_cost_within(c.budget, rates, t)))
        parts.append(case((no_price, 1), else_=0))
    if c.hours_per_week is not None:
        parts.append(case((hpw.is_(None), 1), else_=0))
    if c.weeks is not None:
        parts.append(case((dur.is_(None), 1), else_=0))
    # a bare constant in ORDER BY is an error in PostgreSQL: with nothing unknown, order by nothing
    return sum(parts[1:], parts[0]) if parts else None


def _overshoot_estimate(c: Constraints, rates: Rates, budget_ok, weekly_ok, weeks_ok, t=Credential):
    """SQL estimate of :func:`bot.advice.matching._overshoot` (least cost, nominal duration), on table ``t``."""
    dur, hpw = t.duration_weeks, t.hours_per_week
    parts = [literal(0.0)]
    b = c.budget
    if budget_ok is not None:
        limit = b.max_amount or 0.0
        rate = rates.usd_per_unit.get(b.currency) if b.currency else None
        if rate:
            over = (t.cost_min_usd / rate - limit) / max(limit, 50.0)
            parts.append(case((and_(not_(budget_ok), t.cost_min_usd.isnot(None)), over), else_=0.0))
        else:
            over = (t.cost_min - limit) / max(limit, 50.0)
            parts.append(case((and_(not_(budget_ok), t.cost_min.isnot(None)), over), else_=0.0))
    if weeks_ok is not None and c.weeks:
        hours = c.hours_per_week
        weekly = case((hpw > hours, literal(float(hours))), else_=hpw) if hours else hpw
        parts.append(
            case((and_(not_(weeks_ok), dur.isnot(None), hpw.isnot(None)), dur * hpw / weekly / c.weeks - 1), else_=0.0)
        )
    if weekly_ok is not None and c.hours_per_week:
        parts.append(case((not_(weekly_ok), hpw / c.hours_per_week - 1), else_=0.0))
    # a bare constant in ORDER BY is an error in PostgreSQL: with nothing to estimate, order by nothing
    return sum(parts[2:], parts[1]) if len(parts) > 1 else None


__all__ = ["search"]
