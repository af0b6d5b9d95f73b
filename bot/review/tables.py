"""The review app's own tables, in the project database (created by migration 0006).

Conversations stay in the tracker store; ``review_summaries`` keeps one row per conversation, folded
from its events, so the list and its filters read one indexed table instead of every event.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Integer, MetaData, String, Table, Text

meta = MetaData()

STAFF = Table(
    "review_staff",
    meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(255), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # viewer | annotator | admin
    Column("password_hash", String(255), nullable=False),
    Column("created", Float, nullable=False),
)

SUMMARIES = Table(
    "review_summaries",
    meta,
    Column("sender_id", String(255), primary_key=True),
    Column("channel", String(32), nullable=False, default="rest"),
    Column("first_ts", Float, nullable=False),
    Column("last_ts", Float, nullable=False, index=True),
    Column("last_event_id", Integer, nullable=False),
    Column("user_messages", Integer, nullable=False, default=0),
    Column("intents", Text, nullable=False, default="|"),  # "|greet|inform|": each intent once
    Column("actions", Text, nullable=False, default="|"),
    Column("min_confidence", Float),
    Column("fallback", Boolean, nullable=False, default=False),
    Column("out_of_scope", Boolean, nullable=False, default=False),
    Column("handoff", Boolean, nullable=False, default=False),
    Column("nothing_fitted", Boolean, nullable=False, default=False),
    Column("waiting_for_list", Boolean, nullable=False, default=False),  # a recommendation not yet answered
    Column("career_aim", String(64), index=True),
    Column("budget_kind", String(16)),
    Column("budget_amount", Float),
    Column("budget_currency", String(3)),
    Column("weeks", Float),
    Column("hours_per_week", Float),
    Column("recommended", Text, nullable=False, default="|"),  # "|id|id|": credentials shown as fitting
    Column("words", Text, nullable=False, default=""),  # what the person wrote, redacted, lower case
    Column("status", String(16), nullable=False, default="new", index=True),  # new | reviewed | needs_work
)

TAGS = Table(
    "review_tags",
    meta,
    Column("sender_id", String(255), primary_key=True),
    Column("tag", String(64), primary_key=True, index=True),
)

NOTES = Table(
    "review_notes",
    meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("author", String(255), nullable=False),
    Column("at", Float, nullable=False),
    Column("text", Text, nullable=False),
)

CORRECTIONS = Table(
    "review_corrections",
    meta,
    Column("event_id", Integer, primary_key=True, autoincrement=False),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("text", Text, nullable=False),  # the message, redacted
    Column("predicted", String(64)),
    Column("intent", String(64), nullable=False),  # the right intent, or out_of_scope
    Column("author", String(255), nullable=False),
    Column("at", Float, nullable=False),
)

AUDIT = Table(
    "review_audit",
    meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False, index=True),
    Column("actor", String(255), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(255)),
    Column("detail", Text),
)

SYNC = Table(
    "review_sync",
    meta,
    Column("name", String(32), primary_key=True),
    Column("last_event_id", Integer, nullable=False),
)

ALL = (STAFF, SUMMARIES, TAGS, NOTES, CORRECTIONS, AUDIT, SYNC)
