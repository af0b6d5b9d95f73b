"""``make bench-review``: the review app's filtered conversation list at 10,000 conversations, SQLite and
PostgreSQL.

For each database, a tracker store with Rasa's SQL schema (one ``events`` table) is filled with 10,000
synthetic conversations of about 200,000 events in Rasa's JSON shape (greetings, advice forms with
aim, fields, budget, weeks and hours slots, credential lists, details, fallbacks, hand-offs, out of
scope), spread over 120 days and stored in time order, as Rasa writes them. The review app's project
database is migrated, the first full ``Review.sync()`` (folding every event into the summaries) is
timed, some conversations are given a status or a tag as staff would, and the real app is started in
its own process (``python -m bench.review --serve PORT``: :func:`bot.review.app.init_app` without the
daily purge). A staff account logs in through ``/login`` and asks for filtered lists
(``/conversations?...``: dates, channel, intent, action, aim, budget, weeks, confidence, flags, status,
tag, words, pages), a few at a time; latency is the wall time of each request, body read.

PostgreSQL (``BENCH_POSTGRES_URL``) gets two databases of its own, ``bench_review_tracker`` and
``bench_review_project``, dropped at the end; when it cannot be reached it is skipped with the reason
(and the run fails when ``CI=true``). The last line gives p95 for both.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine, make_url

from bench.catalog import shown
from bot.catalogue.models import make_engine
from bot.review.app import init_app
from bot.review.service import Review, tracker_engine
from bot.review.staff import add_staff
from bot.review.tables import SUMMARIES, TAGS
from bot.settings import PROJECT_ROOT, environment, load_settings
from tests.conftest import free_port

CONVERSATIONS = 10_000
DAYS = 120
END = dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc)
SEED = 20261125
TARGET_MS = 300.0
BATCH = 5000
PG_DATABASES = ("bench_review_tracker", "bench_review_project")
STAFF_EMAIL, STAFF_PASSWORD = "bench.reviewer@example.ac.uk", "bench-review-password"
LIST_TABLE = '<table class="list">'
TAG_NAMES = ("wrong intent", "missing course", "good answer", "pricing", "follow up")

# ---- Rasa's SQL tracker store -------------------------------------------------------------------------
tracker_meta = MetaData()
EVENTS = Table(
    "events",
    tracker_meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
    Index("ix_events_sender_id", "sender_id"),
)


def log(msg: str, end: str = "\n") -> None:
    print(msg, file=sys.stderr, end=end, flush=True)


# ---- synthetic conversations ----------------------------------------------------------------------------
FIELDS = {  # field code -> (the broad aim, how people name it)
    "data_analysis": ("tech_data", "data analysis"),
    "data_science": ("tech_data", "data science"),
    "machine_learning": ("tech_ai", "machine learning"),
    "cloud_computing": ("tech_cloud", "cloud computing"),
    "cybersecurity": ("tech_cybersecurity", "cyber security"),
    "software_development": ("tech_software", "software development"),
    "web_development": ("tech_software", "web development"),
    "it_support": ("tech_it_support", "IT support"),
    "project_management": ("business_management", "project management"),
    "digital_marketing": ("creative_digital", "digital marketing"),
    "ux_design": ("creative_digital", "UX design"),
    "teaching": ("education", "teaching"),
    "public_health": ("healthcare", "public health"),
    "nursing_clinical": ("healthcare", "nursing"),
    "entrepreneurship": ("entrepreneurship", "starting a business"),
    "lab_science": ("science_specialist", "lab science"),
}
PROVIDERS = ("Coursera", "edX", "FutureLearn", "Open University", "Google", "Microsoft", "AWS", "Cisco", "CompTIA")
KINDS = ("Professional Certificate", "MicroMasters", "Short Course", "Microcredential", "Certificate")
BUDGETS = (
    {"kind": "limit", "amount": 300, "currency": "GBP", "text": "£300"},
    {"kind": "limit", "amount": 100, "currency": "GBP", "text": "£100"},
    {"kind": "limit", "amount": 1000, "currency": "GBP", "text": "£1,000"},
    {"kind": "limit", "amount": 500, "currency": "USD", "text": "$500"},
    {"kind": "limit", "amount": 200, "currency": "EUR", "text": "€200"},
    {"kind": "free", "amount": None, "currency": None, "text": "free"},
    {"kind": "unlimited", "amount": None, "currency": None, "text": "no limit"},
)
SAY = {
    "greet": ("hi", "hello", "hey there", "good morning", "hi, can you help me?"),
    "goodbye": ("bye", "thanks, bye", "that's all, goodbye"),
    "thank": ("thanks", "thank you, that's helpful", "cheers"),
    "ask_details": ("tell me more about the first one", "what does the second one involve?", "details please"),
    "ask_cheaper": ("anything cheaper?", "is there a cheaper option", "those are too expensive"),
    "show_more": ("show me more", "any others?", "more options please"),
    "ask_credit": ("do any of these give university credit?", "is it credit bearing?"),
    "faq": ("how do micro-credentials work?", "are these recognised by employers?", "what is a micro-credential"),
    "chitchat": ("are you a robot?", "how are you", "lol ok"),
    "out_of_scope": ("what's the weather tomorrow", "can you book my exam resit", "where is the library cafe"),
    "human_handoff": (
        "can I talk to a person?",
        "I'd like to speak to an adviser, my email is jo.bloggs@example.ac.uk",
        "put me through to someone please, call 07700 900123",
    ),
    "nlu_fallback": ("asdf", "hmm not sure what i want tbh", "k", "what about the thing from before"),
}
CREDENTIALS = [
    {"id": f"{p.lower().replace(' ', '-')}-{code}-{k}", "title": f"{what.title()} {KINDS[k]}", "provider": p}
    for code, (_aim, what) in FIELDS.items()
    for p in PROVIDERS
    for k in range(len(KINDS))
]
INTENTS = sorted({*SAY, "request_advice", "inform"})
ACTIONS = sorted(
    {"action_greet", "action_recommend", "action_credential_detail", "action_default_fallback", "action_unsure"}
    | {"action_default_ask_affirmation", "action_out_of_scope", "action_handoff", "validate_advice_form"}
    | {"advice_form", "utter_goodbye", "utter_you_are_welcome", "utter_faq", "utter_chitchat"}
)


class Conversation:
    """One conversation's events, as rows of Rasa's ``events`` table."""

    def __init__(self, rng: random.Random, sender_id: str, channel: str, start: float):
        self.rng, self.sid, self.channel, self.ts = rng, sender_id, channel, start
        self.rows: list[dict] = []

    def _row(self, type_name: str, data: dict, intent: str | None = None, action: str | None = None) -> None:
        data = {"event": type_name, "timestamp": self.ts, **data}
        self.rows.append(
            {
                "sender_id": self.sid,
                "type_name": type_name,
                "timestamp": self.ts,
                "intent_name": intent,
                "action_name": action,
                "data": json.dumps(data),
            }
        )

    def wait(self, low: float, high: float) -> None:
        self.ts += self.rng.uniform(low, high)

    def start(self) -> None:
        self.action("action_session_start")
        self._row("session_started", {})
        self.action("action_listen")

    def user(self, intent: str, words: str, confidence: float | None = None, entities: list | None = None) -> None:
        self.wait(4, 90)
        confidence = confidence if confidence is not None else round(self.rng.uniform(0.72, 0.999), 4)
        parse = {
            "intent": {"name": intent, "confidence": confidence},
            "entities": entities or [],
            "text": words,
            "message_id": f"{self.rng.getrandbits(64):016x}",
            "metadata": {},
        }
        data = {"text": words, "parse_data": parse, "input_channel": self.channel, "metadata": {}}
        self._row("user", {**data, "message_id": parse["message_id"]}, intent=intent)

    def action(self, name: str, confidence: float = 1.0) -> None:
        self.wait(0.05, 0.6)
        policy = "RulePolicy" if name.startswith(("action_session", "action_listen")) else "TEDPolicy"
        self._row("action", {"name": name, "policy": policy, "confidence": confidence, "metadata": {}}, action=name)

    def bot(self, words: str, custom: dict | None = None) -> None:
        self.wait(0.1, 2.5)
        data = {"elements": None, "quick_replies": None, "buttons": None, "attachment": None, "image": None}
        self._row("bot", {"text": words, "data": {**data, "custom": custom}, "metadata": {}})

    def slot(self, name: str, value) -> None:
        self._row("slot", {"name": name, "value": value})

    def reply(self, action: str, words: str) -> None:
        self.action(action)
        self.bot(words)
        self.action("action_listen")


def _advice(c: Conversation, rng: random.Random) -> None:
    """The advice form: aim (and field), budget, time; then a list of credentials."""
    code = rng.choice(sorted(FIELDS))
    aim, what = FIELDS[code]
    words = rng.choice(("I want to get into {}", "courses in {} please", "looking for a {} certificate")).format(what)
    c.user("request_advice", words, entities=[{"entity": "career_aim", "value": code, "extractor": "spacy_rules"}])
    c.slot("career_aim", [aim])
    c.slot("fields", [code])
    c.reply("advice_form", "What is your budget?")
    budget = rng.choice(BUDGETS)
    c.user("inform", f"my budget is {budget['text']}", entities=[{"entity": "money", "value": budget["text"]}])
    c.slot("budget", budget)
    c.reply("validate_advice_form", "How many weeks do you have, and how many hours a week?")
    weeks, hours = rng.choice((2, 4, 6, 8, 12, 26, 52)), rng.choice((2, 3, 5, 8, 10, 15))
    c.user("inform", f"{weeks} weeks, about {hours} hours a week")
    c.slot("weeks", weeks)
    c.slot("hours_per_week", hours)
    _recommend(c, rng, code)


def _recommend(c: Conversation, rng: random.Random, code: str | None = None) -> None:
    c.action("action_recommend")
    pool = [x for x in CREDENTIALS if code is None or f"-{code}-" in x["id"]]
    items = []
    for item in rng.sample(pool, rng.randint(0, 5)):
        roll = rng.random()
        breaks = ["budget"] if roll < 0.15 else ["weeks"] if roll < 0.25 else []
        unknown = ["hours_per_week"] if 0.25 <= roll < 0.32 else []
        items.append({**item, "breaks": breaks, "unknown": unknown})
    c.bot("Here is what fits:" if items else "Nothing fits all of that.")
    if items:
        c.bot("", {"type": "credential_list", "intro": "These fit what you said:", "items": items})
    c.action("action_listen")


def _turn(c: Conversation, rng: random.Random) -> None:
    kind = rng.choices(
        ("details", "cheaper", "more", "credit", "faq", "chitchat", "fallback", "oos", "handoff", "thank"),
        weights=(22, 10, 10, 5, 8, 6, 10, 7, 5, 17),
    )[0]
    if kind == "fallback":
        c.user("nlu_fallback", rng.choice(SAY["nlu_fallback"]), confidence=round(rng.uniform(0.12, 0.55), 4))
        name = rng.choice(("action_default_fallback", "action_default_ask_affirmation", "action_unsure"))
        return c.reply(name, "Sorry, I did not understand that. Could you say it another way?")
    if kind in ("cheaper", "more"):
        intent = "ask_cheaper" if kind == "cheaper" else "show_more"
        c.user(intent, rng.choice(SAY[intent]))
        return _recommend(c, rng)
    intent, action, answer = {
        "details": ("ask_details", "action_credential_detail", "It takes 6 months at 10 hours a week."),
        "credit": ("ask_credit", "action_credential_detail", "Two of these carry university credit."),
        "faq": ("faq", "utter_faq", "A micro-credential is a short course with an assessed certificate."),
        "chitchat": ("chitchat", "utter_chitchat", "I am the careers service's assistant."),
        "oos": ("out_of_scope", "action_out_of_scope", "I can only help with courses and credentials."),
        "handoff": ("human_handoff", "action_handoff", "I have asked an adviser to get in touch."),
        "thank": ("thank", "utter_you_are_welcome", "You are welcome!"),
    }[kind]
    confidence = round(rng.uniform(0.3, 0.8), 4) if rng.random() < 0.1 else None
    c.user(intent, rng.choice(SAY[intent]), confidence=confidence)
    c.reply(action, answer)


def conversation(rng: random.Random) -> list[dict]:
    channel = rng.choices(("widget", "slack", "rest"), weights=(65, 25, 10))[0]
    sid = f"U{rng.getrandbits(40):010X}" if channel == "slack" else f"{rng.getrandbits(128):032x}"
    start = END.timestamp() - DAYS * 86400 * rng.random()
    c = Conversation(rng, sid, channel, start)
    c.start()
    if rng.random() < 0.75:
        c.user("greet", rng.choice(SAY["greet"]))
        c.reply("action_greet", "Hello! I can suggest micro-credentials for where you want to go.")
    if rng.random() < 0.52:
        _advice(c, rng)
    for _ in range(rng.choices((0, 1, 2, 3), weights=(35, 40, 20, 5))[0]):
        _turn(c, rng)
    if rng.random() < 0.3:
        c.user("goodbye", rng.choice(SAY["goodbye"]))
        c.reply("utter_goodbye", "Good luck!")
    return c.rows


def generate(n: int = CONVERSATIONS, seed: int = SEED) -> list[dict]:
    """Every event of ``n`` conversations, oldest first (the order Rasa stores them in)."""
    rng = random.Random(seed)
    rows = [row for _ in range(n) for row in conversation(rng)]
    rows.sort(key=lambda r: r["timestamp"])
    return rows


def fill_tracker(engine: Engine, rows: list[dict]) -> float:
    start = time.perf_counter()
    tracker_meta.create_all(engine)
    for at in range(0, len(rows), BATCH):
        with engine.begin() as conn:
            conn.execute(insert(EVENTS), rows[at : at + BATCH])
        done = min(at + BATCH, len(rows))
        log(f"\r  events {done:>7,}/{len(rows):,}", end="" if done < len(rows) else "\n")
    return time.perf_counter() - start


# ---- the databases ----------------------------------------------------------------------------------------
class Unavailable(RuntimeError):
    """The database cannot be used here; the message says why."""


@contextmanager
def databases(kind: str, workdir: Path, postgres_url: str) -> Iterator[tuple[str, str]]:
    """The tracker store's and the project database's URLs, removed afterwards: two SQLite files, or two
    PostgreSQL databases of their own (nothing else on that server is touched)."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'tracker.db'}", f"sqlite:///{workdir / 'project.db'}"
        return
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 10})
    try:
        with admin.connect() as conn:
            for name in PG_DATABASES:  # left by a run that was stopped half-way
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
                conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as exc:  # noqa: BLE001 - any reason to skip is reported as it is
        admin.dispose()
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise Unavailable(f"PostgreSQL at {shown(postgres_url)} cannot be used ({reason})") from None
    url = make_url(postgres_url)
    try:
        yield tuple(url.set(database=name).render_as_string(hide_password=False) for name in PG_DATABASES)
    finally:
        force = " WITH (FORCE)" if admin.dialect.server_version_info >= (13,) else ""
        with admin.connect() as conn:
            for name in PG_DATABASES:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}{force}"))
        admin.dispose()


def annotate(project: Engine, seed: int = SEED) -> None:
    """What staff have done by now: about one conversation in eight reviewed or marked, a few tagged."""
    rng = random.Random(seed)
    with project.begin() as conn:
        senders = sorted(conn.execute(select(SUMMARIES.c.sender_id)).scalars())
        status: dict[str, list[str]] = {"reviewed": [], "needs_work": []}
        tags = []
        for sid in senders:
            roll = rng.random()
            if roll < 0.13:
                status["reviewed" if roll < 0.09 else "needs_work"].append(sid)
            if rng.random() < 0.03:
                tags.append({"sender_id": sid, "tag": rng.choice(TAG_NAMES)})
        for name, sids in status.items():
            for at in range(0, len(sids), 500):
                conn.execute(
                    update(SUMMARIES).where(SUMMARIES.c.sender_id.in_(sids[at : at + 500])).values(status=name)
                )
        conn.execute(insert(TAGS), tags)


def prepare(kind: str, tracker_url: str, project_url: str, rows: list[dict], env: dict[str, str]) -> dict:
    """Fill the tracker store, migrate the project database and fold every event into the summaries."""
    tracker, project = tracker_engine(tracker_url), make_engine(project_url)
    try:
        log(f"{kind}: storing {len(rows):,} events of {CONVERSATIONS:,} conversations")
        stored = fill_tracker(tracker, rows)
        review = Review(load_settings(environment(**env)), tracker=tracker, project=project)
        log(f"{kind}: the first sync")
        started = time.perf_counter()
        folded = review.sync(progress=lambda n: log(f"\r  folded {n:>7,}/{len(rows):,}", end=""))
        synced = time.perf_counter() - started
        log("")
        annotate(project)
        add_staff(project, STAFF_EMAIL, "annotator", STAFF_PASSWORD)
        if kind == "postgresql":  # as autovacuum does within a minute of so many new rows
            for engine in (tracker, project):
                with engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
        with project.connect() as conn:
            conversations = conn.execute(select(func.count()).select_from(SUMMARIES)).scalar_one()
    finally:
        tracker.dispose()
        project.dispose()
    return {"stored": stored, "sync": synced, "folded": folded, "conversations": conversations}


# ---- the review app, over HTTP ----------------------------------------------------------------------------
def serve(port: int) -> None:
    """The review app as ``python -m bot.review`` serves it, without the daily purge (``--serve``)."""
    web.run_app(init_app(load_settings(), purge=False), host="127.0.0.1", port=port, print=None, access_log=None)


@contextmanager
def review_app(env: dict[str, str], workdir: Path) -> Iterator[str]:
    """The review app in its own process; its base URL."""
    port = free_port()
    errors = (workdir / "review-app.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.review", "--serve", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if proc.poll() is not None:
                errors.seek(0)
                raise RuntimeError(f"the review app stopped at start:\n{errors.read()[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the review app did not answer on {base}/healthz within 30 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        errors.close()


def filter_mix(n: int, seed: int) -> list[list[tuple[str, str]]]:
    """``n`` list queries as staff make them: mostly one or two filters, sometimes none or three, some pages on."""
    rng = random.Random(seed)

    def dates() -> list[tuple[str, str]]:
        days = rng.choice((1, 7, 7, 14, 30, 60))
        last = END.date() - dt.timedelta(days=rng.randint(0, DAYS - days))
        return [("from", (last - dt.timedelta(days=days)).isoformat()), ("to", last.isoformat())]

    def budget() -> list[tuple[str, str]]:
        low, high = rng.choice(((None, 100), (None, 300), (100, 500), (0, 0), (500, None), (200, 1000)))
        return [(k, str(v)) for k, v in (("budget_min", low), ("budget_max", high)) if v is not None]

    makers = (
        (dates, 20),
        (lambda: [("channel", rng.choice(("website", "website", "slack", "rest")))], 14),
        (lambda: [("intent", rng.choice(INTENTS))], 12),
        (lambda: [("action", rng.choice(ACTIONS))], 8),
        (lambda: [("aim", rng.choice(sorted(FIELDS)))], 12),
        (budget, 8),
        (lambda: [("weeks_max", str(rng.choice((4, 8, 12))))], 5),
        (lambda: [("confidence_below", rng.choice(("0.5", "0.6", "0.7")))], 9),
        (lambda: [("flag", rng.choice(("fallback", "fallback", "handoff", "nothing", "out_of_scope")))], 16),
        (lambda: [("status", rng.choice(("new", "reviewed", "needs_work")))], 8),
        (lambda: [("tag", rng.choice(TAG_NAMES))], 3),
        (lambda: [("q", rng.choice(("data", "cheaper", "adviser", "credit", "nursing", "cyber security")))], 9),
    )
    out = []
    for _ in range(n):
        k = rng.choices((0, 1, 2, 3), weights=(12, 48, 30, 10))[0]
        chosen: list = []
        while len(chosen) < k:
            make = rng.choices([m for m, _ in makers], weights=[w for _, w in makers])[0]
            if make not in chosen:
                chosen.append(make)
        query = [pair for make in chosen for pair in make()]
        roll = rng.random()
        if roll < 0.3:
            query.append(("page", str(rng.randint(2, 5) if k else rng.randint(2, 40))))
        out.append(query)
    return out


async def login(session: aiohttp.ClientSession, base: str) -> None:
    async with session.get(f"{base}/login") as resp:
        found = re.search(r'name="csrf" value="([^"]+)"', await resp.text())
    if found is None:
        raise RuntimeError("the login form has no CSRF token")
    form = {"email": STAFF_EMAIL, "password": STAFF_PASSWORD, "csrf": found.group(1), "next": "/conversations"}
    async with session.post(f"{base}/login", data=form) as resp:
        body = await resp.text()
        if resp.status != 200 or resp.url.path != "/conversations" or LIST_TABLE not in body:
            raise RuntimeError(f"the login did not lead to the list (HTTP {resp.status} at {resp.url.path})")


async def measure(base: str, mix: list, warmup: list, concurrency: int) -> tuple[list[float], list[str]]:
    """Each list request's time in ms, ``concurrency`` at a time, after ``warmup``; and what went wrong."""
    failures: list[str] = []
    done = [0]
    limit = asyncio.Semaphore(concurrency)

    async def one(session: aiohttp.ClientSession, query: list) -> float:
        async with limit:
            started = time.perf_counter()
            async with session.get(f"{base}/conversations?{urlencode(query)}") as resp:
                body = await resp.text()
            ms = (time.perf_counter() - started) * 1000
        if resp.status != 200 or LIST_TABLE not in body:
            failures.append(f"HTTP {resp.status} for ?{urlencode(query)}")
        done[0] += 1
        log(f"\r  requests {done[0]:>4}/{len(mix)}", end="" if done[0] < len(mix) else "\n")
        return ms

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=timeout) as session:
        await login(session, base)
        for query in warmup:
            async with session.get(f"{base}/conversations?{urlencode(query)}") as resp:
                await resp.read()
        times = await asyncio.gather(*(one(session, q) for q in mix))
    return list(times), failures


def percentiles(times: list[float]) -> dict:
    ms = sorted(times)
    return {"p50": statistics.median(ms), "p95": ms[int(0.95 * (len(ms) - 1))], "max": ms[-1], "n": len(ms)}


# ---- the run ----------------------------------------------------------------------------------------------
def bench_one(kind: str, urls: tuple[str, str], rows: list[dict], args, workdir: Path) -> dict:
    tracker_url, project_url = urls
    env = environment(
        ADVISOR_VAR_DIR=str(workdir),
        DATABASE_URL=project_url,
        TRACKER_STORE_URL=tracker_url,
        REVIEW_SECRET="bench-review-secret",
    )
    ready = prepare(kind, tracker_url, project_url, rows, env)
    print(
        f"{kind:<10} {ready['conversations']:,} conversations, {len(rows):,} events (stored in "
        f"{ready['stored']:.1f} s); first full sync folded {ready['folded']:,} events in {ready['sync']:.1f} s",
        flush=True,
    )
    log(f"{kind}: {args.requests} list requests, {args.concurrency} at a time")
    with review_app(env, workdir) as base:
        mix, warmup = filter_mix(args.requests, seed=1), filter_mix(20, seed=2)
        times, failures = asyncio.run(measure(base, mix, warmup, args.concurrency))
    for failure in failures[:5]:
        print(f"{kind:<10} FAILED: {failure}", flush=True)
    result = {**ready, **percentiles(times), "failures": len(failures)}
    verdict = "meets" if result["p95"] <= TARGET_MS else "does NOT meet"
    print(
        f"{kind:<10} list p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, max {result['max']:.1f} ms over "
        f"{result['n']} requests at {args.concurrency} concurrent ({len(failures)} failed): {verdict} the p95 target "
        f"of {TARGET_MS:.0f} ms",
        flush=True,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="measured list requests per database")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    settings = load_settings()
    log(f"generating {CONVERSATIONS:,} conversations")
    rows = generate()
    results: dict[str, dict] = {}
    skipped = False
    for kind in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
            try:
                with databases(kind, Path(tmp), settings.bench_postgres_url) as urls:
                    results[kind] = bench_one(kind, urls, rows, args, Path(tmp))
            except Unavailable as exc:
                skipped = True
                note = "; CI=true, so this run fails" if settings.ci else ""
                print(f"{kind:<10} skipped: {exc}{note}", flush=True)

    def fmt(kind: str) -> str:
        r = results.get(kind)
        return f"{kind} {r['p95']:.1f} ms" if r else f"{kind} not measured"

    print(f"review list p95 at {CONVERSATIONS} conversations: {fmt('sqlite')}, {fmt('postgresql')}", flush=True)
    failed = any(r["failures"] for r in results.values())
    return 1 if failed or (skipped and settings.ci) else 0


if __name__ == "__main__":
    sys.exit(main())
