"""The SQL catalogue as the advice service reads it (:class:`bot.model.CatalogueReader`).

Every database error becomes :class:`bot.model.CatalogueUnavailable`, carrying the driver's own
message (never a statement's parameters), so that the actions can apologise and log the cause once.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Callable, Iterable, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.catalogue import repository
from bot.catalogue.search import search
from bot.model import CatalogueUnavailable, Constraints, CredentialRecord, Rates

T = TypeVar("T")


def _cause(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    detail = str(orig if orig is not None else exc).strip().splitlines()
    return f"{type(orig if orig is not None else exc).__name__}: {detail[0] if detail else ''}".strip()


def _translating(fn: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except SQLAlchemyError as exc:
            raise CatalogueUnavailable(_cause(exc)) from exc

    return wrapper


class SqlCatalogue:
    """Reads credentials and rates from the database behind ``engine``."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @_translating
    def exchange_rates(self) -> Rates:
        return repository.exchange_rates(self.engine)

    @_translating
    def by_ids(self, ids: list[str]) -> list[CredentialRecord]:
        return repository.credentials_by_ids(self.engine, ids)

    @_translating
    def titled(self, words: list[str], referred: tuple[str, ...] = ()) -> list[CredentialRecord]:
        return repository.credentials_titled(self.engine, words, referred=referred)

    @_translating
    def in_fields(self, fields: list[str]) -> list[CredentialRecord]:
        return repository.credentials_in_fields(self.engine, fields)

    @_translating
    def search(
        self,
        c: Constraints,
        rates: Rates,
        today: dt.date,
        stale_after_days: int,
        exclude: Iterable[str],
        cheaper_than_usd: float | None,
        n: int,
        near_wanted: Callable[[int], int],
    ) -> tuple[list, list]:
        return search(
            self.engine, c, rates, today, stale_after_days, exclude, cheaper_than_usd, n=n, near_wanted=near_wanted
        )
