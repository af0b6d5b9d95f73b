"""The tracker store keeps what it read and wrote of a conversation (bot.channels.tracker_store), and
returns and stores exactly what Rasa's own SQL tracker store does, also when another process (another
Rasa server, an erasure) changes the same conversation in the same database."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.channels.tracker_store import AdvisorSQLTrackerStore, RedactingSQLTrackerStore
from tests.conftest import POSTGRES_URL, need_postgres

EVENTS = json.loads((Path(__file__).parent / "fixtures" / "conversation_events.json").read_text())
DOMAIN = Domain.empty()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path, monkeypatch):
    """A conversation database: a SQLite file, or a schema of its own in PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'conversations.db'}"
        return
    need_postgres()
    schema = f"t_{uuid.uuid4().hex[:10]}"
    base = create_engine(POSTGRES_URL)
    with base.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    monkeypatch.setenv("POSTGRESQL_SCHEMA", schema)
    yield POSTGRES_URL
    with base.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    base.dispose()


def store(url: str, cls=AdvisorSQLTrackerStore):
    return cls(domain=DOMAIN, host=url, dialect=url.split(":")[0].split("+")[0])


def events(tracker: DialogueStateTracker | None) -> list[dict]:
    return [e.as_dict() for e in tracker.events] if tracker else []


async def grow(s, sender: str, upto: int, start: int = 0) -> None:
    """The conversation's events up to ``upto`` saved by ``s``, as Rasa saves them: the tracker as read
    from ``s``, the new events added, saved whole."""
    tracker = await s.retrieve(sender) or DialogueStateTracker(sender, [])
    for event in DialogueStateTracker.from_dict(sender, EVENTS[start:upto], []).events:
        tracker.update(event)
    await s.save(tracker)


async def test_each_message_reads_back_what_rasas_store_reads(url):
    ours, rasas = store(url), store(url, SQLTrackerStore)
    for upto in range(10, len(EVENTS) + 1, 10):  # a restart and two session starts on the way
        await grow(ours, "someone", upto, upto - 10)
        assert events(await ours.retrieve("someone")) == events(await rasas.retrieve("someone"))
        assert events(await ours.retrieve_full_tracker("someone")) == events(
            await rasas.retrieve_full_tracker("someone")
        )
    assert len(events(await rasas.retrieve_full_tracker("someone"))) == len(EVENTS)  # nothing stored twice
    assert "someone" in ours.kept


async def test_rows_another_process_adds_or_erases_are_seen(url):
    a, b = store(url), store(url)
    await grow(a, "someone", 40)
    await grow(b, "someone", 90, 40)  # another server goes on with the conversation
    fresh = store(url, SQLTrackerStore)
    assert events(await a.retrieve("someone")) == events(await fresh.retrieve("someone"))
    await grow(a, "someone", 120, 90)  # and this one goes on after it: nothing lost or stored twice
    assert events(await a.retrieve_full_tracker("someone")) == [e.as_dict() for e in _read(EVENTS[:120])]
    with a.engine.begin() as conn:  # erased (the review app, the chat widget)
        conn.execute(text("DELETE FROM events WHERE sender_id = 'someone'"))
    assert await a.retrieve("someone") is None
    await grow(b, "someone", 10)
    assert events(await a.retrieve("someone")) == events(await fresh.retrieve("someone"))


async def test_a_new_session_saved_here_leaves_the_old_one_out(url):
    s = store(url)
    tracker = DialogueStateTracker.from_events("someone", [ActionExecuted("action_listen"), UserUttered("hi")])
    await s.save(tracker)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await s.save(tracker)
    assert events(await s.retrieve("someone")) == events(await store(url, SQLTrackerStore).retrieve("someone"))
    assert [e["event"] for e in events(await s.retrieve("someone"))] == ["session_started", "action"]


async def test_kept_conversations_are_bounded(url, monkeypatch):
    from bot.channels import tracker_store

    monkeypatch.setattr(tracker_store, "KEPT_CONVERSATIONS", 2)
    s = store(url)
    for sender in ("a", "b", "c"):
        await grow(s, sender, 20)
    assert list(s.kept) == ["b", "c"]
    assert events(await s.retrieve("a")) == events(await store(url, SQLTrackerStore).retrieve("a"))


async def test_the_redacting_store_keeps_the_redacted_text(url):
    s = store(url, RedactingSQLTrackerStore)
    said = "write to someone@example.org please"
    tracker = DialogueStateTracker.from_events("someone", [ActionExecuted("action_listen"), UserUttered(said)])
    await s.save(tracker)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("and again someone@example.org"))
    await s.save(tracker)
    texts = [e.get("text") for e in events(await s.retrieve("someone")) if e["event"] == "user"]
    assert texts == [e.get("text") for e in events(await store(url).retrieve("someone")) if e["event"] == "user"]
    assert all("someone@example.org" not in t for t in texts) and len(texts) == 2


def _read(rows: list[dict]):
    return DialogueStateTracker.from_dict("someone", rows, []).events


async def test_the_tracker_saved_is_handed_back_once_and_only_unchanged(url):
    s = store(url)
    await grow(s, "someone", 50)
    first = await s.retrieve("someone")
    assert events(first) == events(await store(url, SQLTrackerStore).retrieve("someone"))
    await s.save(first)
    assert await s.retrieve("someone") is first  # nothing changed since it was saved
    assert await s.retrieve("someone") is not first  # (once)
    await s.save(first)
    first.update(ActionExecuted("action_listen"))  # changed after it was saved: rebuilt from the rows
    again = await s.retrieve("someone")
    assert again is not first and len(again.events) == len(first.events) - 1
    await s.save(again)
    s.domain = Domain.empty()  # another model's domain: rebuilt with its slots
    assert await s.retrieve("someone") is not again
