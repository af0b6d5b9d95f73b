"""The action server answers a repeated question from memory, for a bounded time and number of answers."""

from __future__ import annotations

import dataclasses

from bot.advice.service import Advisor, TimedCache
from bot.catalogue.reader import SqlCatalogue
from bot.model import Budget, Constraints
from tests.conftest import TODAY

CLOUD = Constraints(aims=("tech_cloud",), budget=Budget("limit", 200.0, "GBP", "£200"), weeks=13.0, hours_per_week=5.0)


class Counting:
    """A catalogue reader that counts the searches it is asked for."""

    def __init__(self, inner):
        self.inner, self.searches = inner, 0

    def search(self, *args, **kwargs):
        self.searches += 1
        return self.inner.search(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_the_same_question_is_read_from_the_catalogue_once_and_answered_the_same(settings, engine):
    reader = Counting(SqlCatalogue(engine))
    advisor = Advisor(reader, settings, today=TODAY)
    first, again = advisor.recommend(CLOUD), advisor.recommend(CLOUD)
    assert reader.searches == 1
    assert [m.record.id for m in again.shown] == [m.record.id for m in first.shown] and first.shown
    again.near.clear()  # a caller changing its lists changes nothing kept
    assert [m.record.id for m in advisor.recommend(CLOUD).shown] == [m.record.id for m in first.shown]
    advisor.recommend(dataclasses.replace(CLOUD, hours_per_week=6.0))  # another question is read
    assert reader.searches == 2


def test_with_the_cache_off_every_question_is_read(settings, engine):
    reader = Counting(SqlCatalogue(engine))
    advisor = Advisor(reader, dataclasses.replace(settings, catalogue_cache_seconds=0), today=TODAY)
    advisor.recommend(CLOUD)
    advisor.recommend(CLOUD)
    assert reader.searches == 2


def test_answers_expire_and_the_least_recently_used_go_first(monkeypatch):
    now = [100.0]
    monkeypatch.setattr("bot.advice.service.time.monotonic", lambda: now[0])
    cache, made = TimedCache(60, 2), []

    def make(key):
        return lambda: made.append(key) or key

    for key in ("a", "b", "a", "c", "a", "b"):  # c pushes out b (a was used more recently)
        cache.get(key, make(key))
    assert made == ["a", "b", "c", "b"]
    now[0] += 61  # a minute later everything is read again
    cache.get("a", make("a"))
    assert made[-1] == "a" and len(made) == 5
