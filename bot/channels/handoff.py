"""Handing a conversation to a person at the careers service, and back: the state both the web server and
the Slack relay read (a table in the tracker store's database, shared by every process).

While an adviser has a conversation, what the student writes is kept in the conversation (Rasa's relay
channel logs it without answering) and the Slack relay passes it to the adviser's thread; what the adviser
writes there is added to the conversation as a message from the careers service.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from bot.language.redact import Redactor

_meta = MetaData()
HANDOFFS = Table(
    "handoffs",
    _meta,
    Column("conversation_id", String(255), primary_key=True),
    Column("state", String(16), nullable=False),  # taken | returned
    Column("channel", String(64), nullable=False),  # the Slack channel and thread the adviser writes in
    Column("thread_ts", String(32), nullable=False),
    Column("adviser", String(64), nullable=False),
    Column("forwarded_upto", Integer, nullable=False, default=0),  # the last student event passed on
    Column("updated", Float, nullable=False),
)

#: e-mail addresses and phone numbers out of what is shown to staff in Slack
redact = Redactor()


_EVENTS = text(
    "SELECT id, type_name, data FROM events WHERE sender_id = :sid AND id > :after AND type_name IN :types ORDER BY id"
).bindparams(bindparam("types", expanding=True))


def conversation_events(conn, conversation_id: str, after: int, types: tuple[str, ...]) -> list:
    """The tracker store's events of one conversation after id ``after``, of these types, oldest first."""
    return conn.execute(_EVENTS, {"sid": conversation_id, "after": after, "types": list(types)}).all()


@dataclass
class Handoff:
    conversation_id: str
    state: str
    channel: str
    thread_ts: str
    adviser: str
    forwarded_upto: int


class HandoffStore:
    def __init__(self, url: str | None = None, engine: Engine | None = None):
        if engine is None:
            args = {"connect_args": {"timeout": 30}} if (url or "").startswith("sqlite") else {}
            engine = create_engine(url, pool_pre_ping=True, **args)
        self.engine = engine
        _meta.create_all(engine, checkfirst=True)

    def get(self, conversation_id: str) -> Handoff | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(HANDOFFS).where(HANDOFFS.c.conversation_id == conversation_id)).first()
        return None if row is None else Handoff(*[row._mapping[c] for c in Handoff.__dataclass_fields__])

    def with_adviser(self, conversation_id: str) -> bool:
        found = self.get(conversation_id)
        return found is not None and found.state == "taken"

    def take(self, conversation_id: str, channel: str, thread_ts: str, adviser: str, upto: int) -> None:
        values = dict(state="taken", channel=channel, thread_ts=thread_ts, adviser=adviser, forwarded_upto=upto)
        with self.engine.begin() as conn:
            try:
                conn.execute(insert(HANDOFFS).values(conversation_id=conversation_id, updated=time.time(), **values))
            except IntegrityError:
                conn.rollback()
        with self.engine.begin() as conn:  # taken again after a hand-back
            conn.execute(
                update(HANDOFFS)
                .where(HANDOFFS.c.conversation_id == conversation_id)
                .values(updated=time.time(), **values)
            )

    def hand_back(self, conversation_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(HANDOFFS)
                .where(HANDOFFS.c.conversation_id == conversation_id)
                .values(state="returned", updated=time.time())
            )

    def by_thread(self, channel: str, thread_ts: str) -> Handoff | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(HANDOFFS.c.conversation_id).where(
                    HANDOFFS.c.channel == channel, HANDOFFS.c.thread_ts == thread_ts
                )
            ).first()
        return None if row is None else self.get(row.conversation_id)

    def taken(self) -> list[Handoff]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(HANDOFFS.c.conversation_id).where(HANDOFFS.c.state == "taken")).all()
        return [h for h in (self.get(r.conversation_id) for r in rows) if h]

    def forwarded(self, conversation_id: str, upto: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(HANDOFFS).where(HANDOFFS.c.conversation_id == conversation_id).values(forwarded_upto=upto)
            )

    # -- the tracker store's events ------------------------------------------------------------------

    def last_event_id(self) -> int:
        with self.engine.connect() as conn:
            try:
                return conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM events")).scalar_one()
            except (OperationalError, ProgrammingError):
                return 0

    def requests_after(self, after: int) -> list[tuple[int, str]]:
        """(event id, conversation) of each request for a person (``action_handoff``) after ``after``."""
        with self.engine.connect() as conn:
            try:
                rows = conn.execute(
                    text(
                        "SELECT id, sender_id FROM events WHERE id > :after AND type_name = 'action' "
                        "AND action_name = 'action_handoff' ORDER BY id"
                    ),
                    {"after": after},
                ).all()
            except (OperationalError, ProgrammingError):
                return []
        return [(r.id, r.sender_id) for r in rows]

    def student_messages(self, conversation_id: str, after: int) -> list[tuple[int, str]]:
        with self.engine.connect() as conn:
            rows = conversation_events(conn, conversation_id, after, ("user",))
        return [(r.id, json.loads(r.data or "{}").get("text") or "") for r in rows]

    def slots(self, conversation_id: str) -> dict:
        """The conversation's slots as last set (for the adviser's summary)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT data FROM events WHERE sender_id = :sid AND type_name = 'slot' ORDER BY id"),
                {"sid": conversation_id},
            ).all()
        out: dict = {}
        for row in rows:
            data = json.loads(row.data or "{}")
            out[data.get("name")] = data.get("value")
        return out
