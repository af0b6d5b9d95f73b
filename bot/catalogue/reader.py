"""The SQL catalogue as the advice service reads it (:class:`bot.model.CatalogueReader`).

A catalogue of up to :data:`IN_MEMORY_LIMIT` credentials is also held in memory when the reader is
given ``hold_seconds`` (the action server passes ``CATALOGUE_CACHE_SECONDS``): recommendations and
look-ups by id are then answered from it with :func:`bot.advice.matching.rank`, the reference the SQL
search is tested against, about twenty times faster than building and running the search's statements
(1 ms against 17 ms for the default catalogue). The copy is read again in the background once it is
older than ``hold_seconds``, so an import or recheck shows in answers within that time, as cached
answers do; meanwhile the copy before it answers. A larger catalogue is searched in SQL only.

Every database error becomes :class:`bot.model.CatalogueUnavailable`, carrying the driver's own
message (never a statement's parameters), so that the actions can apologise and log the cause once.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
import time
from typing import Callable, Iterable, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.advice.matching import counted_fitting, rank
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


#: the most credentials held in memory; a larger catalogue is searched in SQL
IN_MEMORY_LIMIT = 2000


class SqlCatalogue:
    """Reads credentials and rates from the database behind ``engine`` (and holds a small catalogue in
    memory for ``hold_seconds`` at a time: 0 holds nothing)."""

    def __init__(self, engine: Engine, hold_seconds: float = 0):
        self.engine = engine
        self.hold_seconds = hold_seconds
        self._held: tuple[float, dict[str, CredentialRecord] | None] | None = None  # (read at, by id)
        self._loading = threading.Lock()
        self._refreshing = False

    def _read_all(self) -> tuple[float, dict[str, CredentialRecord] | None]:
        taken = time.monotonic()
        if repository.credential_count(self.engine) > IN_MEMORY_LIMIT:
            return taken, None
        return taken, {r.id: r for r in repository.credentials_for_aims(self.engine, [])}

    def _refresh(self) -> None:
        try:
            self._held = self._read_all()
        except SQLAlchemyError as exc:  # the copy before it goes on answering; tried again next time
            logging.getLogger(__name__).warning("catalogue not read again: %s", _cause(exc))
        finally:
            self._refreshing = False

    def held(self) -> dict[str, CredentialRecord] | None:
        """The catalogue in memory by id (read now when nothing is held yet), or None: not held."""
        if self.hold_seconds <= 0:
            return None
        held = self._held
        if held is None:
            with self._loading:
                if self._held is None:
                    self._held = self._read_all()
                held = self._held
        elif time.monotonic() - held[0] > self.hold_seconds and not self._refreshing:
            self._refreshing = True
            threading.Thread(target=self._refresh, name="catalogue-refresh", daemon=True).start()
        return held[1]

    @_translating
    def exchange_rates(self) -> Rates:
        return repository.exchange_rates(self.engine)

    @_translating
    def by_ids(self, ids: list[str]) -> list[CredentialRecord]:
        held = self.held()
        if held is None:
            return repository.credentials_by_ids(self.engine, ids)
        return [held[i] for i in ids if i in held]

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
        held = self.held()
        if held is None:
            return search(
                self.engine, c, rates, today, stale_after_days, exclude, cheaper_than_usd, n=n, near_wanted=near_wanted
            )
        fitting, near = rank(list(held.values()), c, rates, today, stale_after_days, set(exclude), cheaper_than_usd)
        top = fitting[:n]
        return top, near[: near_wanted(counted_fitting(top, c))]
