"""The Slack relay against the real Rasa and action servers and a local fake of Slack's Web API that
answers as Slack does and records every call: signatures, one threaded answer per event however often
Slack redelivers it, Block Kit cards, buttons answered once, threads kept apart, the slash command."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

from bot.channels.slack_blocks import chosen_blocks, escape, mrkdwn, reply_blocks
from bot.settings import PROJECT_ROOT
from tests.conftest import free_port
from tests.stack import _wait

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


# ------------------------------------------------------------------------------------------------
# Rendering (no servers)
# ------------------------------------------------------------------------------------------------


def test_text_from_people_cannot_inject_a_mention_or_a_link():
    assert (
        escape("<!channel> & <https://evil.example|click>")
        == "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"
    )
    assert mrkdwn("**CISSP** needs <5 years>") == "*CISSP* needs &lt;5 years&gt;"


def test_a_list_becomes_one_section_per_credential_and_many_answers_a_select_menu():
    item = {
        "title": "Google Data Analytics",
        "provider": "Google",
        "kind": "professional certificate",
        "url": "https://grow.google/certificates/data-analytics/",
        "price_text": "$49 a month",
        "duration_weeks": 26,
        "hours_per_week": 10,
        "credit": {"value": 12, "system": "US", "awarded": False},
        "fit": ["Aim: serves data"],
        "caveats": ["No academic credit."],
        "last_checked": "2026-11-01",
    }
    _text, blocks = reply_blocks(
        {"custom": {"type": "credential_list", "intro": "Here are 2", "hint": "", "items": [item, item]}}
    )
    sections = [b for b in blocks if b["type"] == "section"]
    assert len(sections) == 3  # the intro, then one per credential
    assert "<https://grow.google/certificates/data-analytics/|Google Data Analytics>" in sections[1]["text"]["text"]
    assert (
        "26 weeks, 10 h a week" in sections[1]["text"]["text"]
        and "12 US credit (not awarded)" in sections[1]["text"]["text"]
    )
    context = blocks[2]["elements"]
    assert context[0]["text"].startswith("Why it fits") and context[-1]["text"] == "Last checked 2026-11-01"
    many = [{"title": f"option {i}", "payload": f'/choose{{"n": {i}}}'} for i in range(30)]
    actions = reply_blocks({"text": "Which?", "buttons": many})[1][-1]
    assert actions["elements"][0]["type"] == "static_select" and len(actions["elements"][0]["options"]) == 30
    few = reply_blocks({"text": "Which?", "buttons": many[:3]})[1]
    assert [e["type"] for e in few[-1]["elements"]] == ["button"] * 3
    after = chosen_blocks(few, "option 1")
    assert (
        not [b for b in after if b["type"] == "actions"] and "You chose: *option 1*" in after[-1]["elements"][0]["text"]
    )


def test_the_manifest_subscribes_to_mentions_direct_messages_and_handoff_threads():
    import yaml

    manifest = yaml.safe_load((PROJECT_ROOT / "slack" / "manifest.yml").read_text())
    events = manifest["settings"]["event_subscriptions"]
    # channel messages only for advisers' replies in handoff threads (the relay never answers them as questions)
    assert sorted(events["bot_events"]) == ["app_mention", "message.channels", "message.im"]
    urls = [events["request_url"], manifest["settings"]["interactivity"]["request_url"]]
    urls += [c["url"] for c in manifest["features"]["slash_commands"]]
    assert all(u.endswith("/slack/events") for u in urls)
    assert {"chat:write", "commands", "im:history", "app_mentions:read"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )


# ------------------------------------------------------------------------------------------------
# A fake Slack Web API and the relay process
# ------------------------------------------------------------------------------------------------


class FakeSlack:
    """Answers auth.test, chat.postMessage, chat.update and chat.postEphemeral as Slack does; records them."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.connections_url = ""
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                method = self.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                with fake.lock:
                    fake.calls.append((method, body))
                ts = f"{time.time():.6f}"
                answers = {
                    "auth.test": {
                        "ok": True,
                        "team_id": "T1",
                        "user_id": "UBOT",
                        "bot_id": "BBOT",
                        "user": "assistant",
                    },
                    "chat.postMessage": {"ok": True, "channel": body.get("channel"), "ts": ts, "message": body},
                    "chat.update": {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")},
                    "chat.postEphemeral": {"ok": True, "message_ts": ts},
                    "apps.connections.open": {"ok": True, "url": fake.connections_url},
                }
                out = json.dumps(answers.get(method, {"ok": False, "error": "unknown_method"})).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posts(self, method: str = "chat.postMessage") -> list[dict]:
        with self.lock:
            return [body for m, body in self.calls if m == method]

    def wait_for(self, n: int, method: str = "chat.postMessage", timeout: float = 90) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.posts(method)
            if len(found) >= n:
                return found
            time.sleep(0.2)
        raise AssertionError(f"{method}: {len(self.posts(method))} calls, expected {n}")


@pytest.fixture(scope="module")
def slack(stack):
    fake = FakeSlack()
    port = free_port()
    env = dict(
        stack.env,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.url,
        SLACK_HANDOFF_CHANNEL="CHANDOFF",
        PYTHONUNBUFFERED="1",
    )
    log = open(stack.log_dir / "slack.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.channels.slack", "--port", str(port), "--rasa-url", stack.rasa_url],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(f"http://127.0.0.1:{port}/healthz", proc, "Slack relay", stack.log_dir / "slack.log")
        fake.events_url = f"http://127.0.0.1:{port}/slack/events"
        yield fake
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()
        fake.server.shutdown()
        fake.server.server_close()


def signed(body: bytes, secret: str = SECRET, age: float = 0, content_type: str = "application/json") -> dict:
    ts = str(int(time.time() - age))
    sig = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig, "Content-Type": content_type}


def deliver(url: str, body: bytes, headers: dict) -> int:
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


_N = iter(range(1, 10**6))


def dm(text: str, thread: str | None = None, user: str = "U1") -> tuple[bytes, str]:
    n = next(_N)
    ts = f"{1_800_000_000 + n}.000100"
    event = {"type": "message", "channel_type": "im", "channel": "D1", "user": user, "text": text, "ts": ts}
    if thread:
        event["thread_ts"] = thread
    body = {"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": f"Ev{n:08d}", "event": event}
    return json.dumps(body).encode(), ts


@contextmanager
def new_posts(fake: FakeSlack, method: str = "chat.postMessage"):
    before = len(fake.posts(method))
    got: list[dict] = []
    yield got
    time.sleep(0.5)
    got.extend(fake.posts(method)[before:])


def say(fake, text: str, thread: str | None = None, user: str = "U1") -> tuple[list[dict], str]:
    body, ts = dm(text, thread, user)
    before = len(fake.posts())
    started = time.monotonic()
    assert deliver(fake.events_url, body, signed(body)) == 200
    assert time.monotonic() - started < 3  # acknowledged at once; the answer comes after
    fake.wait_for(before + 1)
    time.sleep(1.0)  # every message of the answer
    return fake.posts()[before:], ts


# ------------------------------------------------------------------------------------------------
# End to end
# ------------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_a_dm_gets_one_threaded_answer_however_often_slack_redelivers_it(slack):
    body, ts = dm("hello")
    before = len(slack.posts())
    assert deliver(slack.events_url, body, signed(body)) == 200
    answer = slack.wait_for(before + 1)[before]
    assert answer["thread_ts"] == ts and answer["channel"] == "D1" and answer["blocks"]
    time.sleep(1.0)
    answered = len(slack.posts())
    reasons = ["http_timeout", "too_many_redirects", "connection_failed", "ssl_error", "http_error", "unknown_error"]
    for retry, reason in [(n, reason) for reason in reasons for n in (1, 2, 3)]:
        headers = dict(signed(body), **{"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": reason})
        assert deliver(slack.events_url, body, headers) == 200
    time.sleep(2.0)
    assert len(slack.posts()) == answered  # no second answer


@pytest.mark.e2e
def test_tampered_wrongly_signed_and_stale_requests_are_refused(slack):
    body, _ts = dm("hello")
    headers = signed(body)
    assert deliver(slack.events_url, body.replace(b"hello", b"hullo"), headers) == 401
    assert deliver(slack.events_url, body, signed(body, secret="not-the-secret")) == 401
    assert deliver(slack.events_url, body, signed(body, age=301)) == 401
    time.sleep(1.0)
    assert not [p for p in slack.posts() if "hullo" in json.dumps(p)]


@pytest.mark.e2e
def test_a_recommendation_arrives_as_block_kit_and_a_button_answers_once(slack):
    first, thread = say(slack, "I want to work in cloud computing")
    replies, _ = say(slack, "200 bucks", thread=thread)  # which dollars? buttons
    with_buttons = next(p for p in replies if any(b["type"] == "actions" for b in p["blocks"]))
    button = next(b for b in with_buttons["blocks"] if b["type"] == "actions")["elements"][0]
    click = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "D1"},
        "message": {
            "ts": "1800009999.000200",
            "thread_ts": thread,
            "text": with_buttons["text"],
            "blocks": with_buttons["blocks"],
        },
        "actions": [dict(button, block_id="choices", action_ts=f"{time.time():.6f}")],
        "trigger_id": "1.2.3",
    }
    form = urllib.parse.urlencode({"payload": json.dumps(click)}).encode()
    before, updates = len(slack.posts()), len(slack.posts("chat.update"))
    assert deliver(slack.events_url, form, signed(form, content_type="application/x-www-form-urlencoded")) == 200
    slack.wait_for(before + 1)
    update = slack.wait_for(updates + 1, "chat.update")[-1]
    assert not [b for b in update["blocks"] if b["type"] == "actions"]  # the buttons are gone
    assert "You chose" in json.dumps(update["blocks"])
    time.sleep(1.0)
    answered = len(slack.posts())
    click["actions"][0]["action_ts"] = f"{time.time():.6f}"  # the same button, clicked again
    form = urllib.parse.urlencode({"payload": json.dumps(click)}).encode()
    assert deliver(slack.events_url, form, signed(form, content_type="application/x-www-form-urlencoded")) == 200
    time.sleep(2.0)
    assert len(slack.posts()) == answered and len(slack.posts("chat.update")) == updates + 1
    replies, _ = say(slack, "3 months, 5 hours a week", thread=thread)
    cards = next(p for p in replies if len([b for b in p["blocks"] if b["type"] == "section"]) >= 2)
    sections = [b for b in cards["blocks"] if b["type"] == "section"]
    assert any("<https://" in s["text"]["text"] for s in sections[1:])
    assert all(p["thread_ts"] == thread for p in first + replies)


@pytest.mark.e2e
def test_two_threads_keep_separate_budgets(slack):
    _a, thread_a = say(slack, "I want to work in cloud computing")
    _b, thread_b = say(slack, "I want to work in cloud computing")
    say(slack, "£100", thread=thread_a)
    say(slack, "£900", thread=thread_b)
    in_a, _ = say(slack, "3 months, 5 hours a week", thread=thread_a)
    in_b, _ = say(slack, "3 months, 5 hours a week", thread=thread_b)
    assert "up to £100" in json.dumps(in_a, ensure_ascii=False) and "£900" not in json.dumps(in_a, ensure_ascii=False)
    assert "up to £900" in json.dumps(in_b, ensure_ascii=False) and "£100" not in json.dumps(in_b, ensure_ascii=False)


@pytest.mark.e2e
def test_the_slash_command_answers_only_the_caller(slack):
    command = {
        "command": "/credentials",
        "text": "cloud computing, £200, 3 months, 5 hours a week",
        "team_id": "T1",
        "user_id": "USTAFF",
        "channel_id": "C1",
        "trigger_id": "1.2.4",
        "response_url": "https://hooks.slack.com/commands/T1/1/x",
    }
    form = urllib.parse.urlencode(command).encode()
    before = len(slack.posts("chat.postEphemeral"))
    posted = len(slack.posts())
    started = time.monotonic()
    assert deliver(slack.events_url, form, signed(form, content_type="application/x-www-form-urlencoded")) == 200
    assert time.monotonic() - started < 3
    answer = slack.wait_for(before + 1, "chat.postEphemeral")
    time.sleep(1.0)
    assert all(a["user"] == "USTAFF" for a in answer[before:])
    assert len(slack.posts()) == posted  # nothing public


def test_when_the_assistant_is_down_the_thread_gets_an_apology_not_silence(tmp_path):
    from bench.slack_ack import start_relay
    from bot.channels.slack import SORRY

    fake = FakeSlack()
    proc, url = start_relay(fake, tmp_path)  # nothing listens at its assistant's address
    try:
        body, ts = dm("hello")
        assert deliver(url, body, signed(body)) == 200
        apology = fake.wait_for(1, timeout=30)[0]
        assert apology["text"] == SORRY and apology["thread_ts"] == ts
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        fake.server.shutdown()
        fake.server.server_close()


class FakeSocketMode:
    """Slack's Socket Mode side: apps.connections.open gives a WebSocket URL; on it, a hello, then the
    envelopes the test sends; the relay's acknowledgements ({"envelope_id": …}) are recorded."""

    def __init__(self, api: FakeSlack):
        import asyncio

        from aiohttp import web

        self.acks: list[str] = []
        self.sockets: list = []
        self.loop = asyncio.new_event_loop()
        port = free_port()
        self.ws_url = f"ws://127.0.0.1:{port}/link"

        async def link(request):
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            self.sockets.append(ws)
            await ws.send_json({"type": "hello", "num_connections": 1})
            async for msg in ws:
                data = json.loads(msg.data)
                if "envelope_id" in data:
                    self.acks.append(data["envelope_id"])
            return ws

        app = web.Application()
        app.router.add_get("/link", link)
        self.runner = web.AppRunner(app)

        def serve():
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self.runner.setup())
            self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", port).start())
            self.loop.run_forever()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        api.connections_url = self.ws_url  # answered by the fake Web API's apps.connections.open

    def send(self, envelope: dict) -> None:
        import asyncio

        asyncio.run_coroutine_threadsafe(self.sockets[-1].send_json(envelope), self.loop).result(10)

    def stop(self) -> None:
        import asyncio

        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.mark.e2e
def test_socket_mode_answers_an_event_once_in_its_thread(stack):
    api = FakeSlack()
    sockets = FakeSocketMode(api)
    port = free_port()
    env = dict(
        stack.env,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_APP_TOKEN="xapp-test-token",
        SLACK_API_URL=api.url,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.channels.slack", "--port", str(port), "--rasa-url", stack.rasa_url],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not sockets.sockets and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sockets.sockets, "the relay did not open the Socket Mode connection"
        body, ts = dm("hello")
        envelope = {"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False}
        sockets.send(dict(envelope, payload=json.loads(body), retry_attempt=0))
        answer = api.wait_for(1)[0]
        assert answer["thread_ts"] == ts and answer["channel"] == "D1"
        assert "env-1" in sockets.acks
        sockets.send(dict(envelope, envelope_id="env-2", payload=json.loads(body), retry_attempt=1))  # a retry
        time.sleep(2.0)
        assert len(api.posts()) == 1 and "env-2" in sockets.acks
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        sockets.stop()
        api.server.shutdown()
        api.server.server_close()


def widget_call(stack, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json", "Origin": stack.demo_origin}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(stack.web_url + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


def student_sees(stack, cid: str, token: str, words: str, timeout: float = 30) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        history = widget_call(stack, "GET", f"/widget/conversations/{cid}/messages", token=token)["messages"]
        if any(words in m["text"] for m in history if m["role"] == "bot"):
            return history
        time.sleep(0.3)
    raise AssertionError(f"the student never saw {words!r}")


@pytest.mark.e2e
def test_warm_handoff_between_a_widget_conversation_and_a_slack_thread(stack, slack):
    started = widget_call(stack, "POST", "/widget/conversations", {})
    cid, token = started["conversation"], started["token"]

    def send(text: str) -> list[dict]:
        body = {"id": f"m{time.time_ns()}", "text": text}
        return widget_call(stack, "POST", f"/widget/conversations/{cid}/messages", body, token)["messages"]

    send("I want to work in data analysis, my email is sam@example.com")
    posted = len(slack.posts())
    send("can I talk to a person about this?")
    request = next(p for p in slack.wait_for(posted + 1) if p.get("channel") == "CHANDOFF" and "blocks" in p)
    summary = json.dumps(request["blocks"])
    assert "website widget" in summary and "Take this conversation" in summary and "example.com" not in summary
    student_sees(stack, cid, token, "let the careers team know")

    thread = "1800000000.999999"
    take = next(b for b in request["blocks"] if b["type"] == "actions")["elements"][0]
    click = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "UADVISER"},
        "channel": {"id": "CHANDOFF"},
        "message": {"ts": thread, "text": request["text"], "blocks": request["blocks"]},
        "actions": [dict(take, block_id="handoff", action_ts=f"{time.time():.6f}")],
        "trigger_id": "1.2.5",
    }
    form = urllib.parse.urlencode({"payload": json.dumps(click)}).encode()
    updates = len(slack.posts("chat.update"))
    assert deliver(slack.events_url, form, signed(form, content_type="application/x-www-form-urlencoded")) == 200
    assert "Taken by <@UADVISER>" in json.dumps(slack.wait_for(updates + 1, "chat.update")[-1]["blocks"])
    student_sees(stack, cid, token, "An adviser from the careers service has joined")

    before = len(slack.posts())
    replies = send("Hello, are you there?")
    assert [m["role"] for m in replies][-1] == "user"  # the assistant does not answer while the adviser has it
    forwarded = slack.wait_for(before + 1)
    assert any(p.get("thread_ts") == thread and p["text"] == "Student: Hello, are you there?" for p in forwarded)

    def adviser(text: str) -> None:
        n = next(_N)
        event = {
            "type": "message",
            "channel": "CHANDOFF",
            "channel_type": "channel",
            "user": "UADVISER",
            "text": text,
            "ts": f"{1_800_000_500 + n}.000100",
            "thread_ts": thread,
        }
        body = json.dumps(
            {"type": "event_callback", "team_id": "T1", "event_id": f"EvA{n:07d}", "event": event}
        ).encode()
        assert deliver(slack.events_url, body, signed(body)) == 200

    adviser("Hi, I'm Sam from the careers team. What budget do you have in mind?")
    student_sees(stack, cid, token, "I'm Sam from the careers team")
    adviser("hand back")
    student_sees(stack, cid, token, "handed you back")
    replies = send("£300, 3 months, 5 hours a week")
    assert replies[-1]["role"] == "bot"  # the assistant answers again
