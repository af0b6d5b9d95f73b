"""The staff review app against real servers: the assistant (Rasa and the action server) writes the
conversations into its SQL tracker store, and the review app runs as its own process on them.

Logins and roles, CSRF, every route walked anonymously, redaction in pages and exports, erasure and
purge down to the last row, exports that Rasa accepts, and in real Chromium: markup shown as text and
axe-core's WCAG 2.1 A/AA rules on every page.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.nlu.training import rasa_bin
from bot.review.app import PUBLIC, PUBLIC_PREFIX, init_app
from bot.review.service import Review
from bot.settings import PROJECT_ROOT, load_settings
from tests.conftest import free_port
from tests.stack import _wait
from tests.test_widget import axe_violations, browser  # noqa: F401 - the browser fixture

PASSWORDS = {"admin": "admin password 2026", "annotator": "annotator password 1", "viewer": "viewer password 12"}
EMAIL = "jane.doe@example.com"
PHONE = "07700 900123"
ARTEFACTS = PROJECT_ROOT / "results" / "review"


def rasa_say(stack, sender: str, text: str) -> list[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(stack.rasa_url + "/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


def rasa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([rasa_bin(), *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)


def advisor(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


@contextmanager
def review_process(env: dict, port: int, log: Path):
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.review", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait(f"http://127.0.0.1:{port}/healthz", proc, "review app", log, timeout=120)
            yield f"http://127.0.0.1:{port}"
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)


class ReviewFixture:
    """The conversations these tests hold with the assistant, by what they show."""

    def __init__(self, url: str, env: dict, var: Path):
        self.url, self.env, self.var = url, env, var
        self.ids: dict[str, str] = {}

    @property
    def project_db(self) -> Path:
        return self.var / "review.db"


@pytest.fixture(scope="module")
def review(stack, tmp_path_factory):
    var = tmp_path_factory.mktemp("review")
    env = {
        **stack.env,
        "ADVISOR_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'review.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{Path(stack.log_dir) / 'conversations.db'}",
        "REVIEW_SECRET": "a secret only these tests know",
    }
    for role, password in PASSWORDS.items():
        done = advisor(env, "staff", "add", f"{role}@example.org", "--role", role, stdin=password + "\n")
        assert done.returncode == 0, done.stderr
    r = ReviewFixture("", env, var)
    talks = {
        "pii": ["hi, I want to get into data analysis", f"my email is {EMAIL} and my number is {PHONE}"],
        "markup": ["<script>window.__ran=1</script>", '<img src=x onerror="window.__ran=1">'],
        "handoff": ["I want to work in cloud computing", "£200, 3 months, 5 hours a week", "can I talk to a person?"],
        "erase": ["I want to become a project manager", "£500, 6 months, 4 hours a week"],
    }
    for name, messages in talks.items():
        r.ids[name] = f"review-{name}-{uuid.uuid4().hex[:8]}"
        for text in messages:
            rasa_say(stack, r.ids[name], text)
    with review_process(env, free_port(), var / "review.log") as url:
        r.url = url
        yield r


class Client:
    """A browser-like HTTP client: keeps cookies, does not follow redirects, reads the CSRF token."""

    def __init__(self, base: str):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.csrf = ""

    def request(self, method: str, path: str, form: dict | None = None, csrf: bool = True, accept: str = "text/html"):
        data = None
        if method == "POST":
            fields = dict(form or {})
            if csrf:
                fields.setdefault("csrf", self.csrf)
            data = urllib.parse.urlencode(fields, doseq=True).encode()
        req = urllib.request.Request(self.base + path, data, {"Accept": accept}, method=method)
        try:
            with self.opener.open(req, timeout=60) as resp:
                status, body, headers = resp.status, resp.read().decode(), resp.headers
        except urllib.error.HTTPError as exc:
            status, body, headers = exc.code, exc.read().decode(), exc.headers
        token = re.search(r'name="csrf" value="([^"]+)"', body)
        if token:
            self.csrf = token.group(1)
        return status, body, headers

    def login(self, role: str, password: str | None = None):
        self.request("GET", "/login")
        return self.request(
            "POST", "/login", {"email": f"{role}@example.org", "password": password or PASSWORDS[role], "next": "/"}
        )

    def cookie(self) -> str:
        return next((c.value for c in self.jar if c.name == "review_session"), "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def logged_in(review, role: str) -> Client:
    client = Client(review.url)
    status, _, _ = client.login(role)
    assert status == 303
    client.request("GET", "/conversations")
    return client


def quoted(sid: str) -> str:
    return urllib.parse.quote(sid, safe="")


# ------------------------------------------------------------------------------------------------
# Logins, roles, CSRF
# ------------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_every_route_refuses_an_anonymous_request(review):
    settings = load_settings(review.env)
    app = init_app(settings, Review(settings), purge=False)
    walked = 0
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or info.get("prefix", "")
        if route.method == "HEAD" or (route.method, path) in PUBLIC or path.startswith(PUBLIC_PREFIX.rstrip("/")):
            continue
        path = path.replace("{sid}", quoted(review.ids["pii"]))
        status, body, headers = Client(review.url).request(route.method, path, {"tag": "x", "confirm": "erase"})
        walked += 1
        assert status in (302, 401, 403), f"{route.method} {path} answered {status} to a stranger"
        assert status != 302 or headers["Location"].startswith("/login")
        assert "jane" not in body and "data analysis" not in body
    assert walked >= 15


@pytest.mark.e2e
def test_a_login_gets_a_new_httponly_strict_cookie_and_failures_are_slowed_and_audited(review):
    client = Client(review.url)
    status, body, headers = client.request("GET", "/login")
    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
    before = client.cookie()
    for attempt in range(4):
        started = time.monotonic()
        status, body, _ = client.login("viewer", "wrong password " + str(attempt))
        took = time.monotonic() - started
        assert status == 401 and "do not match" in body
    assert took >= 0.9  # the fourth failure in a row waits
    status, _, headers = client.login("viewer")
    assert status == 303
    cookie_header = headers["Set-Cookie"]
    assert "HttpOnly" in cookie_header and "SameSite=Strict" in cookie_header
    assert client.cookie() and client.cookie() != before
    admin = logged_in(review, "admin")
    _, audit, _ = admin.request("GET", "/audit")
    assert audit.count("login_failed") >= 4


@pytest.mark.e2e
def test_a_post_without_the_csrf_token_is_refused(review):
    client = logged_in(review, "annotator")
    sid = quoted(review.ids["handoff"])
    status, _, _ = client.request("POST", f"/conversations/{sid}/tags", {"tag": "no token"}, csrf=False)
    assert status == 403
    status, _, _ = client.request("POST", f"/conversations/{sid}/tags", {"tag": "no token", "csrf": "forged"})
    assert status == 403
    _, page, _ = client.request("GET", f"/conversations/{sid}")
    assert "no token" not in page


@pytest.mark.e2e
def test_a_viewer_reads_but_cannot_tag_correct_export_or_erase(review):
    viewer = logged_in(review, "viewer")
    sid = quoted(review.ids["handoff"])
    status, page, _ = viewer.request("GET", f"/conversations/{sid}")
    assert status == 200 and "cloud computing" in page
    assert "Erase everywhere" not in page and ">Correct<" not in page
    event = _first_user_event(review, review.ids["handoff"])
    for path, form in (
        (f"/conversations/{sid}/tags", {"tag": "viewer tag"}),
        (f"/conversations/{sid}/notes", {"note": "viewer note"}),
        (f"/conversations/{sid}/status", {"status": "reviewed"}),
        (f"/conversations/{sid}/corrections", {"event": event, "intent": "greet"}),
        (f"/conversations/{sid}/erase", {"confirm": "erase"}),
        ("/exports/nlu", {}),
        ("/exports/stories", {"sid": review.ids["handoff"]}),
        ("/audit", None),
    ):
        status, _, _ = viewer.request("POST" if form is not None else "GET", path, form)
        assert status == 403, path
    _, page, _ = viewer.request("GET", f"/conversations/{sid}")
    assert "viewer tag" not in page and "viewer note" not in page and "cloud computing" in page


def _first_user_event(review, sender: str) -> int:
    with sqlite3.connect(Path(review.env["TRACKER_STORE_URL"].split("///", 1)[1])) as db:
        return db.execute(
            "SELECT MIN(id) FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)
        ).fetchone()[0]


# ------------------------------------------------------------------------------------------------
# Finding conversations
# ------------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_filters_combine_and_a_bad_value_gets_a_clear_message(review):
    client = logged_in(review, "viewer")
    _, page, _ = client.request("GET", "/conversations?flag=handoff&channel=rest")
    assert quoted(review.ids["handoff"]) in page and quoted(review.ids["erase"]) not in page
    _, page, _ = client.request("GET", "/conversations?q=cloud+computing&budget_max=250")
    assert quoted(review.ids["handoff"]) in page and quoted(review.ids["pii"]) not in page
    _, page, _ = client.request("GET", "/conversations?q=cloud+computing&budget_min=250")
    assert quoted(review.ids["handoff"]) not in page
    _, page, _ = client.request("GET", "/conversations?intent=human_handoff&weeks_max=20")
    assert quoted(review.ids["handoff"]) in page
    status, page, _ = client.request("GET", "/conversations?budget_max=lots&intent=human_handoff")
    assert status == 400 and "Highest budget must be a number" in page
    assert "<option selected>human_handoff</option>" in page and 'value="lots"' in page  # nothing typed is lost
    assert "No conversation matches" not in page  # nothing was searched, and it does not pretend otherwise


# ------------------------------------------------------------------------------------------------
# Privacy: redaction, erasure, purge
# ------------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_an_email_address_and_a_uk_phone_number_appear_nowhere(review):
    annotator = logged_in(review, "annotator")
    sid = review.ids["pii"]
    with sqlite3.connect(Path(review.env["TRACKER_STORE_URL"].split("///", 1)[1])) as db:
        event = db.execute("SELECT MAX(id) FROM events WHERE sender_id = ? AND type_name = 'user'", (sid,)).fetchone()[
            0
        ]
    status, _, _ = annotator.request(
        "POST", f"/conversations/{quoted(sid)}/corrections", {"event": event, "intent": "out_of_scope"}
    )
    assert status == 303
    annotator.request("POST", f"/conversations/{quoted(sid)}/notes", {"note": f"wrote {EMAIL}"})
    seen = {
        "list": annotator.request("GET", "/conversations?q=email")[1],
        "conversation": annotator.request("GET", f"/conversations/{quoted(sid)}")[1],
        "charts": annotator.request("GET", "/charts/data", accept="application/json")[1],
        "nlu": annotator.request("POST", "/exports/nlu")[1],
        "stories": annotator.request("POST", "/exports/stories", {"sid": sid})[1],
    }
    assert "[e-mail address]" in seen["conversation"] and "[phone number]" in seen["conversation"]
    assert "[e-mail address]" in seen["nlu"] and "[phone number]" in seen["stories"]
    for where, text in seen.items():
        assert EMAIL not in text and "jane.doe" not in text, where
        assert PHONE not in text and "900123" not in text, where


@pytest.mark.e2e
def test_erasure_by_an_admin_leaves_no_row_of_that_conversation(review):
    sid = review.ids["erase"]
    annotator = logged_in(review, "annotator")
    annotator.request("POST", f"/conversations/{quoted(sid)}/tags", {"tag": "to erase"})
    annotator.request("POST", f"/conversations/{quoted(sid)}/notes", {"note": "a note"})
    event = _first_user_event(review, sid)
    annotator.request("POST", f"/conversations/{quoted(sid)}/corrections", {"event": event, "intent": "inform"})
    admin = logged_in(review, "admin")
    _, page, _ = admin.request("GET", f"/conversations/{quoted(sid)}")
    status, _, headers = admin.request("POST", f"/conversations/{quoted(sid)}/erase", {"confirm": "erase"})
    assert status == 303
    tracker = Path(review.env["TRACKER_STORE_URL"].split("///", 1)[1])
    with sqlite3.connect(tracker) as db:
        for table, column in (("events", "sender_id"), ("widget_sent", "conversation_id")):
            try:
                assert db.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (sid,)).fetchone()[0] == 0
            except sqlite3.OperationalError:
                pass  # that table was never made
    with sqlite3.connect(review.project_db) as db:
        for table in ("review_summaries", "review_tags", "review_notes", "review_corrections"):
            assert db.execute(f"SELECT COUNT(*) FROM {table} WHERE sender_id = ?", (sid,)).fetchone()[0] == 0
        audit = db.execute("SELECT actor, action, target, detail FROM review_audit").fetchall()
        assert any(a[0] == "admin@example.org" and a[1] == "erase" for a in audit)
        # the log keeps that it happened, and who tagged and noted what before, but not which conversation
        assert all(sid not in " ".join(map(str, a)) and "to erase" not in " ".join(map(str, a)) for a in audit)
    status, _, _ = admin.request("GET", f"/conversations/{quoted(sid)}")
    assert status == 404


def _tracker_with(path: Path, conversations: dict[str, list[float]]) -> None:
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, sender_id VARCHAR(255), type_name VARCHAR(255),"
            " timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
        )
        for sid, stamps in conversations.items():
            for ts in stamps:
                data = {"event": "user", "timestamp": ts, "text": "hello", "parse_data": {"intent": {"name": "greet"}}}
                db.execute(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
                    (sid, ts, json.dumps(data)),
                )


def test_purge_removes_exactly_the_conversations_older_than_the_retention_period(tmp_path):
    day, now = 86400, time.time()
    _tracker_with(
        tmp_path / "tracker.db",
        {
            "old": [now - 200 * day, now - 190 * day],
            "old-started-but-recent": [now - 300 * day, now - 10 * day],
            "recent": [now - 2 * day],
            "just-inside": [now - 179 * day],
        },
    )
    env = {
        **os.environ,
        "ADVISOR_VAR_DIR": str(tmp_path),
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'project.db'}",
    }
    done = advisor(env, "conversations", "purge")
    assert done.returncode == 0, done.stderr
    assert "Erased 1 conversation " in done.stdout
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        left = {sid for (sid,) in db.execute("SELECT DISTINCT sender_id FROM events")}
    assert left == {"old-started-but-recent", "recent", "just-inside"}
    with sqlite3.connect(tmp_path / "project.db") as db:
        summaries = {sid for (sid,) in db.execute("SELECT sender_id FROM review_summaries")}
        assert db.execute("SELECT COUNT(*) FROM review_audit WHERE action = 'purge'").fetchone()[0] >= 1
    assert summaries == left


def test_staff_passwords_are_never_arguments_and_bad_accounts_get_a_clear_message(tmp_path):
    env = {**os.environ, "ADVISOR_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"}
    short = advisor(env, "staff", "add", "someone@example.org", "--role", "viewer", stdin="short\n")
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    bad_role = advisor(env, "staff", "add", "someone@example.org", "--role", "owner", stdin="long enough password\n")
    assert bad_role.returncode == 2 and "invalid choice" in bad_role.stderr
    ok = advisor(env, "staff", "add", "Someone@Example.org", "--role", "viewer", stdin="long enough password\n")
    assert ok.returncode == 0 and "someone@example.org added as viewer" in ok.stdout
    listed = advisor(env, "staff", "list")
    assert "someone@example.org\tviewer" in listed.stdout
    with sqlite3.connect(tmp_path / "p.db") as db:
        stored = db.execute("SELECT password_hash FROM review_staff").fetchone()[0]
    assert stored.startswith("$argon2id$") and "long enough" not in stored


# ------------------------------------------------------------------------------------------------
# Exports Rasa accepts
# ------------------------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.slow
def test_exported_nlu_and_stories_pass_rasa_data_validate_and_run_under_rasa_test(review, trained_model, tmp_path):
    annotator = logged_in(review, "annotator")
    sid = review.ids["handoff"]
    event = _first_user_event(review, sid)
    annotator.request("POST", f"/conversations/{quoted(sid)}/corrections", {"event": event, "intent": "inform"})
    _, nlu, _ = annotator.request("POST", "/exports/nlu")
    status, stories, headers = annotator.request("POST", "/exports/stories", {"sid": [sid, review.ids["pii"]]})
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    assert "I want to work in cloud computing" in nlu and "intent: inform" in nlu
    (tmp_path / "nlu.yml").write_text(nlu)
    (tmp_path / "stories.yml").write_text(stories)
    nlu_file, stories_file = str(tmp_path / "nlu.yml"), str(tmp_path / "stories.yml")
    for validate in (
        rasa("data", "validate", "--domain", "domain.yml", "--data", "data", nlu_file),
        rasa("data", "validate", "stories", "--domain", "domain.yml", "--data", stories_file),
        rasa("test", "core", "--model", str(trained_model), "--stories", stories_file, "--out", str(tmp_path / "out")),
    ):
        assert validate.returncode == 0, validate.stdout[-2000:] + validate.stderr[-2000:]
    assert (tmp_path / "out" / "story_report.json").exists()
    with sqlite3.connect(review.project_db) as db:
        actions = {a for (a,) in db.execute("SELECT action FROM review_audit")}
    assert {"export_nlu", "export_stories"} <= actions


# ------------------------------------------------------------------------------------------------
# In real Chromium
# ------------------------------------------------------------------------------------------------


def browser_login(page, review, role: str = "annotator") -> None:
    page.get_by_label("E-mail address").fill(f"{role}@example.org")
    page.get_by_label("Password").fill(PASSWORDS[role])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/conversations")


@pytest.mark.e2e
@pytest.mark.browser
def test_pages_pass_axe_and_markup_sent_to_the_assistant_shows_as_text(review, browser):  # noqa: F811
    # axe-core is injected as a script, which the app's Content-Security-Policy rightly blocks: this
    # context lets it in, so the markup below is shown as text by escaping, not only stopped by the policy
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(review.url + "/conversations")
    assert page.url.startswith(review.url + "/login")
    assert axe_violations(page) == [], "login"
    browser_login(page, review)
    assert axe_violations(page) == [], "list"
    page.goto(f"{review.url}/conversations/{quoted(review.ids['markup'])}")
    said = page.locator(".transcript .user .said").all_inner_texts()
    assert "<script>window.__ran=1</script>" in said and '<img src=x onerror="window.__ran=1">' in said
    assert page.evaluate("window.__ran") is None
    assert axe_violations(page) == [], "conversation"
    page.goto(review.url + "/charts")
    page.wait_for_function("document.querySelectorAll('#charts section').length >= 5")
    assert axe_violations(page) == [], "charts"
    context.close()
    assert errors == []


@pytest.mark.e2e
@pytest.mark.browser
def test_the_charts_draw_under_the_apps_content_security_policy(review, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(review.url + "/login")
    browser_login(page, review, "viewer")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "list.png"), full_page=True)
    page.goto(review.url + "/charts")
    # A selector wait, not wait_for_function: its polling evaluates a string, which this CSP forbids
    page.locator("#charts section").nth(4).wait_for()
    assert "conversations." in page.locator("#loading").inner_text()
    assert "not installed" not in page.locator("#loading").inner_text()
    drawn = page.evaluate("[...document.querySelectorAll('#charts canvas')].filter(c => c.width > 0).length")
    assert drawn >= 1
    tables = page.locator("#charts table")
    assert tables.count() >= 1 and "Day" in tables.first.inner_text()
    page.screenshot(path=str(ARTEFACTS / "charts.png"), full_page=True)
    context.close()
    assert problems == []


async def test_redaction_at_storage_keeps_no_email_or_phone_in_the_tracker_store(tmp_path):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.channels.tracker_store import RedactingSQLTrackerStore

    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    store = RedactingSQLTrackerStore(domain=Domain.empty(), host=url, dialect="sqlite")
    said = f"write to {EMAIL} or ring {PHONE}, I want to work in data analysis"
    parse = {
        "text": said,
        "intent": {"name": "inform", "confidence": 0.9},
        "entities": [{"entity": "x", "value": EMAIL}],
    }
    tracker = DialogueStateTracker.from_events(
        "stored", [ActionExecuted("action_listen"), UserUttered(said, parse["intent"], parse["entities"], parse)]
    )
    await store.save(tracker)
    assert tracker.latest_message.text == said  # the conversation in memory is not changed
    with sqlite3.connect(tmp_path / "conversations.db") as db:
        stored = " ".join(d for (d,) in db.execute("SELECT data FROM events"))
    assert EMAIL not in stored and "900123" not in stored
    assert "[e-mail address]" in stored and "[phone number]" in stored and "data analysis" in stored
    again = await store.retrieve("stored")
    assert again.latest_message.text.startswith("write to [e-mail address] or ring [phone number]")


def test_make_run_points_rasa_at_the_redacting_store_when_asked(tmp_path):
    import yaml

    from bot.run import REDACTING_STORE, endpoints_file

    assert endpoints_file(load_settings({"ADVISOR_VAR_DIR": str(tmp_path)})) == "endpoints.yml"
    path = endpoints_file(load_settings({"ADVISOR_VAR_DIR": str(tmp_path), "REDACT_AT_STORAGE": "on"}))
    endpoints = yaml.safe_load(Path(path).read_text())
    assert endpoints["tracker_store"]["type"] == REDACTING_STORE
    assert endpoints["tracker_store"]["url"] == "${TRACKER_STORE_URL}"


@pytest.mark.e2e
def test_an_admin_manages_staff_and_a_removed_account_loses_its_session_at_once(review):
    annotator = logged_in(review, "annotator")
    assert annotator.request("GET", "/staff")[0] == 403
    assert (
        annotator.request("POST", "/staff", {"email": "x@example.org", "role": "admin", "password": "p" * 14})[0] == 403
    )
    admin = logged_in(review, "admin")
    status, page, _ = admin.request(
        "POST", "/staff", {"email": "new@example.org", "role": "viewer", "password": "short"}
    )
    assert status == 400 and "at least 12 characters" in page
    status, _, headers = admin.request(
        "POST", "/staff", {"email": "New@Example.org", "role": "viewer", "password": "a long new password"}
    )
    assert status == 303 and headers["Location"] == "/staff?done=added"  # a reload does not post again
    assert "The account is added." in admin.request("GET", headers["Location"])[1]
    status, page, _ = admin.request(
        "POST", "/staff", {"email": "new@example.org", "role": "admin", "password": "x" * 14}
    )
    assert status == 400 and "already has an account" in page  # changing one takes a tick of its own
    status, page, _ = admin.request(
        "POST", "/staff", {"email": "admin@example.org", "role": "viewer", "password": "y" * 14, "change": "yes"}
    )
    assert status == 400 and "cannot take the admin role from your own account" in page
    newcomer = Client(review.url)
    assert newcomer.login("new", "a long new password")[0] == 303
    assert newcomer.request("GET", "/conversations")[0] == 200
    status, page, _ = admin.request("POST", "/staff/remove", {"email": "new@example.org"})
    assert status == 400 and "Tick the box" in page  # one click removes no one
    assert newcomer.request("GET", "/conversations")[0] == 200
    status, _, headers = admin.request("POST", "/staff/remove", {"email": "new@example.org", "confirm": "remove"})
    assert status == 303 and "removed" in admin.request("GET", headers["Location"])[1]
    status, _, headers = newcomer.request("GET", "/conversations")
    assert status == 302 and headers["Location"].startswith("/login")
    _, audit, _ = admin.request("GET", "/audit")
    assert "staff_added" in audit and "staff_removed" in audit and "a long new password" not in audit


def test_events_folded_by_another_server_are_never_counted_twice(tmp_path):
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import IntegrityError

    from bot.catalogue.migrate import upgrade
    from bot.language.redact import Redactor
    from bot.review import summaries

    _tracker_with(tmp_path / "tracker.db", {"a": [time.time() - 60, time.time() - 30]})
    tracker = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    project = create_engine(f"sqlite:///{tmp_path / 'project.db'}")
    upgrade(project)
    assert summaries.sync(tracker, project, Redactor()) == 2
    with tracker.connect() as conn:
        rows = conn.execute(text("SELECT id, sender_id, type_name, timestamp, data FROM events ORDER BY id")).all()
    with pytest.raises(IntegrityError):  # a second server folding the same events from the same watermark
        summaries._apply(project, rows, 0, Redactor())
    assert summaries.sync(tracker, project, Redactor()) == 0
    with project.connect() as conn:
        assert conn.execute(text("SELECT user_messages FROM review_summaries WHERE sender_id = 'a'")).scalar() == 2
