"""Faults a cluster (``make run-cluster``) survives, against real processes.

One cluster of two Rasa servers and two action servers behind HAProxy, on PostgreSQL, Redis and RabbitMQ,
for the whole module. People are played by ``bench.cluster.Client``: each message carries an id of its
own, and a message that fails is sent once more with the same id. Checked against the tracker store:

- two messages of one conversation arriving at both servers at the same moment are processed one after
  the other (the lock store);
- the action servers killed: an apology with the careers contact while they are down, normal answers once
  they are back;
- a Rasa server killed (SIGKILL) and started again while 50 conversations run: every message is answered,
  after one retry at the most, and recorded exactly once, in the order sent;
- PostgreSQL restarted, then Redis restarted, while conversations run: no message fails after its retry,
  no event recorded before is lost, and normal answers come back within 30 seconds.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench.cluster import Client, during, kill_and_restart, reconcile, run_conversations, session
from bench.conversations import ADVISOR_SCRIPT
from bot.channels.rasa_files import EVENT_QUEUE
from tests.clusters import (
    CAREERS_CONTACT,
    RABBITMQ_URL,
    drain_queue,
    listening,
    need_cluster_services,
    running_cluster,
)
from tests.conftest import need_service

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REDIS_DB = 5
LONG_SCRIPT = ADVISOR_SCRIPT + ADVISOR_SCRIPT[1:]  # (a second advice request, as people change their mind)
RECOVERY_SECONDS = 30


@pytest.fixture(scope="module")
def cluster(trained_model, tmp_path_factory):
    need_cluster_services()
    drain_queue(EVENT_QUEUE)
    var = tmp_path_factory.mktemp("faults")
    settings = dict(
        LOCK_STORE_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        EVENT_BROKER_URL=RABBITMQ_URL,
        RATE_LIMIT_MESSAGES="0",  # (every person here comes from one address)
    )
    with running_cluster(trained_model, var, "advisor_cluster_faults_test", **settings) as c:
        yield c
    drain_queue(EVENT_QUEUE)


def events_of(cluster, sender_prefix: str) -> dict[str, list[dict]]:
    """Every event recorded for the conversations whose sender starts with ``sender_prefix``, in order."""
    engine = create_engine(cluster.settings.database_url)
    out: dict[str, list[dict]] = {}
    query = text("SELECT sender_id, data FROM events WHERE sender_id LIKE :p ORDER BY id")
    try:
        with engine.connect() as conn:
            for sender, data in conn.execute(query, {"p": sender_prefix + "%"}):
                out.setdefault(sender, []).append(json.loads(data))
    finally:
        engine.dispose()
    return out


def turns(events: list[dict]) -> list[tuple[str, list[str]]]:
    """(message id, the texts said after it) for each user message of a conversation."""
    out: list[tuple[str, list[str]]] = []
    for event in events:
        if event["event"] == "user":
            out.append((event.get("message_id"), []))
        elif event["event"] == "bot" and out:
            out[-1][1].append(event.get("text"))
    return out


def squeezed(texts) -> str:
    """Texts as one string without white space (the channel splits a text at its blank lines)."""
    return "".join("".join((t or "").split()) for t in texts)


def says(replies: list[dict]) -> str:
    return " ".join(r.get("text") or "" for r in replies).lower()


def say(cluster, sender: str, said: str, base: str | None = None):
    async def once():
        async with session() as s:
            return await Client(base or cluster.url("rasa")).say(s, sender, said)

    return asyncio.run(once())


def answered_once_each(cluster, conversations, prefix: str):
    """Every message answered (one retry at the most), recorded once, in order; its replies are the ones
    recorded after it."""
    ledger = reconcile(conversations, cluster.settings.database_url, prefix)
    failed = [(m.text, m.status, m.error, m.attempts) for m in ledger.failed]
    assert not failed, f"{len(failed)} messages were not answered: {failed[:5]}"
    assert all(m.attempts <= 2 for c in conversations for m in c)
    assert (ledger.lost, ledger.twice, ledger.out_of_order) == (0, 0, 0), ledger
    assert ledger.recorded == ledger.sent
    recorded = events_of(cluster, prefix)
    for messages in conversations:
        said = dict(turns(recorded[messages[0].sender]))
        for m in messages:
            assert squeezed(said[m.message_id]) == squeezed(r.get("text") for r in m.replies), m.text
    return ledger


def all_running(cluster) -> None:
    assert not cluster.dead(), cluster.dead()


# ------------------------------------------------------------------------------------------------
# (d) two messages of one conversation at both servers at once
# ------------------------------------------------------------------------------------------------


def test_two_messages_of_one_conversation_at_both_servers_at_once_are_processed_one_after_the_other(cluster):
    senders = [f"pair-{i}-{uuid.uuid4().hex[:8]}" for i in range(8)]
    for sender in senders:
        assert say(cluster, sender, "I want to become a data analyst").answered
    barrier = threading.Barrier(2 * len(senders))

    def at_once(job):
        sender, server, said = job
        barrier.wait(timeout=60)
        return say(cluster, sender, said, base=server.url)

    jobs = [(s, cluster.rasa[0], "£300") for s in senders] + [(s, cluster.rasa[1], "4 months") for s in senders]
    with ThreadPoolExecutor(len(jobs)) as pool:
        sent = list(pool.map(at_once, jobs))
    assert all(m.answered and m.attempts == 1 for m in sent), [(m.status, m.error) for m in sent]

    recorded = events_of(cluster, "pair-")
    for sender in senders:
        events = recorded[sender]
        stamps = [e["timestamp"] for e in events]
        assert stamps == sorted(stamps), "events of two messages interleaved"
        mine = {m.message_id: m for m in sent if m.sender == sender}
        said = turns(events)
        assert len(said) == 3 and {mid for mid, _ in said[1:]} == set(mine), said  # each recorded once
        for message_id, texts in said[1:]:  # each answered once, with what was recorded after it
            assert squeezed(texts) == squeezed(r.get("text") for r in mine[message_id].replies)
        # the second one processed saw the first one's slot: the form asks for what is still missing
        assert "hours a week" in " ".join(said[-1][1]).lower()


# ------------------------------------------------------------------------------------------------
# (b) the action servers down, then back
# ------------------------------------------------------------------------------------------------


def test_with_the_action_servers_down_people_get_an_apology_with_the_careers_contact_then_normal_answers(cluster):
    sender = f"actions-{uuid.uuid4().hex[:8]}"
    assert "budget" in says(say(cluster, sender, "I want to become a data analyst").replies)
    for p in cluster.actions:
        os.killpg(p.pid, signal.SIGKILL)
        p.proc.wait(timeout=30)
    try:
        for said in ("£300", "4 months"):
            m = say(cluster, sender, said)
            assert m.status == 200 and m.attempts == 1, m
            assert len(m.replies) == 1 and CAREERS_CONTACT.lower() in says(m.replies), m.replies
            assert "try again" in says(m.replies)
    finally:
        for p in cluster.actions:
            cluster.start(p)
        for p in cluster.actions:
            cluster.wait_until_up(p)
    deadline = time.monotonic() + RECOVERY_SECONDS
    while "how long" not in (answer := says(say(cluster, sender, "£300").replies)):
        assert time.monotonic() < deadline, answer  # (the balancer sees the action servers back)
        time.sleep(1)
    assert "hours a week" in says(say(cluster, sender, "4 months").replies)
    all_running(cluster)


# ------------------------------------------------------------------------------------------------
# (a) a Rasa server killed and restarted while 50 conversations run
# ------------------------------------------------------------------------------------------------


def test_a_rasa_server_killed_mid_run_and_restarted_loses_and_repeats_no_message(cluster):
    client, prefix, log, restarted = Client(cluster.url("rasa")), f"kill-{uuid.uuid4().hex[:6]}-", [], []
    conversations = during(
        lambda: asyncio.run(run_conversations(client, 50, LONG_SCRIPT + ADVISOR_SCRIPT[1:], prefix)),
        lambda: (kill_and_restart(cluster, 4.0, log), restarted.append(time.monotonic())),
    )
    assert len(log) == 2, log  # killed, and answering again
    assert max(m.started for c in conversations for m in c) > restarted[0], "the run ended before the restart"
    ledger = answered_once_each(cluster, conversations, prefix)
    assert ledger.retried >= 1, "no message was in flight on the server killed"
    # the server started again takes its share
    m = say(cluster, "after-kill", "hi", base=cluster.rasa[0].url)
    assert m.answered
    all_running(cluster)


# ------------------------------------------------------------------------------------------------
# (c) PostgreSQL and Redis restarted
# ------------------------------------------------------------------------------------------------


def restart_postgres() -> None:
    versions = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def restart_redis() -> None:
    subprocess.run(["redis-cli", "shutdown", "nosave"], capture_output=True, timeout=30)
    deadline = time.monotonic() + 10
    while listening(6379) and time.monotonic() < deadline:
        time.sleep(0.1)
    subprocess.run(
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"]
        + ["--save", "", "--appendonly", "no"],
        check=True,
        capture_output=True,
        timeout=30,
    )


def can_restart(tool: str) -> None:
    need_service(
        bool(shutil.which(tool)) and os.geteuid() == 0,
        f"{tool} is not here, or this is not root: the service cannot be restarted by the test",
    )


def event_ids(cluster) -> set[int]:
    engine = create_engine(cluster.settings.database_url)
    try:
        with engine.connect() as conn:
            return {i for (i,) in conn.execute(text("SELECT id FROM events"))}
    finally:
        engine.dispose()


def recovered(cluster) -> float:
    """Seconds until a new conversation gets its normal answers again (at most RECOVERY_SECONDS)."""
    t0 = time.monotonic()
    while True:
        sender = f"recovery-{uuid.uuid4().hex[:8]}"
        if "budget" in says(say(cluster, sender, "I want to become a data analyst").replies):
            if "how long" in says(say(cluster, sender, "£300").replies):
                return time.monotonic() - t0
        assert time.monotonic() - t0 < RECOVERY_SECONDS, "no normal answer within 30 s"
        time.sleep(0.5)


@pytest.mark.parametrize("service", ["postgresql", "redis"])
def test_a_database_restarted_mid_run_is_recovered_from_without_losing_an_event(cluster, service):
    can_restart("pg_ctlcluster" if service == "postgresql" else "redis-server")
    before = event_ids(cluster)
    client, prefix, log = Client(cluster.url("rasa")), f"{service}-{uuid.uuid4().hex[:6]}-", []

    def restart_soon():
        time.sleep(2.5)
        log.append(time.monotonic())
        (restart_postgres if service == "postgresql" else restart_redis)()
        log.append(time.monotonic())

    script = LONG_SCRIPT + ADVISOR_SCRIPT[1:]
    conversations = during(lambda: asyncio.run(run_conversations(client, 25, script, prefix)), restart_soon)
    assert len(log) == 2, f"{service} was not restarted"
    started = [m.started for c in conversations for m in c]
    assert min(started) < log[0] and max(started) > log[1] + 2, "the restart was not in the middle of the run"
    answered_once_each(cluster, conversations, prefix)
    assert recovered(cluster) < RECOVERY_SECONDS
    assert before <= event_ids(cluster), "events recorded before the restart are gone"
    all_running(cluster)
