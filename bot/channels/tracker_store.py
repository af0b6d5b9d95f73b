"""Rasa's SQL tracker store, cheaper per message, and optionally keeping what people wrote with e-mail
addresses, phone numbers and student ids already redacted.

:class:`AdvisorSQLTrackerStore` (the store ``endpoints.yml`` names) is Rasa's own, with these changes that
keep what it stores and returns the same:

- on SQLite, the database is in write-ahead-log mode with ``synchronous=NORMAL``: a message's events are
  committed without waiting for the disk twice, and readers (the review app) never block Rasa; and the
  connection is kept open between messages instead of opened and closed for each read and write;
- a conversation is read as its events' JSON only, not as ORM objects of every column;
- **what this process last read or wrote of a conversation is kept** (the JSON of its session's events,
  for the :data:`KEPT_CONVERSATIONS` most recent conversations, :data:`KEPT_CHARACTERS` at the most).
  Before each read or write, one indexed query checks it against the database: how many rows the
  conversation has, the newest row's id and that row's time. If another process (another Rasa server,
  an erasure) added or deleted rows, they differ and the conversation is read in full, as Rasa reads
  it. If not, reading costs no more rows, and saving needs no count of the session's events to find
  which of the tracker's events are new. (Rows are never changed in place by this project, only added
  or deleted.)
- on PostgreSQL (any server database), a pooled connection is checked before use (``pool_pre_ping``), and
  a read or write that loses its connection (the database restarted) is tried again for up to
  :data:`RETRY_SECONDS`, so a restart delays the messages of that moment instead of failing them; the
  events are sent to the event broker once, before the first try;
- ``events_after_message`` finds a message by its id (one query), for a retried message answered from the
  record (:mod:`bot.channels.faults`);
- **the tracker saved is handed back at the next read** when nothing has changed since: the database
  still holds just what it wrote (the check above), the tracker still has the events it had when saved,
  they are all of the session's events, and the domain is the same. Reading the conversation again would
  rebuild the same tracker from the same events, event by event. Handed back once; otherwise (and
  always by the redacting store, whose stored events differ from the tracker's) the tracker is rebuilt.

:class:`RedactingSQLTrackerStore` (``REDACT_AT_STORAGE=on``; ``make run`` then points Rasa's endpoints at
it): Rasa Open Source stores each message as it was typed. This store writes a redacted copy of each new
user event instead: its text, the text in its parse data and its entities' values. The conversation in
memory is unchanged while Rasa answers the message, so nothing the assistant does with it is lost; a
later turn reads the redacted text back, as staff and exports do.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.language.redact import Redactor
from bot.settings import load_settings


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


log = logging.getLogger(__name__)
#: how long a read or write that lost its database connection is tried again
RETRY_SECONDS = 20.0
#: conversations whose latest session this process keeps, and the characters of JSON kept at the most
KEPT_CONVERSATIONS = 1000
KEPT_CHARACTERS = 64_000_000
_SESSION_STARTED = SessionStarted.type_name
#: (rows, newest id, newest row's time) of one conversation, in one indexed query
_PROBE = sa.text(
    "SELECT c.n, c.last_id, e.timestamp FROM "
    "(SELECT COUNT(*) AS n, MAX(id) AS last_id FROM events WHERE sender_id = :sid) AS c "
    "LEFT JOIN events AS e ON e.id = c.last_id"
)
_ALL_ROWS = sa.text("SELECT id, type_name, timestamp, data FROM events WHERE sender_id = :sid ORDER BY id")
#: the user events that may be the one with a message id (the JSON is checked after)
_USER_ROWS = sa.text(
    "SELECT id, data FROM events WHERE sender_id = :sid AND type_name = 'user' AND data LIKE :needle ORDER BY id"
)
_ROWS_AFTER = sa.text("SELECT type_name, data FROM events WHERE sender_id = :sid AND id > :after ORDER BY id")


def lost_connection(exc: BaseException) -> bool:
    """Whether a database error is the connection lost or refused (worth trying again), not a bad query."""
    return isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)) or bool(
        getattr(exc, "connection_invalidated", False)
    )


@dataclass
class Kept:
    """What the database holds of one conversation, as this process last read or wrote it: the probe's
    numbers, and the rows of the latest session (Rasa's: those not older than its latest start)."""

    probe: tuple
    session_start: float | None = None
    rows: list[tuple[float | None, str]] = field(default_factory=list)  # (timestamp, data), oldest first
    size: int = 0
    saved: tuple | None = None  # (tracker, its number of events, its last event, the domain) when saved

    def saved_tracker(self, domain) -> DialogueStateTracker | None:
        """The tracker saved, if unchanged since and all of the session (once: then forgotten)."""
        saved, self.saved = self.saved, None
        if saved is None:
            return None
        tracker, n, last, saved_domain = saved
        events = tracker.events
        if saved_domain is not domain or len(events) != n or n != len(self.rows) or (n and events[-1] is not last):
            return None
        return tracker

    def add(self, rows: list[tuple[int, str, float | None, str]]) -> None:
        """Rows added after those kept (id, type, timestamp, data), in order; a new session start among
        them leaves out what is older than it, as Rasa's query does."""
        starts = [ts for _, kind, ts, _ in rows if kind == _SESSION_STARTED and ts is not None]
        if starts and (self.session_start is None or max(starts) > self.session_start):
            self.session_start = max(starts)
            self.rows = [row for row in self.rows if row[0] is not None and row[0] >= self.session_start]
        self.rows += [
            (ts, data)
            for _, _, ts, data in rows
            if self.session_start is None or (ts is not None and ts >= self.session_start)
        ]
        self.size = sum(len(data) for _, data in self.rows)


class AdvisorSQLTrackerStore(SQLTrackerStore):
    #: whether the tracker saved may be handed back at the next read (not when what is stored differs)
    hands_back_saved_tracker = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # one connection kept open (per thread) instead of one opened and closed for each session
            old, self.engine = self.engine, sa.create_engine(self.engine.url, poolclass=sa.pool.SingletonThreadPool)
            old.dispose()
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            with self.engine.connect() as conn:  # (kept in the file: every later connection is in WAL mode)
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        else:  # a server database: connections checked before use, so a restart costs no failed message
            url = self.engine.url
            old, self.engine = self.engine, sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
            old.dispose()
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.kept: OrderedDict[str, Kept] = OrderedDict()

    # -- what is kept ------------------------------------------------------------------------------

    def _probe(self, session, sender_id: str) -> tuple:
        return tuple(session.execute(_PROBE, {"sid": sender_id}).one())

    def _keep(self, sender_id: str, kept: Kept) -> None:
        self.kept[sender_id] = kept
        self.kept.move_to_end(sender_id)
        total = sum(k.size for k in self.kept.values())
        while len(self.kept) > KEPT_CONVERSATIONS or (total > KEPT_CHARACTERS and len(self.kept) > 1):
            _, gone = self.kept.popitem(last=False)
            total -= gone.size

    def _checked(self, session, sender_id: str) -> Kept | None:
        """What is kept of the conversation if the database still holds just that, else ``None``."""
        kept = self.kept.pop(sender_id, None)
        if kept is not None and self._probe(session, sender_id) == kept.probe:
            self.kept[sender_id] = kept
            return kept
        return None

    # -- reading -----------------------------------------------------------------------------------

    async def _retrying(self, attempt):
        """``attempt()``, tried again while the database connection is lost (not on SQLite: one file)."""
        deadline, pause = time.monotonic() + RETRY_SECONDS, 0.2
        while True:
            try:
                return attempt()
            except sa.exc.DBAPIError as exc:
                if self.engine.dialect.name == "sqlite" or not lost_connection(exc) or time.monotonic() > deadline:
                    raise
                log.warning("the conversation database is unreachable (%s); trying again", type(exc).__name__)
            await asyncio.sleep(pause)
            pause = min(pause * 2, 2.0)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's ``_retrieve``: the events of the latest session (of all with ``fetch_events_from_all_sessions``),
        from what is kept when the database still holds just that."""
        found = await self._retrying(lambda: self._retrieve_data(sender_id, fetch_events_from_all_sessions))
        if isinstance(found, DialogueStateTracker):
            return found
        events = [json.loads(d) for d in found]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def _retrieve_data(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | list:
        """The tracker saved, when it can be handed back; otherwise the JSON of the events to read."""
        with self.session_scope() as session:
            if fetch_events_from_all_sessions:
                query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
                data = [d for (d,) in query.with_entities(self.SQLEvent.data)]
            else:
                kept = self._checked(session, sender_id)
                saved = kept.saved_tracker(self.domain) if kept is not None else None
                if saved is not None:
                    return saved
                data = [d for _, d in (kept or self._read(session, sender_id)).rows]
        return data

    def _read(self, session, sender_id: str) -> Kept:
        """The conversation read in full (in one query, so its numbers and its rows agree)."""
        rows = [tuple(row) for row in session.execute(_ALL_ROWS, {"sid": sender_id})]
        probe = (len(rows), rows[-1][0], rows[-1][2]) if rows else (0, None, None)
        kept = Kept(probe)
        kept.add(rows)
        self._keep(sender_id, kept)
        return kept

    # -- writing -----------------------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``save``: the tracker's events the database does not have yet are added (after the
        session's events it holds, by count); the count is the kept one when the probe agrees."""
        await self.stream_events(tracker)
        await self._retrying(lambda: self._save_rows(tracker))

    def _save_rows(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        with self.session_scope() as session:
            kept = self._checked(session, sender_id)
            if kept is None:
                self.kept.pop(sender_id, None)
                events = list(self._additional_events(session, tracker))
            else:
                events = list(self._additional_events_after(tracker, len(kept.rows)))
            rows = [self._row(sender_id, event) for event in events]
            session.add_all(rows)
            session.flush()  # (the new rows' ids)
            added = [(row.id, row.type_name, row.timestamp, row.data) for row in rows]
            session.commit()
        if kept is not None:
            if added:
                kept.probe = (kept.probe[0] + len(added), added[-1][0], added[-1][2])
                kept.add(added)
            if self.hands_back_saved_tracker and self.domain is not None:
                n = len(tracker.events)
                kept.saved = (tracker, n, tracker.events[-1] if n else None, self.domain)
            self._keep(sender_id, kept)

    async def events_after_message(self, sender_id: str, message_id: str) -> list[Event] | None:
        """The events recorded after the user's message ``message_id`` up to the next one, or None when the
        conversation holds no message with that id."""
        return await self._retrying(lambda: self._events_after_message(sender_id, message_id))

    def _events_after_message(self, sender_id: str, message_id: str) -> list[Event] | None:
        needle = f'%"message_id": "{message_id}"%'
        with self.session_scope() as session:
            found = [
                row_id
                for row_id, data in session.execute(_USER_ROWS, {"sid": sender_id, "needle": needle})
                if json.loads(data).get("message_id") == message_id
            ]
            if not found:
                return None
            rows = list(session.execute(_ROWS_AFTER, {"sid": sender_id, "after": found[0]}))
        end = next((i for i, (kind, _) in enumerate(rows) if kind == UserUttered.type_name), len(rows))
        return [Event.from_parameters(json.loads(data)) for _, data in rows[:end]]

    def _additional_events_after(self, tracker: DialogueStateTracker, stored: int) -> Iterator:
        """The tracker's events after the ``stored`` ones (Rasa's ``_additional_events``, count known)."""
        return itertools.islice(tracker.events, stored, len(tracker.events))

    def _row(self, sender_id: str, event):
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )


class RedactingSQLTrackerStore(AdvisorSQLTrackerStore):
    hands_back_saved_tracker = False  # (the tracker has what was typed; the store, the redacted copy)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.redact = Redactor(load_settings().student_id_pattern)

    def _additional_events(self, session, tracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield self.redacted(event) if isinstance(event, UserUttered) else event

    def _additional_events_after(self, tracker, stored: int) -> Iterator:
        for event in super()._additional_events_after(tracker, stored):
            yield self.redacted(event) if isinstance(event, UserUttered) else event

    def redacted(self, event: UserUttered) -> UserUttered:
        clean = copy.deepcopy(event)
        clean.text = self.redact(event.text) if event.text else event.text
        clean.parse_data = self.redact.deep(event.parse_data)
        clean.entities = self.redact.deep(event.entities)
        return clean
