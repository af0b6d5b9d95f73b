"""How fast the Slack relay acknowledges events: Slack wants an answer within 3 seconds, whatever the
assistant does afterwards.

    python -m bench.slack_ack [--concurrency 20] [--rounds 10]

Starts the relay (``python -m bot.channels.slack``) against a local fake of Slack's Web API and an
assistant address where nothing listens (so each event is also answered with the apology, posted after
the acknowledgement), sends ``rounds`` bursts of ``concurrency`` signed direct-message events at once,
and prints the acknowledgement time's p50 and p99 over all of them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import aiohttp

from bot.settings import PROJECT_ROOT
from tests.conftest import free_port
from tests.test_slack import SECRET, FakeSlack, dm, signed


def start_relay(fake: FakeSlack, var_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(
        os.environ,
        ADVISOR_VAR_DIR=str(var_dir),
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.url,
        RELAY_TIMEOUT_SECONDS="2",
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.channels.slack",
            "--port",
            str(port),
            "--rasa-url",
            f"http://127.0.0.1:{free_port()}",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port}/slack/events"


async def burst(session: aiohttp.ClientSession, url: str, n: int) -> list[float]:
    async def one() -> float:
        body, _ts = dm("hello")
        started = time.perf_counter()
        async with session.post(url, data=body, headers=signed(body)) as resp:
            await resp.read()
            assert resp.status == 200, resp.status
        return time.perf_counter() - started

    return list(await asyncio.gather(*(one() for _ in range(n))))


async def measure(url: str, concurrency: int, rounds: int) -> list[float]:
    times: list[float] = []
    async with aiohttp.ClientSession() as session:
        await burst(session, url, 2)  # the first request also checks the token (auth.test)
        for i in range(rounds):
            times += await burst(session, url, concurrency)
            print(f"  round {i + 1}/{rounds}", file=sys.stderr, flush=True)
            await asyncio.sleep(0.5)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    fake = FakeSlack()
    with tempfile.TemporaryDirectory() as var_dir:
        proc, url = start_relay(fake, Path(var_dir))
        try:
            times = asyncio.run(measure(url, args.concurrency, args.rounds))
        finally:
            proc.terminate()
            proc.wait(timeout=15)
            fake.server.shutdown()
            fake.server.server_close()
    ms = sorted(t * 1000 for t in times)
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
    result = {
        "events": len(ms),
        "concurrency": args.concurrency,
        "ack_p50_ms": statistics.median(ms),
        "ack_p99_ms": p99,
    }
    print(json.dumps(result))
    print(
        f"slack ack: {len(ms)} events at {args.concurrency} concurrent, p50 {result['ack_p50_ms']:.1f} ms, p99 {p99:.1f} ms"
    )


if __name__ == "__main__":
    main()
