"""The advising service: what the actions call. Blocking database work; call it off the event loop."""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.engine import Engine

from bot import repository
from bot.db import make_engine
from bot.explain import credential_payload, recommendation_parts, recommendation_text
from bot.matching import Constraints, Match, describe_filters, evaluate, workload_gap
from bot.search import search
from bot.parsing import Budget, describe_budget
from bot.aims import describe_aims
from bot.settings import Settings, load_settings

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


class Advisor:
    """Recommends credentials from the database configured in ``settings``."""

    def __init__(self, settings: Settings | None = None, engine: Engine | None = None, today: dt.date | None = None):
        self.settings = settings or load_settings()
        self.engine = engine or _engine_for(self.settings.database_url)
        self._today = today
        self._rates = None

    #: seconds an exchange-rate table read stays in use (it changes only when the catalogue is loaded)
    RATES_TTL = 60.0

    def rates(self):
        """The dated exchange rates, read again at most once a minute."""
        now = time.monotonic()
        if self._rates is None or now - self._rates[0] > self.RATES_TTL:
            self._rates = (now, repository.exchange_rates(self.engine))
        return self._rates[1]

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def recommend(
        self,
        c: Constraints,
        exclude: list[str] | tuple[str, ...] = (),
        cheaper_than: float | None = None,
    ) -> "Recommendation":
        n = self.settings.max_results
        fitting, near = search(self.engine, c, self.rates(), self.today, self.settings.stale_after_days, exclude,
                               cheaper_than, n=n, near_wanted=lambda found: near_wanted(found, n))
        return Recommendation(fitting, near, c)

    def cheapest_of(self, ids: list[str], c: Constraints) -> float | None:
        """The lowest cost among these credentials, in the budget's currency when there is one."""
        rates = self.rates()
        matches = [evaluate(r, c, rates, self.today) for r in repository.credentials_by_ids(self.engine, ids)]
        return _cheapest(matches)

    def details(self, ids: list[str]):
        return repository.credentials_by_ids(self.engine, ids)


@dataclass
class Recommendation:
    fitting: list[Match]
    near: list[Match]
    constraints: Constraints

    @property
    def shown(self) -> list[Match]:
        return self.fitting + self.near

    def gap_note(self) -> str | None:
        return None if self.fitting else workload_gap(self.constraints, self.near)

    def text(self, intro: str = "") -> str:
        return recommendation_text(self.fitting, self.near, self.constraints, intro)

    def payload(self, intro: str = "") -> dict:
        heading, _lines, hint = recommendation_parts(self.fitting, self.near, self.constraints, intro)
        return credential_payload(self.shown, heading, hint)



def near_wanted(fitting: int, n: int) -> int:
    """With few options that fit, also show the nearest misses, each with what it breaks."""
    if not fitting:
        return n
    if fitting < 3:
        return min(2, n - fitting)
    return 0


def _cheapest(matches: list[Match]) -> float | None:
    costs = [m.cost_in_budget_currency if m.cost_in_budget_currency is not None else m.total_cost for m in matches]
    costs = [x for x in costs if x is not None]
    return min(costs) if costs else None


def constraints_snapshot(c: Constraints) -> dict:
    return {
        "aims": list(c.aims),
        "budget": c.budget.as_dict() if c.budget else None,
        "weeks": c.weeks,
        "hours_per_week": c.hours_per_week,
        "credit_required": c.credit_required,
        "credential_type": c.credential_type,
        "filters": describe_filters(c),
    }


def describe_changes(before: dict | None, c: Constraints) -> list[str]:
    """Sentences naming what changed between the last list shown and now."""
    if not before:
        return []
    out = []
    if set(before.get("aims") or []) != set(c.aims):
        out.append(f"aim changed from {describe_aims(before.get('aims') or [])} to {describe_aims(list(c.aims))}")
    old_budget = Budget.from_dict(before.get("budget"))
    if (old_budget.as_dict() if old_budget else None) != (c.budget.as_dict() if c.budget else None):
        if old_budget and c.budget and describe_budget(old_budget) != describe_budget(c.budget):
            out.append(f"budget changed from {describe_budget(old_budget)} to {describe_budget(c.budget)}")
        elif c.budget and not old_budget:
            out.append(f"budget set to {describe_budget(c.budget)}")
    if before.get("weeks") != c.weeks and c.weeks:
        out.append(f"time changed from {before['weeks']:g} to {c.weeks:g} weeks" if before.get("weeks") else f"time set to {c.weeks:g} weeks")
    if before.get("hours_per_week") != c.hours_per_week and c.hours_per_week:
        if before.get("hours_per_week"):
            out.append(f"weekly hours changed from {before['hours_per_week']:g} to {c.hours_per_week:g}")
        else:
            out.append(f"weekly hours set to {c.hours_per_week:g}")
    if bool(before.get("credit_required")) != c.credit_required:
        out.append("now showing only credit-bearing options" if c.credit_required else "credit no longer required")
    old_filters, new_filters = before.get("filters") or [], describe_filters(c)
    if old_filters != new_filters:
        out.append("filters now: " + ", ".join(new_filters) if new_filters else "filters removed")
    return out
