"""Reviews into training and test data: corrected messages as Rasa NLU YAML, conversations as test stories.

Both are redacted and written in the YAML Rasa reads (``rasa data validate`` checks them, and the stories
run under ``rasa test``). Each export is recorded in the audit log.
"""

from __future__ import annotations

import json

import yaml
from sqlalchemy import select

from bot.review.service import Review
from bot.review.staff import audit
from bot.review.tables import CORRECTIONS

SKIPPED_ACTIONS = {"action_listen", "action_session_start"}


class _Literal(str):
    """A string written as a YAML block (``|``), as Rasa's own files are."""


def _literal(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


yaml.add_representer(_Literal, _literal, Dumper=yaml.SafeDumper)


def _one_line(words: str) -> str:
    return " ".join(words.split())


def nlu_yaml(review: Review, actor: str) -> tuple[str, int]:
    """Every corrected message, under its right intent; the YAML and how many examples."""
    with review.project.connect() as conn:
        rows = conn.execute(select(CORRECTIONS.c.intent, CORRECTIONS.c.text).order_by(CORRECTIONS.c.intent)).all()
    by_intent: dict[str, list[str]] = {}
    for intent, words in rows:
        words = _one_line(review.redact(words))
        if words and words not in by_intent.setdefault(intent, []):
            by_intent[intent].append(words)
    nlu = [
        {"intent": intent, "examples": _Literal("".join(f"- {w}\n" for w in examples))}
        for intent, examples in sorted(by_intent.items())
        if examples
    ]
    body = yaml.safe_dump({"version": "3.1", "nlu": nlu}, sort_keys=False, allow_unicode=True, width=1000)
    count = sum(len(v) for v in by_intent.values())
    audit(review.project, actor, "export_nlu", None, f"{count} examples")
    return "# Messages whose intent staff corrected in the review app (redacted).\n" + body, count


def story_steps(review: Review, sender_id: str) -> list[dict]:
    rows, corrected = review.events(sender_id), review.corrections(sender_id)
    steps: list[dict] = []
    for row in rows:
        data = json.loads(row.data or "{}")
        if row.type_name == "user":
            intent = corrected.get(row.id) or ((data.get("parse_data") or {}).get("intent") or {}).get("name")
            words = _one_line(review.redact(data.get("text") or ""))
            if words and intent:
                steps.append({"user": _Literal(words + "\n"), "intent": intent})
        elif row.type_name == "action" and data.get("name") not in SKIPPED_ACTIONS:
            steps.append({"action": data.get("name")})
        elif row.type_name == "active_loop":
            steps.append({"active_loop": data.get("name")})
        elif row.type_name == "slot" and data.get("name") == "requested_slot":
            steps.append({"slot_was_set": [{"requested_slot": data.get("value")}]})
    return steps


def stories_yaml(review: Review, sender_ids: list[str], actor: str) -> tuple[str, int]:
    """Test stories of the chosen conversations (those with at least one message), each named by its review
    status. A corrected message carries its right intent; the actions are those the assistant took, so a
    story whose intent was corrected shows what the assistant should have done only once it is edited."""
    stories = []
    statuses = review.statuses(sender_ids)
    for n, sid in enumerate(sender_ids, 1):
        steps = story_steps(review, sid)
        if any("user" in s for s in steps):
            status = statuses.get(sid, "new").replace("_", " ")
            stories.append({"story": f"conversation {n} ({status})", "steps": steps})
    body = yaml.safe_dump({"version": "3.1", "stories": stories}, sort_keys=False, allow_unicode=True, width=1000)
    audit(review.project, actor, "export_stories", None, f"{len(stories)} conversations")
    head = (
        "# Test stories from conversations chosen in the review app (redacted). The actions are what the\n"
        "# assistant did: where a message's intent was corrected, edit the actions that follow it.\n"
    )
    return head + body, len(stories)
