"""``make bench``: latency and throughput of whole conversations over REST, against Rasa's starter bot.

Both bots run here at the same time, on the same machine, and are driven the same way, in turn (the
adviser, then the starter bot, at each load): N concurrent conversations, each a fixed script of
messages sent one after another. Prints p50/p95 latency per message and messages per second at 1 and
20 concurrent conversations, then the ratios, then the adviser's median latency for the same question
at turn 5 and at turn 50 of a conversation (the cost of growth), the adviser's start-up time (its
servers launched with a trained model, to the first answer to "hi") and the resident memory of its
Rasa server and action server after the benchmark.
Every loop is bounded in count; only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.catalogue.loading import load_catalog
from bot.catalogue.models import make_engine
from bot.nlu.training import ensure_model, rasa_bin
from bot.settings import PROJECT_ROOT, load_settings
from tests.conftest import free_port
from tests.stack import _wait, running_stack

ADVISOR_SCRIPT = [
    "hi",
    "I want to become a data analyst",
    "£300",
    "4 months",
    "6 hours a week",
    "tell me more about the second one",
    "is it accredited?",
    "cheaper ones",
]
STARTER_SCRIPT = ["hi", "I am sad", "yes", "great", "bye", "hello", "I am happy", "bye"]
# A 50-message conversation for the cost of growth: the same question at turn 5 and at turn 50, the
# follow-ups between them as people ask them.
GROWTH_QUESTION = "tell me more about the first one"
GROWTH_FOLLOW_UPS = [
    "is it accredited?",
    "does it carry credit?",
    "tell me more about the second one",
    "cheaper ones",
    "other options",
    "would employers recognise the first one?",
]
GROWTH_SCRIPT = [
    *ADVISOR_SCRIPT[1:5],
    GROWTH_QUESTION,
    *[GROWTH_FOLLOW_UPS[i % len(GROWTH_FOLLOW_UPS)] for i in range(44)],
    GROWTH_QUESTION,
]
GROWTH_TURNS = (5, 50)
STORE_VARIABLES = ("DATABASE_URL", "TRACKER_STORE_URL", "TRACKER_STORE_DIALECT")
STARTER_DIR = PROJECT_ROOT / ".bench" / "starter"


@dataclass
class Result:
    bot: str
    users: int
    latencies: list[float]
    seconds: float
    errors: int

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p95(self) -> float:
        return (
            statistics.quantiles(self.latencies, n=20)[18] * 1000
            if len(self.latencies) >= 20
            else max(self.latencies) * 1000
        )

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


async def _conversation(session: aiohttp.ClientSession, url: str, script: list[str], latencies: list[float]) -> int:
    sender = uuid.uuid4().hex
    errors = 0
    for text in script:
        t0 = time.perf_counter()
        async with session.post(url, json={"sender": sender, "message": text}) as resp:
            await resp.read()
            if resp.status != 200:
                errors += 1
        latencies.append(time.perf_counter() - t0)
    return errors


async def drive(rasa_url: str, script: list[str], users: int, rounds: int) -> tuple[list[float], float, int]:
    url = rasa_url + "/webhooks/rest/webhook"
    latencies: list[float] = []
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await _conversation(session, url, script[:2], [])  # warm-up, not counted
        t0 = time.perf_counter()
        errors = 0
        for r in range(rounds):
            results = await asyncio.gather(*[_conversation(session, url, script, latencies) for _ in range(users)])
            errors += sum(results)
            print(f"    round {r + 1}/{rounds}: {len(latencies)} messages", flush=True)
        return latencies, time.perf_counter() - t0, errors


def measure(bot: str, rasa_url: str, script: list[str], plan: list[tuple[int, int]]) -> list[Result]:
    out = []
    for users, rounds in plan:
        print(f"  {bot}: {users} concurrent conversation(s) × {rounds} round(s) of {len(script)} messages", flush=True)
        lat, secs, errors = asyncio.run(drive(rasa_url, script, users, rounds))
        out.append(Result(bot, users, lat, secs, errors))
    return out


async def _growth(rasa_url: str, conversations: int) -> dict[int, list[float]]:
    """Latency of :data:`GROWTH_QUESTION` at the turns of :data:`GROWTH_TURNS`, one conversation at a time."""
    url = rasa_url + "/webhooks/rest/webhook"
    at: dict[int, list[float]] = {turn: [] for turn in GROWTH_TURNS}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        for n in range(conversations):
            latencies: list[float] = []
            await _conversation(session, url, GROWTH_SCRIPT, latencies)
            for turn in GROWTH_TURNS:
                at[turn].append(latencies[turn - 1])
            print(f"    conversation {n + 1}/{conversations}: {len(GROWTH_SCRIPT)} messages", flush=True)
    return at


def growth(rasa_url: str, conversations: int) -> str:
    """The line for the cost of growth: median latency of the same question at turn 5 and at turn 50."""
    print(f"  advisor: {conversations} conversation(s) of {len(GROWTH_SCRIPT)} messages, one at a time", flush=True)
    at = asyncio.run(_growth(rasa_url, conversations))
    early, late = (statistics.median(at[turn]) * 1000 for turn in GROWTH_TURNS)
    return (
        f"advisor median at turn {GROWTH_TURNS[0]}: {early:.0f} ms, at turn {GROWTH_TURNS[1]}: {late:.0f} ms "
        f"(ratio {late / early:.2f}x; the same question, {GROWTH_QUESTION!r})"
    )


def rss_mb(pid: int) -> float:
    """Resident memory of a process and the processes it started, in MB (Linux: /proc)."""
    total_kb, todo, seen = 0, [pid], set()
    while todo and len(seen) < 64:
        p = todo.pop()
        seen.add(p)
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total_kb += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split() if int(c) not in seen]
        except (OSError, StopIteration, ValueError):
            continue
    return total_kb / 1024


async def _first_answer(rasa_url: str, timeout: float = 120) -> None:
    """Until Rasa answers "hi" (a reply with a text), at most ``timeout`` seconds."""
    url = rasa_url + "/webhooks/rest/webhook"
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        while time.monotonic() < deadline:
            try:
                async with session.post(url, json={"sender": uuid.uuid4().hex, "message": "hi"}) as resp:
                    if resp.status == 200 and any("text" in m for m in await resp.json()):
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"no answer to 'hi' within {timeout} s")


def seeded_stores(var: Path) -> dict[str, str]:
    """The store variables for the servers (PostgreSQL when asked: ``DATABASE_URL`` for the catalogue,
    ``TRACKER_STORE_URL`` for the conversations; SQLite files in ``var`` otherwise), the catalogue loaded."""
    extra = {k: os.environ[k] for k in STORE_VARIABLES if os.environ.get(k)}
    eng = make_engine(load_settings({"ADVISOR_VAR_DIR": str(var), **extra}).database_url)
    load_catalog(eng, PROJECT_ROOT / "data" / "catalog")
    eng.dispose()
    return extra


def starter_model() -> Path:
    """Rasa's stock starter bot (`rasa init`), trained once and kept in .bench/starter."""
    model = STARTER_DIR / "models" / "starter.tar.gz"
    if model.exists():
        return model
    shutil.rmtree(STARTER_DIR, ignore_errors=True)
    STARTER_DIR.mkdir(parents=True, exist_ok=True)
    print("Creating and training Rasa's starter bot (`rasa init`, about 75-120 s)…", flush=True)
    subprocess.run(
        [rasa_bin(), "init", "--no-prompt", "--init-dir", str(STARTER_DIR)],
        check=True,
        stdout=subprocess.DEVNULL,
        input=b"",
    )
    for old in (STARTER_DIR / "models").glob("*.tar.gz"):
        old.rename(model)
        break
    if not model.exists():
        subprocess.run(
            [rasa_bin(), "train", "--fixed-model-name", "starter", "--out", "models"],
            cwd=STARTER_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return model


def run_starter(model: Path, port: int, log: Path):
    cmd = [rasa_bin(), "run", "--model", str(model), "--port", str(port), "--endpoints", "endpoints.yml"]
    fh = open(log, "wb")
    proc = subprocess.Popen(cmd, cwd=STARTER_DIR, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    return proc, fh


def table(results: list[Result], first: str = "bot") -> None:
    print(f"\n{first:<10}{'users':>6}{'messages':>10}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}{'msg/s':>9}")
    for r in results:
        print(f"{r.bot:<10}{r.users:>6}{len(r.latencies):>10}{r.errors:>8}{r.p50:>10.0f}{r.p95:>10.0f}{r.rate:>9.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds-1", type=int, default=5, help="conversations in a row for the single user")
    parser.add_argument("--rounds-20", type=int, default=3, help="rounds of 20 concurrent conversations")
    parser.add_argument(
        "--growth", type=int, default=15, help="50-message conversations for turn 5 against turn 50 (medians of each)"
    )
    args = parser.parse_args(argv)
    plan = [(1, args.rounds_1), (20, args.rounds_20)]

    model = ensure_model()
    starter = starter_model()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        extra = seeded_stores(var)
        stores = ", ".join(f"{k}={v.split('://')[0]}" for k, v in extra.items()) or "SQLite"
        print(f"Starting the adviser (action server + Rasa; {stores}), then Rasa's starter bot…", flush=True)
        port = free_port()
        proc = fh = None
        try:
            started = time.perf_counter()
            with running_stack(model, var, (free_port(), free_port(), None), extra_env=extra) as st:
                asyncio.run(_first_answer(st.rasa_url))
                startup = time.perf_counter() - started
                proc, fh = run_starter(starter, port, var / "starter.log")
                _wait(f"http://127.0.0.1:{port}/webhooks/rest/", proc, "starter bot", var / "starter.log")
                # alternating: each load on the adviser, then the same load on the starter bot
                for users, rounds in plan:
                    results += measure("advisor", st.rasa_url, ADVISOR_SCRIPT, [(users, rounds)])
                    results += measure("starter", f"http://127.0.0.1:{port}", STARTER_SCRIPT, [(users, rounds)])
                grown = growth(st.rasa_url, args.growth) if args.growth else None
                memory = (rss_mb(st.pids["rasa"]), rss_mb(st.pids["actions"]))
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
                fh.close()
    table(results)
    by = {(r.bot, r.users): r for r in results}
    for users in (1, 20):
        a, s = by[("advisor", users)], by[("starter", users)]
        print(
            f"ratio advisor/starter at {users:>2} user(s): p50 {a.p50 / s.p50:.2f}x, p95 {a.p95 / s.p95:.2f}x, "
            f"throughput {a.rate / s.rate:.2f}x"
        )
    (a1, s1), (a20, s20) = ((by[("advisor", u)], by[("starter", u)]) for u in (1, 20))
    print(
        f"ratio to starter bot: p50@1 {a1.p50 / s1.p50:.2f}, p95@1 {a1.p95 / s1.p95:.2f}, "
        f"p50@20 {a20.p50 / s20.p50:.2f}, p95@20 {a20.p95 / s20.p95:.2f}, throughput@20 {a20.rate / s20.rate:.2f}"
    )
    if grown:
        print(grown)
    print(f"start-up (action server and Rasa launched, trained model, to the first answer to 'hi'): {startup:.1f} s")
    print(f"memory after bench: rasa server {memory[0]:.0f} MB, action server {memory[1]:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
