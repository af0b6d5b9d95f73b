"""One summary row per conversation, folded from the tracker store's events as they arrive.

:func:`sync` reads the events after the last one it folded (the tracker store's ``events.id`` only
grows), updates the summaries of the conversations they belong to and remembers where it stopped, so
each read of the list costs one indexed query plus the events that came since.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from bot.review.tables import SUMMARIES, SYNC

FALLBACK_ACTIONS = {"action_default_fallback", "action_default_ask_affirmation", "action_unsure"}
FALLBACK_INTENTS = {"nlu_fallback"}
HANDOFF = {"human_handoff", "action_handoff"}
OUT_OF_SCOPE = {"out_of_scope", "action_out_of_scope"}
#: Rasa's input channel → the name staff see
CHANNELS = {"widget": "website", "slack": "slack"}
BATCH = 5000
_FOLDING = threading.Lock()


def empty_summary(sender_id: str, ts: float, event_id: int) -> dict:
    return {
        "sender_id": sender_id,
        "channel": "rest",
        "first_ts": ts,
        "last_ts": ts,
        "last_event_id": event_id,
        "user_messages": 0,
        "intents": "|",
        "actions": "|",
        "min_confidence": None,
        "fallback": False,
        "out_of_scope": False,
        "handoff": False,
        "nothing_fitted": False,
        "waiting_for_list": False,
        "career_aim": None,
        "budget_kind": None,
        "budget_amount": None,
        "budget_currency": None,
        "weeks": None,
        "hours_per_week": None,
        "recommended": "|",
        "words": "",
        "status": "new",
    }


def _add(bag: str, name: str | None) -> str:
    return bag if not name or f"|{name}|" in bag else f"{bag}{name}|"


def fold(summary: dict, event_id: int, type_name: str, ts: float, data: dict, redact: Callable[[str], str]) -> None:
    """Bring one event into the conversation's summary."""
    summary["last_ts"] = max(summary["last_ts"], ts or 0.0)
    summary["last_event_id"] = event_id
    if type_name == "user":
        _fold_user(summary, data, redact)
    elif type_name == "action":
        name = data.get("name")
        if name == "action_listen":
            return
        summary["actions"] = _add(summary["actions"], name)
        summary["fallback"] |= name in FALLBACK_ACTIONS
        summary["handoff"] |= name in HANDOFF
        summary["out_of_scope"] |= name in OUT_OF_SCOPE
        if name == "action_recommend":
            summary["waiting_for_list"] = True
    elif type_name == "bot":
        _fold_bot(summary, data)
    elif type_name == "slot":
        _fold_slot(summary, data.get("name"), data.get("value"))


def _fold_user(summary: dict, data: dict, redact: Callable[[str], str]) -> None:
    if summary["waiting_for_list"]:  # the last recommendation showed nothing that fits
        summary["nothing_fitted"] = True
        summary["waiting_for_list"] = False
    summary["user_messages"] += 1
    channel = CHANNELS.get(data.get("input_channel") or "", "rest")
    if summary["user_messages"] == 1 or summary["channel"] == "rest":
        summary["channel"] = channel
    intent = (data.get("parse_data") or {}).get("intent") or {}
    name, confidence = intent.get("name"), intent.get("confidence")
    summary["intents"] = _add(summary["intents"], name)
    summary["fallback"] |= name in FALLBACK_INTENTS
    summary["handoff"] |= name in HANDOFF
    summary["out_of_scope"] |= name in OUT_OF_SCOPE
    if isinstance(confidence, (int, float)):
        low = summary["min_confidence"]
        summary["min_confidence"] = confidence if low is None else min(low, confidence)
    words = redact(data.get("text") or "").lower()
    if words and len(summary["words"]) < 20000:
        summary["words"] = (summary["words"] + "\n" + words).lstrip("\n")


def _fold_bot(summary: dict, data: dict) -> None:
    custom = ((data.get("data") or {}).get("custom")) or {}
    if custom.get("type") != "credential_list":
        return
    fitting = [i for i in custom.get("items") or [] if not i.get("breaks") and not i.get("unknown")]
    for item in fitting:
        summary["recommended"] = _add(summary["recommended"], item.get("id"))
    if summary["waiting_for_list"]:
        summary["waiting_for_list"] = False
        summary["nothing_fitted"] |= not fitting


def _fold_slot(summary: dict, name: str | None, value) -> None:
    if name in ("career_aim", "fields"):  # a list of codes: the field, where one is known, says more
        first = value[0] if isinstance(value, list) and value else value if isinstance(value, str) else None
        if first and (name == "fields" or summary["career_aim"] is None):
            summary["career_aim"] = str(first)[:64]
    elif name == "budget":
        value = value if isinstance(value, dict) else {}
        summary["budget_kind"] = value.get("kind")
        amount = value.get("amount")
        summary["budget_amount"] = 0.0 if value.get("kind") == "free" else amount
        summary["budget_currency"] = value.get("currency")
    elif name in ("weeks", "hours_per_week"):
        summary[name] = float(value) if isinstance(value, (int, float)) else None


_EVENTS = text("SELECT id, sender_id, type_name, timestamp, data FROM events WHERE id > :after ORDER BY id LIMIT :n")


class FoldedElsewhere(RuntimeError):
    """Another process folded the same events first."""


def sync(tracker: Engine, project: Engine, redact: Callable[[str], str], progress=None) -> int:
    """Fold every event the tracker store gained since the last sync; how many events were read."""
    with _FOLDING:  # one fold at a time in this process; across processes, the watermark decides
        try:
            return _sync(tracker, project, redact, progress)
        except (FoldedElsewhere, IntegrityError):
            return 0


def _sync(tracker: Engine, project: Engine, redact: Callable[[str], str], progress=None) -> int:
    with project.connect() as conn:
        after = conn.execute(select(SYNC.c.last_event_id).where(SYNC.c.name == "events")).scalar() or 0
    total = 0
    while True:
        try:
            with tracker.connect() as conn:
                rows = conn.execute(_EVENTS, {"after": after, "n": BATCH}).all()
        except (OperationalError, ProgrammingError):  # no conversation has been kept yet
            return total
        if not rows:
            return total
        _apply(project, rows, after, redact)
        after = rows[-1].id
        total += len(rows)
        if progress is not None:
            progress(total)


def _apply(project: Engine, rows: list, after: int, redact: Callable[[str], str]) -> None:
    senders = sorted({r.sender_id for r in rows})
    with project.begin() as conn:
        known = {}
        for chunk in range(0, len(senders), 500):
            part = senders[chunk : chunk + 500]
            for row in conn.execute(select(SUMMARIES).where(SUMMARIES.c.sender_id.in_(part))).mappings():
                known[row["sender_id"]] = dict(row)
        existing = set(known)
        for r in rows:
            summary = known.get(r.sender_id)
            if summary is None:
                summary = known[r.sender_id] = empty_summary(r.sender_id, r.timestamp or 0.0, r.id)
            try:
                data = json.loads(r.data or "{}")
            except ValueError:
                data = {}
            fold(summary, r.id, r.type_name, r.timestamp or 0.0, data, redact)
        new = [dict(s) for sid, s in known.items() if sid not in existing]
        if new:
            conn.execute(insert(SUMMARIES), new)
        for sid in existing:
            row = dict(known[sid])
            row.pop("status")  # staff set it; a fold never does
            conn.execute(update(SUMMARIES).where(SUMMARIES.c.sender_id == sid).values(**row))
        last = rows[-1].id
        # another process (a second review server) may have folded these events meanwhile: then this
        # transaction is rolled back, so no event is counted twice
        moved = conn.execute(
            update(SYNC).where(SYNC.c.name == "events", SYNC.c.last_event_id == after).values(last_event_id=last)
        ).rowcount
        if not moved:
            if after:
                raise FoldedElsewhere()
            conn.execute(insert(SYNC).values(name="events", last_event_id=last))
