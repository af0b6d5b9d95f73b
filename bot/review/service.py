"""What the review app does with conversations: list, read, annotate, erase and purge them.

Conversations are read from Rasa's SQL tracker store (``TRACKER_STORE_URL``); the review app's own
data lives in the project database (``DATABASE_URL``). Everything shown passes the redactor.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass

from sqlalchemy import create_engine, delete, insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from bot.catalogue.migrate import upgrade
from bot.catalogue.models import make_engine
from bot.language.redact import Redactor
from bot.review import queries, summaries
from bot.review.staff import audit
from bot.review.tables import AUDIT, CORRECTIONS, NOTES, SUMMARIES, TAGS
from bot.settings import Settings

TAG_MAX = 40


@dataclass
class Turn:
    """One row of a transcript."""

    kind: str  # user | bot | action | slot
    event_id: int
    at: str
    text: str = ""
    intent: str | None = None
    confidence: float | None = None
    entities: list | None = None
    items: list | None = None
    name: str | None = None
    value: str | None = None
    corrected: str | None = None
    seconds: float | None = None  # the time the assistant took to answer


def tracker_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return create_engine(url, connect_args={"timeout": 30})
    return create_engine(url, pool_pre_ping=True)


class Review:
    def __init__(self, settings: Settings, tracker: Engine | None = None, project: Engine | None = None):
        self.settings = settings
        self.tracker = tracker or tracker_engine(settings.tracker_store_url)
        self.project = project or make_engine(settings.database_url)
        self.redact = Redactor(settings.student_id_pattern)
        self._choices: dict | None = None
        upgrade(self.project)

    # ---- the list ------------------------------------------------------------------------------------
    def sync(self, progress=None) -> int:
        folded = summaries.sync(self.tracker, self.project, self.redact, progress)
        if folded:
            self._choices = None
        return folded

    def page(self, f: queries.Filters) -> tuple[list[dict], int]:
        self.sync()
        rows_q, count_q = queries.page_query(f)
        with self.project.connect() as conn:
            rows = [dict(r) for r in conn.execute(rows_q).mappings()]
            total = conn.execute(count_q).scalar_one()
            tags = self._tags(conn, [r["sender_id"] for r in rows])
        for r in rows:
            r["tags"] = tags.get(r["sender_id"], [])
            r["intent_list"] = [i for i in r["intents"].split("|") if i]
        return rows, total

    def choices(self) -> dict:
        """The values the list's drop-downs offer: intents, actions, aims and tags seen (kept until new
        events or a new tag arrive)."""
        if self._choices is None:
            self._choices = self._read_choices()
        return self._choices

    def _read_choices(self) -> dict:
        with self.project.connect() as conn:
            bags = conn.execute(select(SUMMARIES.c.intents, SUMMARIES.c.actions).distinct().limit(5000)).all()
            aims = conn.execute(select(SUMMARIES.c.career_aim).distinct().where(SUMMARIES.c.career_aim.isnot(None)))
            tags = conn.execute(select(TAGS.c.tag).distinct().order_by(TAGS.c.tag))
            intents = sorted({i for b in bags for i in b.intents.split("|") if i})
            actions = sorted({a for b in bags for a in b.actions.split("|") if a})
            return {
                "intents": intents,
                "actions": actions,
                "aims": sorted(a for (a,) in aims),
                "tags": [t for (t,) in tags],
            }

    @staticmethod
    def _tags(conn, senders: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if senders:
            for sid, tag in conn.execute(select(TAGS.c.sender_id, TAGS.c.tag).where(TAGS.c.sender_id.in_(senders))):
                out.setdefault(sid, []).append(tag)
        return out

    # ---- one conversation ----------------------------------------------------------------------------
    def summary(self, sender_id: str) -> dict | None:
        self.sync()
        with self.project.connect() as conn:
            row = conn.execute(select(SUMMARIES).where(SUMMARIES.c.sender_id == sender_id)).mappings().first()
            if row is None:
                return None
            out = dict(row)
            out["tags"] = self._tags(conn, [sender_id]).get(sender_id, [])
            out["notes"] = [
                {**dict(n), "text": self.redact(n["text"])}
                for n in conn.execute(
                    select(NOTES).where(NOTES.c.sender_id == sender_id).order_by(NOTES.c.id)
                ).mappings()
            ]
        return out

    def events(self, sender_id: str) -> list:
        """The conversation's tracker events, oldest first."""
        with self.tracker.connect() as conn:
            return conn.execute(
                text("SELECT id, type_name, timestamp, data FROM events WHERE sender_id = :sid ORDER BY id"),
                {"sid": sender_id},
            ).all()

    def corrections(self, sender_id: str) -> dict[int, str]:
        """The right intent staff gave, by the message's event id."""
        with self.project.connect() as conn:
            query = select(CORRECTIONS.c.event_id, CORRECTIONS.c.intent).where(CORRECTIONS.c.sender_id == sender_id)
            return dict(conn.execute(query).all())

    def transcript(self, sender_id: str) -> list[Turn]:
        rows, corrected = self.events(sender_id), self.corrections(sender_id)
        turns, last_user = [], None
        for r in rows:
            turn = self._turn(r, json.loads(r.data or "{}"))
            if turn is None:
                continue
            if turn.kind == "user":
                turn.corrected = corrected.get(r.id)
                last_user = r.timestamp
            elif turn.kind == "bot" and last_user is not None:
                turn.seconds = round(r.timestamp - last_user, 2)
            turns.append(turn)
        return turns

    def _turn(self, row, data: dict) -> Turn | None:
        at = dt.datetime.fromtimestamp(row.timestamp or 0, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        if row.type_name == "user":
            intent = (data.get("parse_data") or {}).get("intent") or {}
            entities = [
                {"entity": e.get("entity"), "value": self.redact(str(e.get("value")))}
                for e in (data.get("parse_data") or {}).get("entities") or []
            ]
            return Turn(
                "user",
                row.id,
                at,
                self.redact(data.get("text")),
                intent.get("name"),
                intent.get("confidence"),
                entities,
            )
        if row.type_name == "bot":
            custom = ((data.get("data") or {}).get("custom")) or {}
            items = custom.get("items") if custom.get("type") == "credential_list" else None
            shown = [self._card(i) for i in items or []]
            words = data.get("text") or custom.get("intro") or ""
            return Turn("bot", row.id, at, self.redact(words), items=shown or None)
        if row.type_name == "action" and data.get("name") not in ("action_listen", "action_session_start"):
            return Turn("action", row.id, at, name=data.get("name"), confidence=data.get("confidence"))
        if row.type_name == "slot" and data.get("name") not in ("requested_slot",):
            value = data.get("value")
            if isinstance(value, dict) and "kind" in value:  # a budget
                shown = " ".join(str(value.get(k)) for k in ("kind", "amount", "currency") if value.get(k) is not None)
            else:
                shown = json.dumps(value)
            return Turn("slot", row.id, at, name=data.get("name"), value=self.redact(shown))
        return None

    @staticmethod
    def _card(item: dict) -> dict:
        state = (
            "breaks " + ", ".join(item.get("breaks") or [])
            if item.get("breaks")
            else ("not checked: " + ", ".join(item.get("unknown") or []) if item.get("unknown") else "fits")
        )
        return {"id": item.get("id"), "title": item.get("title"), "provider": item.get("provider"), "state": state}

    def statuses(self, sender_ids: list[str]) -> dict[str, str]:
        with self.project.connect() as conn:
            query = select(SUMMARIES.c.sender_id, SUMMARIES.c.status).where(SUMMARIES.c.sender_id.in_(sender_ids))
            return dict(conn.execute(query).all())

    # ---- annotations ---------------------------------------------------------------------------------
    def set_status(self, sender_id: str, status: str, actor: str) -> None:
        if status not in queries.STATUSES:
            raise ValueError(f"The review status must be one of {', '.join(queries.STATUSES)}.")
        with self.project.begin() as conn:
            conn.execute(update(SUMMARIES).where(SUMMARIES.c.sender_id == sender_id).values(status=status))
        audit(self.project, actor, "status", sender_id, status)

    def add_tag(self, sender_id: str, tag: str, actor: str) -> None:
        tag = " ".join(tag.strip().lower().split())[:TAG_MAX]
        if not tag:
            raise ValueError("Type a tag first.")
        try:
            with self.project.begin() as conn:
                conn.execute(insert(TAGS).values(sender_id=sender_id, tag=tag))
        except IntegrityError:
            return  # already tagged so
        self._choices = None
        audit(self.project, actor, "tag", sender_id, tag)

    def remove_tag(self, sender_id: str, tag: str, actor: str) -> None:
        with self.project.begin() as conn:
            conn.execute(delete(TAGS).where(TAGS.c.sender_id == sender_id, TAGS.c.tag == tag))
        audit(self.project, actor, "untag", sender_id, tag)

    def add_note(self, sender_id: str, note: str, actor: str) -> None:
        note = note.strip()
        if not note:
            raise ValueError("Type a note first.")
        with self.project.begin() as conn:
            conn.execute(insert(NOTES).values(sender_id=sender_id, author=actor, at=time.time(), text=note[:4000]))
        audit(self.project, actor, "note", sender_id)

    def correct(self, sender_id: str, event_id: int, intent: str, actor: str) -> None:
        """Record the right intent of one message (or ``out_of_scope``) for the NLU export."""
        with self.tracker.connect() as conn:
            row = conn.execute(
                text("SELECT data FROM events WHERE id = :id AND sender_id = :sid AND type_name = 'user'"),
                {"id": event_id, "sid": sender_id},
            ).first()
        if row is None:
            raise ValueError("That message is not in this conversation.")
        data = json.loads(row.data or "{}")
        predicted = ((data.get("parse_data") or {}).get("intent") or {}).get("name")
        values = {
            "sender_id": sender_id,
            "text": self.redact(data.get("text") or ""),
            "predicted": predicted,
            "intent": intent,
            "author": actor,
            "at": time.time(),
        }
        with self.project.begin() as conn:
            if not conn.execute(
                update(CORRECTIONS).where(CORRECTIONS.c.event_id == event_id).values(**values)
            ).rowcount:
                conn.execute(insert(CORRECTIONS).values(event_id=event_id, **values))
        audit(self.project, actor, "correct", sender_id, f"{predicted} -> {intent}")

    # ---- erasure and retention -----------------------------------------------------------------------
    def erase(self, sender_id: str, actor: str, why: str = "erase") -> int:
        """Remove the conversation everywhere: tracker events, what the channels kept, and the review
        app's summary, tags, notes and corrections. The audit log keeps that it happened, not what it held."""
        events = 0
        for table, column in (
            ("events", "sender_id"),
            ("widget_sent", "conversation_id"),
            ("handoffs", "conversation_id"),
        ):
            try:
                with self.tracker.begin() as conn:
                    n = conn.execute(text(f"DELETE FROM {table} WHERE {column} = :sid"), {"sid": sender_id}).rowcount
            except (OperationalError, ProgrammingError):
                continue  # that channel never ran here
            events += n if table == "events" else 0
        with self.project.begin() as conn:
            for table in (SUMMARIES, TAGS, NOTES, CORRECTIONS):
                conn.execute(delete(table).where(table.c.sender_id == sender_id))
            # earlier entries keep who did what, not which conversation or what its tags said
            conn.execute(update(AUDIT).where(AUDIT.c.target == sender_id).values(target="(erased)", detail=None))
        self._choices = None
        audit(self.project, actor, why, "one conversation", f"{events} events")
        return events

    def purge(self, actor: str, days: int | None = None, now: float | None = None) -> int:
        """Erase every conversation whose last event is older than the retention period; how many."""
        days = days or self.settings.review_retention_days
        cutoff = (now or time.time()) - days * 86400
        with self.tracker.connect() as conn:
            try:
                old = [
                    sid
                    for (sid,) in conn.execute(
                        text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cut"),
                        {"cut": cutoff},
                    )
                ]
            except (OperationalError, ProgrammingError):
                old = []
        self.sync()
        for sid in old:
            self.erase(sid, actor, why="purge")
        audit(self.project, actor, "purge", f"older than {days} days", f"{len(old)} conversations")
        return len(old)
