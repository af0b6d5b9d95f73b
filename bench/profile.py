"""``make profile``: where the servers' time goes under ``make bench``'s load, from a sampling profiler.

Starts the real action server and Rasa server (SQLite tracker store, or the ``TRACKER_STORE_URL`` and
``DATABASE_URL`` given), attaches py-spy to both, drives ``make bench``'s advising conversation with 20
concurrent conversations, and prints, per server, the CPU milliseconds per message and their share by
part: the NLU components, the policies, the tracker store's load and save, the action-server calls and
the serialisation of the tracker they send, the database queries, the HTTP servers. py-spy samples the
processes from outside: the servers run unchanged.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.conversations import ADVISOR_SCRIPT, GROWTH_SCRIPT, drive, seeded_stores
from bot.nlu.training import ensure_model
from tests.conftest import free_port
from tests.stack import running_stack

RATE = 250  # samples a second

# (part, pattern on a frame "function (file:line)"): the first part with a frame in the stack names a
# sample, so the specific parts come before the general ones.
RASA_PARTS = [
    ("tracker store: save", r"^(save|_additional_events|_event_buffer).*tracker_store\.py"),
    ("tracker store: load", r"tracker_store\.py"),
    ("lock store", r"lock_store\.py"),
    ("NLU: spaCy pipeline and entity ruler", r"spacy_utils\.py|spacy_tokenizer\.py|spacy_entity|\((?:.*/)?spacy/"),
    ("NLU: regex featurizer", r"regex_featurizer\.py"),
    ("NLU: count-vector featurizers", r"count_vectors_featurizer\.py"),
    ("NLU: project featurizers", r"bot/nlu/features\.py"),
    ("NLU: linear intent classifier", r"bot/nlu/intent_classifier\.py"),
    ("NLU: ResponseSelector (TensorFlow)", r"response_selector\.py|\((?:.*/)?(?:tensorflow|keras)/"),
    ("NLU: fallback classifier", r"fallback_classifier\.py"),
    ("policies (and the tracker featurised for them)", r"rasa/core/policies/|rasa/core/featurizers/"),
    ("NLU: other (graph, messages)", r"rasa/nlu/|rasa/engine/|rasa/shared/nlu/"),
    ("tracker to JSON for the action server", r"^current_state .*trackers\.py|\((?:.*/)?json/"),
    ("action-server calls", r"rasa/core/actions/|\((?:.*/)?aiohttp/"),
    ("events and trackers", r"rasa/shared/core/"),
    ("message processing", r"rasa/core/processor\.py|rasa/core/agent\.py"),
    ("HTTP server (Sanic) and channel", r"\((?:.*/)?sanic/|rasa/core/channels/"),
    ("event loop and other", r""),
]
ACTION_PARTS = [
    ("database queries (SQLAlchemy, driver)", r"\((?:.*/)?(?:sqlalchemy|sqlite3|psycopg2?)/"),
    ("JSON (tracker in, reply out)", r"\((?:.*/)?(?:json|ujson|orjson)/"),
    ("language parsing (bot/language)", r"bot/language/"),
    ("matching and ranking (bot/advice)", r"bot/advice/"),
    ("catalogue reading (bot/catalogue)", r"bot/catalogue/"),
    ("actions", r"\((?:.*/)?actions/"),
    ("rasa_sdk (tracker, dispatcher)", r"rasa_sdk/"),
    ("HTTP server (Sanic)", r"\((?:.*/)?sanic/"),
    ("event loop and other", r""),
]


def classify(stacks: Counter, parts: list[tuple[str, str]]) -> Counter:
    compiled = [(name, re.compile(pattern)) for name, pattern in parts]
    out: Counter = Counter()
    for stack, n in stacks.items():
        frames = stack.split(";")
        for name, pattern in compiled:
            if any(pattern.search(f) for f in frames):
                out[name] += n
                break
    return out


# Waiting, not working: a thread-pool worker waiting for work, the event loop waiting in select. py-spy's
# own idle test misses these (they wait with the GIL released in C), so they are left out here.
IDLE = re.compile(
    r"^(?:_worker \(concurrent/futures/thread\.py|serve \(sanic/server/runners\.py|select \(selectors\.py|"
    r"wait \(threading\.py|_run_once \(asyncio/base_events\.py)"
)


def read_raw(path: Path) -> Counter:
    """py-spy's raw (collapsed) output: one "frame;frame;… count" line per distinct stack (waiting left out)."""
    stacks: Counter = Counter()
    if not path.exists():
        return stacks
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit() and not IDLE.search(stack.rsplit(";", 1)[-1]):
            stacks[stack] += int(count)
    return stacks


def report(name: str, stacks: Counter, parts: list[tuple[str, str]], messages: int) -> None:
    total = sum(stacks.values())
    print(
        f"\n{name}: {total / RATE:.1f} s of CPU over {messages} messages = {total / RATE * 1000 / messages:.1f} ms a message"
    )
    for part, n in classify(stacks, parts).most_common():
        print(f"  {part:<44}{100 * n / total:6.1f} %{n / RATE * 1000 / messages:8.2f} ms/message")
    print("  where the project's and Rasa's own code spends it (with what it calls):")
    for frame, n in own_frames(stacks).most_common(TOP_FRAMES):
        print(f"    {100 * n / total:5.1f} %  {frame}")


TOP_FRAMES = 12
OWN_CODE = re.compile(r"\((?:.*/)?(?:bot|actions|rasa|rasa_sdk)/[^)]*\)")


def own_frames(stacks: Counter) -> Counter:
    """Samples per frame of the project's or Rasa's code that is innermost in each stack."""
    out: Counter = Counter()
    for stack, n in stacks.items():
        own = [f for f in stack.split(";") if OWN_CODE.search(f)]
        if own:
            out[re.sub(r":\d+\)$", ")", own[-1])] += n
    return out


def py_spy() -> str:
    found = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if not found:
        raise SystemExit("py-spy is not installed: run `make install` (it is in requirements.txt).")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent conversations")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the 8-message conversation")
    parser.add_argument(
        "--long", action="store_true", help="one 50-message conversation at a time (the cost of growth) instead"
    )
    parser.add_argument("--keep", type=Path, help="copy py-spy's raw stacks (rasa.txt, actions.txt) into this folder")
    args = parser.parse_args(argv)
    spy = py_spy()
    model = ensure_model()
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        extra = seeded_stores(var)
        print("Starting the action server and Rasa…", flush=True)
        with running_stack(model, var, (free_port(), free_port(), None), extra_env=extra) as st:
            asyncio.run(drive(st.rasa_url, ADVISOR_SCRIPT, 2, 1))  # warm both servers before sampling
            spies = {}
            for server, pid in (st.pids or {}).items():
                out = var / f"{server}.txt"
                cmd = [spy, "record", "--pid", str(pid), "--rate", str(RATE), "--format", "raw", "--output", str(out)]
                spies[server] = (subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), out)
            script, users = (GROWTH_SCRIPT, 1) if args.long else (ADVISOR_SCRIPT, args.users)
            print(f"Sampling both servers at {RATE} Hz while {users} conversation(s) run…", flush=True)
            latencies, seconds, errors = asyncio.run(drive(st.rasa_url, script, users, args.rounds))
            for proc, _out in spies.values():
                proc.send_signal(signal.SIGINT)
            for server, (proc, _out) in spies.items():
                _, err = proc.communicate(timeout=60)
                if proc.returncode not in (0, -signal.SIGINT):
                    print(f"py-spy on the {server} server: {err.decode(errors='replace')[-500:]}", file=sys.stderr)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for _proc, out in spies.values():
                if out.exists():
                    shutil.copy(out, args.keep / out.name)
        messages = len(latencies)
        print(f"\n{messages} messages in {seconds:.1f} s ({messages / seconds:.1f} a second), {errors} errors")
        report("Rasa server", read_raw(spies["rasa"][1]), RASA_PARTS, messages)
        report("Action server", read_raw(spies["actions"][1]), ACTION_PARTS, messages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
