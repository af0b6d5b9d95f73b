"""Advice quality as a careers service would judge it: whole conversations against the real servers.

``make eval-advice`` holds every conversation in ``tests/advice_eval/*.yml`` (written by people who had
not read the code; never training data) with the real action server and Rasa server and the trained
model, over the REST channel, reading what the assistant holds after each turn from its own SQL
tracker store. Its last line:

    advice: relevant top-3 X%, on-topic fallback X%, unknown shown as fitting N, context lost N

- relevant top-3: of the first three options shown on turns where the writer judged which credentials
  an adviser would accept, the share that are acceptable (a list shown where the writer found none
  acceptable counts its items as not relevant);
- on-topic fallback: of the on-topic messages, the share answered with "Sorry, I can't help with
  that", "Sorry, I didn't understand" or "Could you say that another way?";
- unknown shown as fitting: options listed as fitting although their price, duration or weekly hours
  could not be checked against what the person said;
- context lost: turns after which the assistant no longer holds a budget, time or weekly hours the
  person had given (or holds a different one).

``--verbose`` prints every failing turn with what the assistant said.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.catalogue.loading import load_catalog
from bot.catalogue.models import make_engine
from bot.nlu.training import ensure_model, model_path
from bot.settings import PROJECT_ROOT, load_settings
from tests.conftest import free_port
from tests.stack import running_stack

EVAL_DIR = PROJECT_ROOT / "tests" / "advice_eval"
FALLBACK_STARTS = (
    "Sorry, I can't help with that",
    "Sorry, I didn't understand",
    "Sorry, I didn't quite understand",
    "Sorry, I'm not sure what you meant",  # a guess offered as buttons: the message was not understood
)
MONEY_TOLERANCE = 0.02
TIME_TOLERANCE = 0.15


@dataclass
class Reply:
    texts: list[str]
    items: list[dict]


@dataclass
class Score:
    top3_shown: int = 0
    top3_relevant: int = 0
    on_topic: int = 0
    on_topic_fallback: int = 0
    unknown_fitting: int = 0
    context_lost: int = 0
    turns: int = 0
    failures: list[str] = field(default_factory=list)


def load_conversations(folder: Path = EVAL_DIR) -> list[dict]:
    out = []
    for path in sorted(folder.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out += doc.get("conversations") or []
    return out


def say(rasa_url: str, sender: str, text: str) -> Reply:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=120) as resp:
        replies = json.loads(resp.read())
    texts = [r["text"] for r in replies if r.get("text")]
    items: list[dict] = []
    for r in replies:
        custom = r.get("custom") or {}
        if custom.get("type") == "credential_list":
            items = custom.get("items") or []
    return Reply(texts, items)


def last_intent(tracker_db: Path, sender: str) -> str:
    """The intent (and its confidence) the assistant read in the person's last message."""
    with sqlite3.connect(tracker_db) as conn:
        row = conn.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id DESC LIMIT 1", (sender,)
        ).fetchone()
    intent = (json.loads(row[0]).get("parse_data") or {}).get("intent") or {} if row else {}
    return f"{intent.get('name')} {intent.get('confidence', 0):.2f}"


def slots_of(tracker_db: Path, sender: str) -> dict:
    """The slots the assistant holds for ``sender``, folded from its events in the tracker store."""
    slots: dict = {}
    with sqlite3.connect(tracker_db) as conn:
        rows = conn.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    for type_name, data in rows:
        event = json.loads(data)
        if type_name == "slot":
            slots[event["name"]] = event.get("value")
        elif type_name in ("reset_slots", "restart", "session_started"):
            slots = {}
    return slots


def _budget_matches(expected: str, held: dict | None) -> bool:
    want = str(expected).strip().lower()
    if not held:
        return False
    if want in ("free", "free only"):
        return held.get("kind") == "free"
    if want in ("no limit", "unlimited"):
        return held.get("kind") == "unlimited"
    parts = want.upper().split()
    if len(parts) != 2:
        return True  # a budget the writer described in words: not checked
    currency, amount = parts[0], float(parts[1].replace(",", ""))
    got = held.get("amount")
    return (
        held.get("kind") == "limit"
        and held.get("currency") == currency
        and got is not None
        and abs(got - amount) <= MONEY_TOLERANCE * amount
    )


def context_problems(known: dict, slots: dict) -> list[str]:
    out = []
    if "budget" in known and not _budget_matches(known["budget"], slots.get("budget")):
        out.append(f"budget {known['budget']!r} held as {slots.get('budget')}")
    for key in ("weeks", "hours_per_week"):
        if key in known and known[key] is not None:
            want, got = float(known[key]), slots.get(key)
            if got is None or abs(float(got) - want) > TIME_TOLERANCE * want + 0.5:
                out.append(f"{key} {want:g} held as {got}")
    return out


def unknown_but_fitting(item: dict, slots: dict) -> list[str]:
    """What an item presented as fitting (no breaks, nothing marked unknown) lacks to be checked against
    the budget and time the assistant holds: read from the item's own facts, not from its labels."""
    if item.get("breaks") or item.get("unknown"):
        return []
    missing = []
    budget = slots.get("budget") or {}
    price = item.get("price")
    if budget.get("kind") in ("limit", "free") and (
        price is None or (price.get("basis") == "per_month" and item.get("duration_weeks") is None)
    ):
        missing.append("price" if price is None else "length (for a monthly price)")
    if slots.get("weeks") and item.get("duration_weeks") is None:
        missing.append("length")
    if slots.get("hours_per_week") and item.get("hours_per_week") is None:
        missing.append("weekly hours")
    return missing


def score_turn(turn: dict, reply: Reply, slots: dict, score: Score, where: str) -> None:
    score.turns += 1
    said = " ".join(reply.texts)
    if turn.get("on_topic", True):
        score.on_topic += 1
        if any(t.startswith(FALLBACK_STARTS) for t in reply.texts):
            score.on_topic_fallback += 1
            score.failures.append(f"{where}: on-topic message answered with a fallback: {said[:160]!r}")
    for item in reply.items:
        unchecked = unknown_but_fitting(item, slots)
        if unchecked:
            score.unknown_fitting += 1
            score.failures.append(
                f"{where}: {item['id']} shown as fitting, but its {', '.join(unchecked)} is not known"
            )
    if "acceptable" in turn and reply.items:
        acceptable = set(turn.get("acceptable") or [])
        top = [i["id"] for i in reply.items[:3]]
        score.top3_shown += len(top)
        hits = [i for i in top if i in acceptable]
        score.top3_relevant += len(hits)
        if len(hits) < len(top):
            held = {k: slots.get(k) for k in ("career_aim", "fields", "experience") if slots.get(k)}
            # "!": shown as breaking something the person said; "?": shown as not checked
            marked = [i["id"] + ("!" if i.get("breaks") else "?" if i.get("unknown") else "") for i in reply.items]
            score.failures.append(
                f"{where}: top 3 {marked[:3]}, then {marked[3:]}, acceptable {sorted(acceptable)[:8]}; held {held}"
            )
    problems = context_problems(turn.get("known") or {}, slots)
    if problems:
        score.context_lost += 1
        score.failures.append(f"{where}: context lost: {'; '.join(problems)}")


def run(conversations: list[dict], rasa_url: str, tracker_db: Path, verbose: bool) -> Score:
    score = Score()
    for n, conv in enumerate(conversations, 1):
        sender = f"eval-{uuid.uuid4().hex[:12]}"
        for i, turn in enumerate(conv["turns"], 1):
            reply = say(rasa_url, sender, turn["user"])
            where = f"{conv['id']} turn {i} ({turn['user'][:70]!r}, read as {last_intent(tracker_db, sender)})"
            score_turn(turn, reply, slots_of(tracker_db, sender), score, where)
            if verbose:
                intent = where.rsplit("read as ", 1)[-1].rstrip(")")
                print(
                    f"[{conv['id']} {i}] > {turn['user']}  (read as {intent})\n    < "
                    + "\n    < ".join(reply.texts)[:2500],
                    flush=True,
                )
        print(f"  {n}/{len(conversations)} conversations", file=sys.stderr, flush=True)
    return score


def summary(score: Score) -> str:
    top3 = 100 * score.top3_relevant / score.top3_shown if score.top3_shown else 0.0
    fallback = 100 * score.on_topic_fallback / score.on_topic if score.on_topic else 0.0
    return (
        f"advice: relevant top-3 {top3:.0f}%, on-topic fallback {fallback:.1f}%, "
        f"unknown shown as fitting {score.unknown_fitting}, context lost {score.context_lost}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every turn and every failure")
    parser.add_argument("--only", help="run only conversations whose id contains this")
    parser.add_argument(
        "--use-existing-model",
        action="store_true",
        help="do not retrain when the training inputs changed (quick iterations on actions only)",
    )
    args = parser.parse_args(argv)
    conversations = [c for c in load_conversations() if not args.only or args.only in c["id"]]
    if not conversations:
        print(f"No conversations in {EVAL_DIR}.", file=sys.stderr)
        return 2
    model = model_path() if args.use_existing_model and model_path().exists() else ensure_model()
    with tempfile.TemporaryDirectory(prefix="advice-eval-") as tmp:
        var_dir = Path(tmp)
        engine = make_engine(load_settings({"ADVISOR_VAR_DIR": tmp}).database_url)
        load_catalog(engine, PROJECT_ROOT / "data" / "catalog")
        engine.dispose()
        turns = sum(len(c["turns"]) for c in conversations)
        print(f"Holding {len(conversations)} conversations ({turns} turns) with the real servers…", file=sys.stderr)
        started = time.monotonic()
        # as deployed by default: no currency assumed for a bare amount (the assistant asks)
        with running_stack(model, var_dir, (free_port(), free_port(), None), {"DEFAULT_CURRENCY": ""}) as stack:
            score = run(conversations, stack.rasa_url, var_dir / "conversations.db", args.verbose)
    if args.verbose or score.failures:
        print("\n".join(score.failures[: None if args.verbose else 40]))
        if not args.verbose and len(score.failures) > 40:
            print(f"(+{len(score.failures) - 40} more; --verbose lists them all)")
    print(f"{score.turns} turns in {time.monotonic() - started:.0f} s")
    print(f"{score.top3_relevant} of the {score.top3_shown} options shown in a top three are acceptable")
    print(summary(score))
    return 0


if __name__ == "__main__":
    sys.exit(main())
