"""Rasa's SQL tracker store, cheaper per message, and optionally keeping what people wrote with e-mail
addresses, phone numbers and student ids already redacted.

:class:`AdvisorSQLTrackerStore` (the store ``endpoints.yml`` names) is Rasa's own, with two changes that
keep what it stores and returns the same:

- on SQLite, the database is in write-ahead-log mode with ``synchronous=NORMAL``: a message's events are
  committed without waiting for the disk twice, and readers (the review app) never block Rasa;
- a conversation is read as its events' JSON only, not as ORM objects of every column.

:class:`RedactingSQLTrackerStore` (``REDACT_AT_STORAGE=on``; ``make run`` then points Rasa's endpoints at
it): Rasa Open Source stores each message as it was typed. This store writes a redacted copy of each new
user event instead: its text, the text in its parse data and its entities' values. The conversation in
memory is unchanged while Rasa answers the message, so nothing the assistant does with it is lost; a
later turn reads the redacted text back, as staff and exports do.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.language.redact import Redactor
from bot.settings import load_settings


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class AdvisorSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            with self.engine.connect() as conn:  # (kept in the file: every later connection is in WAL mode)
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's ``_retrieve``, reading the events' JSON column only."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data)]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None


class RedactingSQLTrackerStore(AdvisorSQLTrackerStore):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.redact = Redactor(load_settings().student_id_pattern)

    def _additional_events(self, session, tracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield self.redacted(event) if isinstance(event, UserUttered) else event

    def redacted(self, event: UserUttered) -> UserUttered:
        clean = copy.deepcopy(event)
        clean.text = self.redact(event.text) if event.text else event.text
        clean.parse_data = self.redact.deep(event.parse_data)
        clean.entities = self.redact.deep(event.entities)
        return clean
