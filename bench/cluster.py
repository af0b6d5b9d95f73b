"""``make bench-cluster``: the cluster's throughput and latency with 1 and 2 Rasa servers, and the events lost
when a server is killed mid-run.

For 1 server, then 2 (``bot.cluster.start_cluster``: Rasa and action servers behind HAProxy, on PostgreSQL
and Redis, each cluster on a fresh database), N concurrent conversations of ``make bench``'s advising
script go through the balancer, at N = 20 and 50: p50/p95 latency per message and messages per second.
Then, on 2 servers, 50 conversations run while one Rasa server is killed (SIGKILL) and started again;
afterwards the messages answered are compared with the user events recorded in the tracker store. Prints
the table and the line ``cluster: 2 servers X msg/s, 1 server Y msg/s, speed-up Z, lost events N``
(speed-up and figures at 50 concurrent conversations), and the machine's load before each measurement,
since the load generator, the databases and the balancer share the machine's cores with the servers.
Each measurement says where the CPU went per message (each group of the cluster's processes, the load
generator, and other processes: someone else's work on a shared machine); it waits for a quiet machine
first, and is made again (``--tries``) when other processes took more than a tenth of the CPU, keeping the
least disturbed.

The client (:class:`Client`) gives each message an id of its own and sends a message that failed (no
connection, a 5xx, a time-out) once more with the same id, after :data:`RETRY_PAUSE` seconds: the server
answers a message it already recorded from the record (``bot.channels.faults``), so nothing is processed
or recorded twice. Only loopback addresses are used; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import aiohttp
from sqlalchemy import create_engine, text

from bench.conversations import ADVISOR_SCRIPT, Result, table
from bot.cluster import start_cluster
from bot.nlu.training import ensure_model
from bot.settings import environment
from tests.clusters import PORTS, fresh_database
from tests.conftest import free_port

#: seconds before a failed message is sent again (once); a Retry-After given by the server is honoured
RETRY_PAUSE = 1.5
ATTEMPT_TIMEOUT = 90
T = TypeVar("T")
USER_ROWS = text(
    "SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id LIKE :prefix ORDER BY sender_id, id"
)


@dataclass
class Sent:
    """One message as the client saw it."""

    sender: str
    message_id: str
    text: str
    status: int = 0
    replies: list = field(default_factory=list)
    attempts: int = 0
    seconds: float = 0.0
    error: str = ""
    started: float = 0.0  # (time.monotonic())

    @property
    def answered(self) -> bool:
        return self.status == 200 and bool(self.replies)


class Client:
    """Sends messages to Rasa's REST channel, each with its own id, and a failed one once more."""

    def __init__(self, url: str, retry_pause: float = RETRY_PAUSE):
        self.url = url.rstrip("/") + "/webhooks/rest/webhook"
        self.retry_pause = retry_pause
        self.sent: list[Sent] = []

    async def say(self, session: aiohttp.ClientSession, sender: str, said: str) -> Sent:
        message = Sent(sender, uuid.uuid4().hex, said)
        self.sent.append(message)
        message.started, t0 = time.monotonic(), time.perf_counter()
        for attempt in (1, 2):
            message.attempts = attempt
            pause = self.retry_pause
            try:
                body = {"sender": sender, "message": said, "message_id": message.message_id}
                async with session.post(self.url, json=body) as resp:
                    message.status, raw = resp.status, await resp.read()
                    if resp.status == 200:
                        message.replies = json.loads(raw)
                        break
                    message.error = raw.decode("utf-8", "replace")[:200]
                    if resp.status < 500 and resp.status != 429:
                        break  # (refused for what it is: sending it again changes nothing)
                    pause = min(float(resp.headers.get("Retry-After") or pause), 10.0)
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                message.status, message.error = 0, type(exc).__name__
            if attempt == 1:
                await asyncio.sleep(pause)
        message.seconds = time.perf_counter() - t0
        return message

    async def conversation(self, session: aiohttp.ClientSession, script: list[str], sender: str) -> list[Sent]:
        return [await self.say(session, sender, said) for said in script]


def session(timeout: float = ATTEMPT_TIMEOUT) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=timeout), connector=aiohttp.TCPConnector(limit=0, force_close=False)
    )


async def run_conversations(client: Client, users: int, script: list[str], prefix: str) -> list[list[Sent]]:
    """``users`` conversations of ``script`` at once; their senders start with ``prefix``."""
    async with session() as s:
        return await asyncio.gather(
            *[client.conversation(s, script, f"{prefix}{i:03d}-{uuid.uuid4().hex[:8]}") for i in range(users)]
        )


def recorded(database_url: str, prefix: str) -> dict[str, list[tuple[str, str]]]:
    """The user events recorded for the conversations whose sender starts with ``prefix``: (message id,
    text) per conversation, in the order recorded."""
    engine = create_engine(database_url)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    try:
        with engine.connect() as conn:
            for sender, data in conn.execute(USER_ROWS, {"prefix": prefix + "%"}):
                event = json.loads(data)
                out[sender].append((event.get("message_id"), event.get("text")))
    finally:
        engine.dispose()
    return out


@dataclass
class Ledger:
    """Messages sent and answered against user events recorded."""

    sent: int
    answered: int
    recorded: int
    lost: int  # answered but not recorded
    twice: int  # recorded more than once
    out_of_order: int  # conversations whose recorded messages are not in the order sent
    retried: int
    failed: list[Sent]


def reconcile(conversations: list[list[Sent]], database_url: str, prefix: str) -> Ledger:
    stored = recorded(database_url, prefix)
    lost = twice = out_of_order = total = 0
    for messages in conversations:
        if not messages:
            continue
        rows = stored.get(messages[0].sender, [])
        total += len(rows)
        ids = [message_id for message_id, _ in rows]
        answered = [m for m in messages if m.answered]
        lost += sum(1 for m in answered if m.message_id not in ids)
        twice += len(ids) - len(set(ids))
        if [i for i in ids if i in {m.message_id for m in messages}] != [m.message_id for m in answered]:
            out_of_order += 1
    flat = [m for messages in conversations for m in messages]
    return Ledger(
        sent=len(flat),
        answered=sum(m.answered for m in flat),
        recorded=total,
        lost=lost,
        twice=twice,
        out_of_order=out_of_order,
        retried=sum(m.attempts > 1 for m in flat),
        failed=[m for m in flat if not m.answered],
    )


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def during(work: Callable[[], T], fault: Callable[[], None]) -> T:
    """``work()`` in a thread of its own while ``fault()`` runs in this one. (A fault that starts a server
    again must run here: a server is stopped when the thread that started it ends, PR_SET_PDEATHSIG.)"""
    with ThreadPoolExecutor(1) as pool:
        done = pool.submit(work)
        fault()
        return done.result()


def kill_and_restart(cluster, after: float, log: list[str]) -> None:
    """``after`` seconds from now, kill the first Rasa server (SIGKILL) and start it again."""
    time.sleep(after)
    victim = cluster.rasa[0]
    os.killpg(victim.pid, signal.SIGKILL)
    victim.proc.wait(timeout=30)
    killed = time.monotonic()
    log.append(f"killed {victim.name} (pid {victim.pid})")
    cluster.start(victim)
    cluster.wait_until_up(victim)
    log.append(f"{victim.name} answering again {time.monotonic() - killed:.0f} s after the kill (pid {victim.pid})")


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user and system, all threads) the processes ``pids`` have used so far."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            continue
    return total


def machine_seconds() -> tuple[float, float]:
    """(busy, all) CPU seconds of the machine so far, over every core (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK"), sum(fields) / os.sysconf("SC_CLK_TCK")


def named(comm: str) -> list[int]:
    """The processes whose command name is ``comm``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == comm:
                    out.append(int(entry.name))
            except OSError:
                continue
    return out


def cpu_groups(cluster) -> dict[str, list[int]]:
    return {
        "Rasa": [p.pid for p in cluster.rasa],
        "actions": [p.pid for p in cluster.actions],
        "PostgreSQL": named("postgres"),
        "HAProxy": [cluster.balancer.pid],
        "Redis": named("redis-server"),
        "load generator": [os.getpid()],
    }


@dataclass
class Cpu:
    """Where the CPU went while messages were answered."""

    per_message: dict[str, float]  # ms of CPU per message answered, by process group
    shares: list[float]  # each Rasa server's share of the Rasa servers' CPU
    busy: float  # the machine's busy fraction

    def line(self) -> str:
        parts = ", ".join(f"{name} {ms:.0f}" for name, ms in self.per_message.items())
        split = "/".join(f"{100 * x:.0f}%" for x in self.shares)
        return f"CPU ms per message: {parts}; Rasa servers' shares {split}; the machine {100 * self.busy:.0f}% busy"

    @property
    def disturbed(self) -> bool:
        """Whether processes outside the cluster took more than a tenth of the CPU it used."""
        return self.per_message["other processes"] > 0.1 * sum(self.per_message.values())


def accounted(cluster, work: Callable[[], int]) -> Cpu:
    """Run ``work()`` (it returns the messages answered) and say where the CPU went."""
    groups = cpu_groups(cluster)
    servers = [p.pid for p in cluster.rasa]
    before = {name: cpu_seconds(pids) for name, pids in groups.items()}
    each = [cpu_seconds([pid]) for pid in servers]
    busy0, all0 = machine_seconds()
    messages = max(work(), 1)
    busy1, all1 = machine_seconds()
    used = {name: cpu_seconds(pids) - before[name] for name, pids in groups.items()}
    used["other processes"] = max((busy1 - busy0) - sum(used.values()), 0.0)
    shares = [cpu_seconds([pid]) - b for pid, b in zip(servers, each)]
    return Cpu(
        {name: 1000 * seconds / messages for name, seconds in used.items()},
        [x / max(sum(shares), 1e-9) for x in shares],
        (busy1 - busy0) / (all1 - all0),
    )


def wait_for_quiet(max_seconds: float) -> None:
    """Until the machine is less than 15% busy over 3 s (the cluster idle: someone else's work), at most
    ``max_seconds``."""
    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline:
        busy0, all0 = machine_seconds()
        time.sleep(3)
        busy1, all1 = machine_seconds()
        if (busy1 - busy0) / (all1 - all0) < 0.15:
            return
    print(f"    (the machine was not quiet within {max_seconds:.0f} s: measuring anyway)")


def measure(cluster, users: int, rounds: int, label: str, tries: int = 1, quiet_wait: float = 0) -> Result:
    """``rounds`` of ``users`` conversations at once; measured again (up to ``tries`` times, after waiting
    for a quiet machine) when other processes took a share of the CPU; the least disturbed kept."""
    kept: tuple[float, Result] | None = None
    for attempt in range(tries):
        if quiet_wait:
            wait_for_quiet(quiet_wait)
        client = Client(cluster.url("rasa"))
        print(f"  {label}: {users} concurrent conversations × {rounds} round(s) of {len(ADVISOR_SCRIPT)} ({load()})")
        asyncio.run(run_conversations(client, 2, ADVISOR_SCRIPT[:2], "warm-"))  # not counted
        client.sent.clear()
        t0 = time.perf_counter()

        def work(client=client, attempt=attempt) -> int:
            for r in range(rounds):
                asyncio.run(run_conversations(client, users, ADVISOR_SCRIPT, f"bench-{users}-{attempt}-{r}-"))
            return sum(m.answered for m in client.sent)

        cpu = accounted(cluster, work)
        seconds = time.perf_counter() - t0
        print(f"    {cpu.line()}", flush=True)
        errors = sum(not m.answered for m in client.sent)
        result = Result(label, users, [m.seconds for m in client.sent], seconds, errors)
        if kept is None or cpu.per_message["other processes"] < kept[0]:
            kept = (cpu.per_message["other processes"], result)
        if not cpu.disturbed:
            break
        if attempt + 1 < tries:
            print("    (other processes took a share of the CPU: measured again)")
    return kept[1]


def kill_run(cluster, users: int, kill_after: float) -> tuple[Ledger, list[str]]:
    client, log = Client(cluster.url("rasa")), []
    prefix = f"kill-{uuid.uuid4().hex[:6]}-"
    print(f"  2 servers: {users} conversations × 2 scripts, the first Rasa server killed after {kill_after:.0f} s")
    script = ADVISOR_SCRIPT + ADVISOR_SCRIPT[1:]
    conversations = during(
        lambda: asyncio.run(run_conversations(client, users, script, prefix)),
        lambda: kill_and_restart(cluster, kill_after, log),
    )
    return reconcile(conversations, cluster.settings.database_url, prefix), log


def cluster_settings(var: Path, database: str) -> dict[str, str]:
    return {
        **{name: str(free_port()) for name in PORTS},
        "ADVISOR_VAR_DIR": str(var),
        "CLUSTER_DATABASE_URL": fresh_database(database),
        "LOCK_STORE_URL": os.environ.get("LOCK_STORE_URL") or "redis://127.0.0.1:6379/4",
        "RATE_LIMIT_MESSAGES": "0",  # (one client address sends everything)
    }


OPTIONS = [
    ("--rounds-20", int, 3, "rounds of 20 concurrent conversations"),
    ("--rounds-50", int, 2, "rounds of 50 concurrent conversations"),
    ("--tries", int, 2, "measurements at most of each load, while other processes take CPU"),
    ("--quiet-wait", float, 90.0, "seconds at most to wait for a quiet machine before each measurement"),
    ("--kill-after", float, 8.0, "seconds into the kill run when a Rasa server is killed (0: no kill run)"),
]


def report(results: list[Result], ledger: Ledger | None) -> None:
    """The table, the speed-up at each load, the kill run's ledger, and the summary line."""
    table(results, "servers")
    rate = {(r.bot.split()[0], r.users): r.rate for r in results}
    speed_up = {users: rate[("2", users)] / rate[("1", users)] for users in (20, 50)}
    for users, ratio in speed_up.items():
        print(
            f"at {users} conversations: 2 servers {rate[('2', users)]:.1f} msg/s, 1 server {rate[('1', users)]:.1f}"
            f" msg/s, speed-up {ratio:.2f}"
        )
    lost = "not measured"
    if ledger is not None:
        lost = ledger.lost + len(ledger.failed)
        print(
            f"kill run: {ledger.sent} messages sent, {ledger.answered} answered, {ledger.recorded} user events "
            f"recorded, {ledger.retried} sent twice by the client, {ledger.twice} recorded twice, "
            f"{ledger.out_of_order} conversations out of order, {len(ledger.failed)} unanswered"
        )
    print(
        f"cluster: 2 servers {rate[('2', 50)]:.1f} msg/s, 1 server {rate[('1', 50)]:.1f} msg/s, "
        f"speed-up {speed_up[50]:.2f}, lost events {lost}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option, kind, default, explained in OPTIONS:
        parser.add_argument(option, type=kind, default=default, help=explained)
    args = parser.parse_args(argv)
    model = ensure_model()
    results: list[Result] = []
    ledger = None
    with tempfile.TemporaryDirectory() as tmp:
        for servers in (1, 2):
            var = Path(tmp) / f"{servers}"
            env = environment(**cluster_settings(var, f"advisor_bench_cluster_{servers}"))
            print(f"Starting a cluster of {servers} Rasa server(s) and action server(s)…", flush=True)
            cluster = start_cluster(servers, env, model=model, log_dir=var / "logs")
            try:
                label = f"{servers} server{'s' if servers > 1 else ''}"
                for users, rounds in ((20, args.rounds_20), (50, args.rounds_50)):
                    results.append(measure(cluster, users, rounds, label, args.tries, args.quiet_wait))
                if servers == 2 and args.kill_after > 0:
                    ledger, log = kill_run(cluster, 50, args.kill_after)
                    print("    " + "; ".join(log))
            finally:
                cluster.stop()
    report(results, ledger)
    print(f"({load()} at the end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
