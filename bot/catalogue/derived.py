"""The stored, person-independent columns the recommendation query orders by (:mod:`bot.catalogue.search`):
least cost (in the credential's currency and in US dollars), quality score, cost rank and the set of aims,
on each credential and copied onto its (credential, aim) rows; recomputed after every write."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.advice.costs import least_cost_usd, total_cost
from bot.advice.matching import static_score
from bot.catalogue.models import SEARCH_COPIES, AimSet, Credential, CredentialAim, ExchangeRate, session_scope
from bot.catalogue.repository import rates_in, record_of
from bot.model import NO_COST, CredentialRecord


def derived_values(r: CredentialRecord, usd_per_unit: dict[str, float]) -> dict:
    """The stored, person-independent parts of matching for one credential."""
    usd = least_cost_usd(r, usd_per_unit)
    return {
        "cost_min": total_cost(r),  # the least it can cost: at its nominal duration
        "cost_min_usd": usd,
        "quality_score": static_score(r),
        "cost_rank": NO_COST if usd is None else usd,
        "aims_key": aims_key(r.aims),
        "provider_kind": r.provider_kind,
    }


def aims_key(aims: Iterable[str]) -> str:
    return "|" + "|".join(sorted(set(aims))) + "|"


def refresh_aim_sets(session: Session) -> None:
    """Count the credentials serving each combination of aims again (after any write)."""
    session.flush()
    session.execute(delete(AimSet))
    session.execute(
        insert(AimSet).from_select(
            ["aims_key", "credentials"],
            select(Credential.aims_key, func.count())
            .where(Credential.aims_key.isnot(None))
            .group_by(Credential.aims_key),
        )
    )


def refresh_search_columns(engine: Engine, only_missing: bool = False) -> int:
    """Recompute the derived columns (all rows, or only those never computed); returns how many."""
    with session_scope(engine) as session:
        stmt = select(Credential.id)
        if only_missing:
            stmt = stmt.where(Credential.quality_score.is_(None))
        ids = list(session.execute(stmt).scalars())
        refresh_rows(session, ids)
        refresh_aim_sets(session)
    return len(ids)


def refresh_rows(session: Session, ids: Iterable[str], chunk: int = 1000) -> None:
    """Recompute the derived columns of these credentials in the caller's transaction."""
    ids = list(ids)
    rates = rates_in(session).usd_per_unit
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = session.execute(select(Credential).where(Credential.id.in_(part))).unique().scalars().all()
        for row in rows:
            for key, value in derived_values(record_of(row), rates).items():
                setattr(row, key, value)
            for aim in row.aims:
                for name in SEARCH_COPIES:
                    setattr(aim, name, getattr(row, name))
        session.flush()


def refresh_costs_in_usd(session: Session) -> None:
    """After the rate table changed: every ``cost_min_usd`` again from ``cost_min``, in one statement."""
    rate = (
        select(ExchangeRate.usd_per_unit)
        .where(ExchangeRate.currency == func.coalesce(Credential.price_currency, "USD"))
        .scalar_subquery()
    )
    session.execute(
        update(Credential).values(cost_min_usd=Credential.cost_min * rate).execution_options(synchronize_session=False)
    )
    session.execute(
        update(Credential)
        .values(cost_rank=func.coalesce(Credential.cost_min_usd, NO_COST))
        .execution_options(synchronize_session=False)
    )

    def copied(column):
        return select(column).where(Credential.id == CredentialAim.credential_id).scalar_subquery()

    session.execute(
        update(CredentialAim)
        .values(cost_rank=copied(Credential.cost_rank), cost_min_usd=copied(Credential.cost_min_usd))
        .execution_options(synchronize_session=False)
    )


__all__ = [
    "aims_key",
    "derived_values",
    "refresh_aim_sets",
    "refresh_costs_in_usd",
    "refresh_rows",
    "refresh_search_columns",
]
