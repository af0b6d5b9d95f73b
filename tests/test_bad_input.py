"""The cluster (``make run-cluster``) and bad input on every public entry point, against real servers.

A cluster of two Rasa servers and two action servers behind HAProxy, on PostgreSQL, Redis and RabbitMQ,
with its web server, review app and Slack relay (talking to a local fake of Slack's Web API). Every case
of ``tests/bad_input/corpus.yml`` goes to Rasa's REST channel (a Rasa server directly, and through the
balancer), the chat page and the website widget (directly and through the balancer), the Slack relay
and the review app's login: never a 5xx, a clear message with each refusal, and a normal message
answered properly afterwards. Then a burst from one client on each: 429 with a clear message past the
limit, and the same client answered again once the time has passed.
"""

from __future__ import annotations

import http.client
import json
import select
import shutil
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.channels.rasa_files import EVENT_QUEUE
from bot.settings import PROJECT_ROOT
from tests.clusters import RABBITMQ_URL, drain_queue, need_cluster_services, running_cluster
from tests.test_review import Client, advisor
from tests.test_slack import SECRET, FakeSlack, signed

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CORPUS = yaml.safe_load((PROJECT_ROOT / "tests" / "bad_input" / "corpus.yml").read_text(encoding="utf-8"))
RATE_LIMIT, RATE_SECONDS = 30, 6
PASSWORD = "a long passphrase for the cluster tests"
GREETING = "personal details"  # the assistant's first answer to "hi"


# ------------------------------------------------------------------------------------------------
# HTTP as a client sees it
# ------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: str
    headers: dict

    def json(self):
        return json.loads(self.body)


def post(url: str, data: bytes, headers: dict | None = None, method: str = "POST") -> Answer:
    if len(data) > 256 * 1024:
        return post_large(url, data, headers or {})
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return Answer(resp.status, resp.read().decode("utf-8", "replace"), _lower(resp.headers))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.read().decode("utf-8", "replace"), _lower(exc.headers))


def _lower(headers) -> dict:
    return {k.lower(): v for k, v in headers.items()}  # (HAProxy sends header names in lower case)


def post_large(url: str, data: bytes, headers: dict) -> Answer:
    """A large POST as careful clients send one: the headers, then the body only if no answer comes first
    (a server may refuse it from its length alone, and close before reading it)."""
    parts = urllib.parse.urlsplit(url)
    lines = [f"POST {parts.path}{'?' + parts.query if parts.query else ''} HTTP/1.1", f"Host: {parts.netloc}"]
    lines += [f"{k}: {v}" for k, v in {**headers, "Content-Length": len(data), "Connection": "close"}.items()]
    with socket.create_connection((parts.hostname, parts.port), timeout=120) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        if not select.select([sock], [], [], 1.0)[0]:
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
        resp = http.client.HTTPResponse(sock)
        resp.begin()
        return Answer(resp.status, resp.read().decode("utf-8", "replace"), _lower(resp.headers))


def text_literal(case: dict) -> str:
    """The case's message as a JSON string literal (lone surrogates can only be written this way)."""
    if "text_json" in case:
        return case["text_json"]
    if "text_repeat" in case:
        words, n = case["text_repeat"]
        return json.dumps(words * n)
    return json.dumps(case["text"])


def body_of(case: dict, text_key: str, sender_key: str, sender: str) -> bytes:
    """A corpus body with the entry point's own field names."""
    if "size" in case:
        return json.dumps({text_key: "a" * case["size"], sender_key: sender}).encode()
    if "raw" in case:
        return case["raw"].replace("$text", text_key).replace("$sender", sender_key).encode("latin-1")
    return json.dumps(case["json"]).replace("$text", text_key).replace("$sender", sender_key).encode()


def error_of(answer: Answer) -> str:
    try:
        return answer.json().get("error") or ""
    except (ValueError, AttributeError):
        return answer.body


# ------------------------------------------------------------------------------------------------
# The entry points
# ------------------------------------------------------------------------------------------------


class Rest:
    """Rasa's REST channel."""

    def __init__(self, base: str):
        self.url, self.sender = base + "/webhooks/rest/webhook", "bad-" + uuid.uuid4().hex

    def say_literal(self, literal: str) -> Answer:
        data = ('{"sender": "%s", "message": %s}' % (self.sender, literal)).encode()
        return post(self.url, data, {"Content-Type": "application/json"})

    def send_body(self, case: dict) -> Answer:
        return post(self.url, body_of(case, "message", "sender", self.sender), {"Content-Type": "application/json"})

    def answered(self, answer: Answer) -> bool:
        return answer.status == 200 and isinstance(answer.json(), list) and bool(answer.json())

    def works(self) -> Answer:
        answer = self.say_literal('"hi"')
        assert answer.status == 200, answer
        assert GREETING in " ".join(r.get("text", "") for r in answer.json())
        return answer


class ChatPage(Rest):
    """The web server's chat page (``/api/message``)."""

    def __init__(self, base: str):
        self.url, self.sender = base + "/api/message", uuid.uuid4().hex

    def answered(self, answer: Answer) -> bool:
        return answer.status == 200 and bool(answer.json()["replies"])

    def works(self) -> Answer:
        answer = self.say_literal('"hi"')
        assert answer.status == 200, answer
        assert GREETING in " ".join(r.get("text", "") for r in answer.json()["replies"])
        return answer


class Widget:
    """The website widget: a conversation the server starts, messages with their own ids."""

    def __init__(self, base: str):
        self.base = base
        started = post(base + "/widget/conversations", b"{}", {"Content-Type": "application/json"})
        assert started.status == 201, started
        self.cid, self.token = started.json()["conversation"], started.json()["token"]
        self.url = f"{base}/widget/conversations/{self.cid}/messages"
        self.after = 0

    def headers(self) -> dict:
        return {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}

    def say_literal(self, literal: str) -> Answer:
        data = ('{"id": "%s", "text": %s}' % (uuid.uuid4().hex, literal)).encode()
        return post(f"{self.url}?after={self.after}", data, self.headers())

    def send_body(self, case: dict) -> Answer:
        return post(self.url, body_of(case, "text", "id", uuid.uuid4().hex), self.headers())

    def answered(self, answer: Answer) -> bool:
        if answer.status != 200:
            return False
        new = answer.json()["messages"]
        self.after = max([self.after, *(m["seq"] for m in new)])
        return any(m["role"] == "bot" for m in new)

    def works(self) -> Answer:
        answer = self.say_literal('"hi"')
        assert answer.status == 200, answer
        assert GREETING in " ".join(m["text"] for m in answer.json()["messages"] if m["role"] == "bot")
        return answer


class Slack:
    """The Slack relay: signed events, acknowledged at once, answered in the thread."""

    def __init__(self, base: str, fake: FakeSlack, user: str):
        self.url, self.fake, self.user = base + "/slack/events", fake, user

    def event(self, literal: str, user_literal: str | None = None) -> bytes:
        n = uuid.uuid4().hex[:12]
        user = user_literal or json.dumps(self.user)
        return (
            '{"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": "Ev%s", "event": '
            '{"type": "message", "channel_type": "im", "channel": "D%s", "user": %s, "text": %s, "ts": "%s.0001"}}'
            % (n, self.user, user, literal, int(time.time() * 1000))
        ).encode()

    def say_literal(self, literal: str) -> Answer:
        body = self.event(literal)
        return post(self.url, body, signed(body))

    def send_body(self, case: dict) -> Answer:
        if "json" in case and isinstance(case["json"], dict):  # wrong types inside a well-formed event
            fields = {k.replace("$text", "text").replace("$sender", "user"): v for k, v in case["json"].items()}
            body = self.event(json.dumps(fields["text"]), json.dumps(fields["user"]))
        else:
            body = body_of(case, "text", "user", self.user)
        return post(self.url, body, signed(body))

    def answered(self, answer: Answer) -> bool:
        return answer.status == 200

    def posts_to_me(self) -> list[dict]:
        return [p for p in self.fake.posts() if p.get("channel") == f"D{self.user}"]

    def works(self, timeout: float = 60) -> Answer:
        before = len(self.posts_to_me())
        answer = self.say_literal('"hi"')
        assert answer.status == 200, answer
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = self.posts_to_me()[before:]
            if any(GREETING in json.dumps(p.get("blocks", "")) + (p.get("text") or "") for p in new):
                return answer
            time.sleep(0.2)
        raise AssertionError(f"no greeting in the thread: {self.posts_to_me()[before:]}")


# ------------------------------------------------------------------------------------------------
# The cluster
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(trained_model, tmp_path_factory):
    need_cluster_services()
    drain_queue(EVENT_QUEUE)
    fake = FakeSlack()
    settings = dict(
        LOCK_STORE_URL="redis://127.0.0.1:6379/2",
        EVENT_BROKER_URL=RABBITMQ_URL,
        RATE_LIMIT_MESSAGES=str(RATE_LIMIT),
        RATE_LIMIT_SECONDS=str(RATE_SECONDS),
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.url,
        REVIEW_SECRET="a secret only these tests know",
    )
    var = tmp_path_factory.mktemp("cluster")
    try:
        with running_cluster(trained_model, var, "advisor_cluster_test", **settings) as c:
            c.fake = fake
            added = advisor(c.env, "staff", "add", "admin@example.org", "--role", "admin", stdin=PASSWORD + "\n")
            assert added.returncode == 0, added.stderr
            yield c
    finally:
        fake.server.shutdown()
        fake.server.server_close()


ENTRY_POINTS = ["rest direct", "rest balancer", "chat page direct", "chat page balancer", "widget balancer", "slack"]


def entry_point(cluster, name: str):
    if name == "rest direct":
        return Rest(cluster.rasa[0].url)
    if name == "rest balancer":
        return Rest(cluster.url("rasa"))
    if name == "chat page direct":
        return ChatPage(cluster.web.url)
    if name == "chat page balancer":
        return ChatPage(cluster.url("web"))
    if name == "widget balancer":
        return Widget(cluster.url("web"))
    return Slack(cluster.url("slack"), cluster.fake, "U" + uuid.uuid4().hex[:8].upper())


# ------------------------------------------------------------------------------------------------
# The cluster itself
# ------------------------------------------------------------------------------------------------


def test_one_conversation_goes_on_across_servers_and_its_events_reach_rabbitmq(cluster):
    assert len(cluster.rasa) == 2 and len(cluster.actions) == 2
    assert len({p.pid for p in cluster.processes()}) == len(cluster.processes())
    sender = "cluster-" + uuid.uuid4().hex
    steps = [
        (cluster.rasa[0].url, "I want to become a data analyst", "budget"),
        (cluster.rasa[1].url, "£300", "how long"),
        (cluster.url("rasa"), "4 months", "hours a week"),
    ]
    for base, said, expected in steps:  # each Rasa server carries on where the other one stopped
        answer = post(
            base + "/webhooks/rest/webhook",
            json.dumps({"sender": sender, "message": said}).encode(),
            {"Content-Type": "application/json"},
        )
        assert answer.status == 200
        assert expected in " ".join(r.get("text", "") for r in answer.json()).lower()

    # two messages of one conversation at once, on both servers: the lock store keeps them apart
    def say(base: str, said: str) -> int:
        data = json.dumps({"sender": sender, "message": said}).encode()
        return post(base + "/webhooks/rest/webhook", data, {"Content-Type": "application/json"}).status

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(say, [p.url for p in cluster.rasa], ["6 hours a week", "what is a micro-credential?"]))
    assert statuses == [200, 200]

    wanted = {"I want to become a data analyst", "£300", "4 months", "6 hours a week", "what is a micro-credential?"}
    deadline, said = time.monotonic() + 30, set()
    while time.monotonic() < deadline and not wanted <= said:  # every server's events, in RabbitMQ's queue
        events = drain_queue(EVENT_QUEUE)
        said |= {e.get("text") for e in events if e.get("sender_id") == sender and e.get("event") == "user"}
        time.sleep(0.5)
    assert wanted <= said


@pytest.mark.parametrize("where", ENTRY_POINTS)
def test_bad_text_is_answered_or_refused_clearly_and_the_conversation_goes_on(cluster, where):
    point = entry_point(cluster, where)
    for case in CORPUS["texts"]:
        answer = point.say_literal(text_literal(case))
        assert answer.status < 500, f"{where}, {case['name']}: {answer}"
        expect = case["expect"]
        if isinstance(point, Slack):
            assert answer.status == 200, f"{case['name']}: Slack is acknowledged ({answer})"
        elif expect == "refused":
            assert answer.status == 400 and error_of(answer) == "Type a message first.", f"{case['name']}: {answer}"
        elif expect == "long" and isinstance(point, (ChatPage, Widget)):
            assert answer.status == 400 and "limited to 2000 characters" in error_of(answer)
        else:
            assert point.answered(answer), f"{where}, {case['name']}: {answer}"
    point.works()


@pytest.mark.parametrize("where", ENTRY_POINTS)
def test_bad_bodies_get_a_4xx_with_a_clear_message_and_the_conversation_goes_on(cluster, where):
    point = entry_point(cluster, where)
    for case in CORPUS["bodies"]:
        answer = point.send_body(case)
        assert answer.status < 500, f"{where}, {case['name']}: {answer}"
        if isinstance(point, Slack) and case["status"] != 413:
            continue  # Slack: acknowledged, or refused with a 4xx; nothing is answered
        assert answer.status == case["status"], f"{where}, {case['name']}: {answer}"
        message = error_of(answer)
        assert message and len(message) < 200 and "Traceback" not in message, f"{case['name']}: {message!r}"
        if case["status"] == 413:
            assert "too large" in message
    point.works()


def test_the_review_login_refuses_bad_input_with_a_page_not_an_error(cluster):
    client = Client(cluster.url("review"))  # a browser: the login form's cookie and CSRF token
    client.request("GET", "/login")
    url = cluster.url("review") + "/login"
    form = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"review_session={client.cookie()}"}

    def login(email: str, password: str) -> Answer:
        fields = {"email": email, "password": password, "next": "/", "csrf": client.csrf}
        return post(url, urllib.parse.urlencode(fields, errors="surrogatepass").encode(), form)

    for case in CORPUS["texts"]:
        typed = json.loads(text_literal(case))
        answer = login(typed, typed)
        assert answer.status == 401 and "do not match an account" in answer.body, f"{case['name']}: {answer.status}"
    csrf = urllib.parse.quote(client.csrf).encode()
    for raw, status, says in [
        (b"email=caf\xe9\xff&password=x&csrf=" + csrf, 400, "not valid UTF-8"),
        (b"email=" + b"a" * 1048576 + b"&password=x&csrf=" + csrf, 413, "too large"),
        (b'{"email": ["a"], "password": 1}', 403, "did not come from the review app"),
    ]:
        answer = post(url, raw, form)
        assert answer.status == status and says in answer.body, f"{raw[:30]!r}: {answer.status}"
    status, _, headers = client.request("POST", "/login", {"email": "admin@example.org", "password": PASSWORD})
    assert status == 303 and not headers["Location"].startswith("/login")


# ------------------------------------------------------------------------------------------------
# Bursts from one client
# ------------------------------------------------------------------------------------------------


def burst(say, n: int) -> list[Answer]:
    """``n`` messages at once, as a script would send them."""
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(lambda i: say(i), range(n)))


def works_again(point, seconds: float = 4 * RATE_SECONDS) -> None:
    """The same client is answered properly once the time has passed (polled, not slept)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            point.works(timeout=5) if isinstance(point, Slack) else point.works()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


@pytest.mark.parametrize("where", ["rest balancer", "chat page balancer", "widget balancer"])
def test_a_burst_from_one_client_gets_429_with_a_message_then_it_is_answered_again(cluster, where):
    point = entry_point(cluster, where)
    answers = burst(lambda i: point.say_literal(json.dumps(f"message {i} of a burst")), CORPUS["burst"]["messages"])
    statuses = {a.status for a in answers}
    assert statuses <= {200, 429}, statuses
    refused = [a for a in answers if a.status == 429]
    assert refused, "nothing was refused"
    assert all("Too many requests" in error_of(a) and int(a.headers["retry-after"]) >= 1 for a in refused)
    assert sum(a.status == 200 for a in answers) <= RATE_LIMIT
    works_again(point)


def test_a_burst_straight_to_a_rasa_server_is_all_answered(cluster):
    point = entry_point(cluster, "rest direct")  # no limit there: whatever stands in front of it counts
    answers = burst(lambda i: point.say_literal(json.dumps(f"message {i} of a burst")), 20)
    assert {a.status for a in answers} == {200}
    point.works()


def test_a_burst_in_slack_is_told_once_to_slow_down_then_answered_again(cluster):
    point = entry_point(cluster, "slack")
    answers = burst(lambda i: point.say_literal(json.dumps(f"message {i} of a burst")), CORPUS["burst"]["messages"])
    assert {a.status for a in answers} == {200}  # Slack is always acknowledged
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
        "faster than I can answer" in (p.get("text") or "") for p in point.posts_to_me()
    ):
        time.sleep(0.2)
    slow_down = [p for p in point.posts_to_me() if "faster than I can answer" in (p.get("text") or "")]
    assert len(slow_down) == 1
    works_again(point)


def test_a_burst_of_logins_gets_429_with_the_login_page_message(cluster):
    client = Client(cluster.url("review"))
    client.request("GET", "/login")
    url = cluster.url("review") + "/login"
    form = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"review_session={client.cookie()}"}

    def attempt(i: int) -> Answer:
        fields = {"email": f"guess{i}@example.org", "password": "wrong", "csrf": client.csrf}
        return post(url, urllib.parse.urlencode(fields).encode(), form)

    answers = burst(attempt, CORPUS["burst"]["messages"])
    assert {a.status for a in answers} <= {401, 429}
    refused = [a for a in answers if a.status == 429]
    assert refused and all("Too many requests" in a.body for a in refused)
    deadline = time.monotonic() + 4 * RATE_SECONDS
    good = {"email": "admin@example.org", "password": PASSWORD}
    while (status := client.request("POST", "/login", good)[0]) == 429 and time.monotonic() < deadline:
        time.sleep(1)
    assert status == 303


def test_the_cluster_starts_within_a_few_minutes(cluster):
    assert cluster.started_in < 240, cluster.started_in
    assert shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()
