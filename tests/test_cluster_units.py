"""The cluster's parts that need no servers: HAProxy's configuration, the lock store and event broker
addresses, the rate limiter and the client address behind a proxy, the REST channel's message ids, the
benchmark client's retry policy, a retried message found in the tracker store, and the lock store dropping
the tickets of a server that died (against Redis, when it is running)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import uuid

import aiohttp
import pytest
import redis
from aiohttp import web
from rasa.core.lock import TicketLock
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bench.cluster import Client
from bot.channels import faults
from bot.channels.guard import RateLimiter, client_address
from bot.channels.lock_store import AtomicRedisLockStore
from bot.channels.rasa_files import event_broker, lock_store
from bot.channels.rest import check
from bot.channels.tracker_store import AdvisorSQLTrackerStore
from bot.cluster import CONVERSATION_HASH, Service, haproxy_config
from bot.settings import load_settings
from tests.clusters import listening
from tests.conftest import need_service

# ------------------------------------------------------------------------------------------------
# HAProxy's configuration
# ------------------------------------------------------------------------------------------------


def services() -> list[Service]:
    return [
        Service("rasa", 5005, [41001, 41002], "/", 64 * 1024, "/webhooks/rest/", CONVERSATION_HASH),
        Service("actions", 5055, [41003, 41004], "/health"),
    ]


def test_haproxy_config_lists_every_server_with_its_health_check_and_the_limits():
    config = haproxy_config(services(), load_settings({"RATE_LIMIT_MESSAGES": "30", "RATE_LIMIT_SECONDS": "6"}))
    assert "bind 127.0.0.1:5005" in config and "bind 127.0.0.1:5055" in config
    assert "server rasa1 127.0.0.1:41001 check" in config and "server rasa2 127.0.0.1:41002 check" in config
    assert "server actions2 127.0.0.1:41004 check" in config
    assert "option httpchk GET /health" in config and "option redispatch" in config
    assert "timeout check 10s" in config  # (a busy server, its check answered late, is not taken out)
    rasa = config.split("frontend actions")[0]
    assert "return status 413" in rasa and "gt 65536" in rasa and "return status 411" in rasa
    assert "http_req_rate(6s)" in rasa and "sc_http_req_rate(0) gt 30" in rasa and 'Retry-After "6"' in rasa
    assert "balance hash req.body,json_query('$.sender')" in rasa and "hash-type consistent" in rasa
    assert "hash-balance-factor 125" in rasa
    actions = config.split("frontend actions")[1]
    assert "413" not in actions and "stick-table" not in actions  # (the action servers: no limits)
    assert "balance roundrobin" in actions and "http-buffer-request" not in actions


def test_haproxy_config_without_a_rate_limit_counts_nothing():
    config = haproxy_config(services(), load_settings({"RATE_LIMIT_MESSAGES": "0"}))
    assert "stick-table" not in config and "429" not in config and "413" in config


@pytest.mark.skipif(not shutil.which("haproxy") and not shutil.which("/usr/sbin/haproxy"), reason="no HAProxy")
def test_haproxy_accepts_the_config(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(haproxy_config(services(), load_settings({})))
    checked = subprocess.run(
        [shutil.which("haproxy") or "/usr/sbin/haproxy", "-c", "-q", "-f", str(path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


# ------------------------------------------------------------------------------------------------
# Addresses of the lock store and the event broker
# ------------------------------------------------------------------------------------------------


def test_lock_store_urls():
    store = lock_store("redis://:s%40cret@redis.example:6380/3")
    assert store["url"] == "redis.example" and store["port"] == 6380 and store["db"] == 3
    assert store["password"] == "s@cret" and store["use_ssl"] is False
    assert store["type"] == "bot.channels.lock_store.AtomicRedisLockStore"
    default = lock_store("rediss://127.0.0.1")
    assert (default["port"], default["db"], default["use_ssl"]) == (6379, 1, True) and "password" not in default
    for bad in ("http://127.0.0.1:6379/1", "redis://", "127.0.0.1:6379"):
        with pytest.raises(ValueError, match="LOCK_STORE_URL"):
            lock_store(bad)


def test_event_broker_urls():
    broker = event_broker("amqp://user:p%2Fw@rabbit.example:5673/advising")
    assert broker["url"] == "amqp://rabbit.example:5673/advising" and broker["port"] == 5673
    assert (broker["username"], broker["password"]) == ("user", "p/w")
    assert broker["queues"] == ["advisor_events"]
    plain = event_broker("amqps://rabbit.example/")
    assert plain["port"] == 5671 and (plain["username"], plain["password"]) == ("guest", "guest")
    with pytest.raises(ValueError, match="EVENT_BROKER_URL"):
        event_broker("redis://127.0.0.1:5672/")


# ------------------------------------------------------------------------------------------------
# The rate limiter, and who a client is behind the balancer
# ------------------------------------------------------------------------------------------------


def test_the_rate_limiter_is_a_sliding_window_per_key():
    now = [100.0]
    limiter = RateLimiter(3, 10, clock=lambda: now[0])
    assert [limiter.wait("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.wait("a") == pytest.approx(10) and limiter.wait("b") == 0  # (another client counts alone)
    now[0] += 4
    assert limiter.wait("a") == pytest.approx(6)
    now[0] += 6.01  # the first three have left the window
    assert [limiter.wait("a") for _ in range(3)] == [0, 0, 0] and limiter.wait("a") > 0


def test_the_rate_limiter_with_limit_0_allows_everything_and_forgets_the_oldest_keys():
    assert all(RateLimiter(0, 60).wait("a") == 0 for _ in range(1000))
    limiter = RateLimiter(1, 60, max_keys=2)
    for key in ("a", "b", "c"):
        assert limiter.wait(key) == 0
    assert limiter.wait("a") == 0 and limiter.wait("c") > 0  # "a" was forgotten, "c" was not


def test_the_client_address_behind_trusted_proxies():
    trusted = ("127.0.0.1", "10.0.0.2")
    assert client_address("203.0.113.9", "1.2.3.4", trusted) == "203.0.113.9"  # (not a proxy: its own address)
    assert client_address("127.0.0.1", "198.51.100.7", trusted) == "198.51.100.7"
    assert client_address("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", trusted) == "198.51.100.7"
    assert client_address("127.0.0.1", None, trusted) == "127.0.0.1"
    assert client_address(None, None, trusted) == "unknown"


# ------------------------------------------------------------------------------------------------
# Message ids: the REST channel, the client's retry, the record
# ------------------------------------------------------------------------------------------------


def test_the_rest_channel_takes_a_message_id_of_letters_digits_and_dashes():
    ok = check(b'{"sender": "s", "message": "hi", "message_id": "a1-B_2"}', 65536)
    assert ok["message_id"] == "a1-B_2"
    for bad in ('""', '"a b"', '"' + "x" * 65 + '"', "42", '["a"]'):
        status, message = check(('{"sender": "s", "message": "hi", "message_id": %s}' % bad).encode(), 65536)
        assert status == 400 and "message_id" in message


def fake_rasa(answers: list[tuple[int, object]], calls: list[dict]):
    async def answer(request):
        calls.append(await request.json())
        status, body = answers[min(len(calls), len(answers)) - 1]
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", answer)
    return app


async def send_once(answers: list[tuple[int, object]]):
    calls: list[dict] = []
    runner = web.AppRunner(fake_rasa(answers, calls))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        async with aiohttp.ClientSession() as s:
            return await Client(f"http://127.0.0.1:{port}", retry_pause=0.01).say(s, "someone", "hi"), calls
    finally:
        await runner.cleanup()


def test_the_client_sends_a_failed_message_once_more_with_the_same_id_then_gives_up():
    m, calls = asyncio.run(send_once([(503, {"error": "down"})]))
    assert (m.status, m.attempts, m.answered) == (503, 2, False)
    assert len(calls) == 2 and calls[0]["message_id"] == calls[1]["message_id"]
    m, calls = asyncio.run(send_once([(502, {}), (200, [{"text": "hello"}])]))
    assert (m.status, m.attempts, m.answered) == (200, 2, True) and m.replies == [{"text": "hello"}]
    m, calls = asyncio.run(send_once([(400, {"error": "Type a message first."})]))
    assert (m.status, m.attempts) == (400, 1) and len(calls) == 1  # (refused: sending it again changes nothing)


async def test_a_retried_message_is_found_in_the_record_with_the_replies_said_after_it(tmp_path):
    store = AdvisorSQLTrackerStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'c.db'}", dialect="sqlite")
    events = [ActionExecuted("action_listen"), UserUttered("hi", message_id="m1"), BotUttered("Hello!")]
    events += [BotUttered("What is your aim?"), ActionExecuted("action_listen"), UserUttered("£300", message_id="m2")]
    await store.save(DialogueStateTracker.from_events("someone", events))
    after = await store.events_after_message("someone", "m1")
    assert [getattr(e, "text", e.type_name) for e in after] == ["Hello!", "What is your aim?", "action"]
    assert await store.events_after_message("someone", "m2") == []  # (recorded, nothing said after it yet)
    assert await store.events_after_message("someone", "m3") is None
    assert await store.events_after_message("someone else", "m1") is None
    replies = await faults.recorded_replies(store, "someone", "m1")
    assert [r["text"] for r in replies] == ["Hello!", "What is your aim?"]


def test_the_apology_is_said_once_per_message():
    text = faults.actions_down_text()
    assert load_settings().careers_contact in text
    tracker = DialogueStateTracker.from_events("someone", [UserUttered("hi"), BotUttered(text)])
    assert faults.apologised_this_turn(tracker, text)
    tracker.update(UserUttered("again"))
    assert not faults.apologised_this_turn(tracker, text)


# ------------------------------------------------------------------------------------------------
# The lock store: the tickets of a server that died are dropped (Redis)
# ------------------------------------------------------------------------------------------------


def test_the_tickets_of_a_lock_store_no_longer_alive_are_dropped(monkeypatch):
    need_service(listening(6379), "Redis is not running at 127.0.0.1:6379")
    monkeypatch.setattr(AtomicRedisLockStore, "start_heartbeat", AtomicRedisLockStore.say_alive)
    dead, alive = (AtomicRedisLockStore(host="127.0.0.1", db=7, key_prefix="unit") for _ in range(2))
    conversation = uuid.uuid4().hex
    first = dead.issue_ticket(conversation)
    second = alive.issue_ticket(conversation)
    alive.update_lock(conversation)
    assert alive.get_lock(conversation).now_serving == first  # (both alive: the second waits)
    dead.red.delete(dead.alive_key(dead.owner))  # the first one's server stops saying it is alive
    alive.update_lock(conversation)
    lock: TicketLock = alive.get_lock(conversation)
    assert lock.now_serving == second and [t.number for t in lock.tickets] == [second]
    alive.cleanup(conversation, second)
    assert alive.get_lock(conversation) is None
    assert not alive.red.exists(alive.owners_key(conversation))


def test_the_lock_store_is_tried_again_when_redis_drops_its_connection(monkeypatch):
    need_service(listening(6379), "Redis is not running at 127.0.0.1:6379")
    store = AtomicRedisLockStore(host="127.0.0.1", db=7, key_prefix="unit")
    conversation = uuid.uuid4().hex
    calls = []
    original = store._change_once

    def flaky(*args):
        calls.append(1)
        if len(calls) == 1:
            raise redis.ConnectionError("Connection closed by server.")
        return original(*args)

    monkeypatch.setattr(store, "_change_once", flaky)
    ticket = store.issue_ticket(conversation)
    assert len(calls) == 2 and store.get_lock(conversation).now_serving == ticket
    store.cleanup(conversation, ticket)
