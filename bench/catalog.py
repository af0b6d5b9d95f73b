"""``make bench-catalog``: the recommendation query at 1k, 10k and 100k credentials, SQLite and PostgreSQL.

For each size, a synthetic catalogue (bench.synthetic, fitted to the real listings) is loaded into a
fresh SQLite file and a fresh PostgreSQL database, the query planner's statistics are refreshed
(``ANALYZE``, as after any large import), and the same mix of advising requests (aims, budgets in
several currencies, time, weekly hours, sometimes credit or a filter) is answered with
:meth:`bot.advice.service.Advisor.recommend`: the whole recommendation, near misses included, as the chat
asks for it. Latency is wall time per request; the last line gives p95 at the largest size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import yaml
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from bench.synthetic import generate
from bot.advice.service import Advisor
from bot.catalogue.loading import bulk_insert
from bot.catalogue.migrate import create_schema
from bot.catalogue.models import ExchangeRate, make_engine, session_scope
from bot.catalogue.reader import SqlCatalogue
from bot.language.aims import AIM_CODES
from bot.model import Budget, Constraints
from bot.settings import PROJECT_ROOT, load_settings

POSTGRES_URL = load_settings().bench_postgres_url


def shown(url: str) -> str:
    """A database URL as it may be printed: any password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparseable URL is not printed at all
        return "(the configured PostgreSQL URL)"


TODAY = dt.date(2026, 11, 25)
SIZES = (1_000, 10_000, 100_000)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def requests(n: int, seed: int = 11) -> list[Constraints]:
    """A mix of what people ask: mostly one aim, a budget, a few months at a few hours a week."""
    rng = random.Random(seed)
    aims = sorted(AIM_CODES)
    out = []
    for _ in range(n):
        k = rng.choices((1, 2, 3), weights=(70, 25, 5))[0]
        roll = rng.random()
        if roll < 0.1:
            budget = Budget("free")
        elif roll < 0.2:
            budget = Budget("unlimited")
        else:
            budget = Budget(
                "limit",
                rng.choice((50, 100, 200, 300, 500, 1000, 2000)),
                rng.choice(("GBP", "USD", "EUR", "AUD", "INR")),
            )
            if budget.currency == "INR":
                budget = Budget("limit", budget.amount * 80, "INR")
        out.append(
            Constraints(
                aims=tuple(rng.sample(aims, k)),
                budget=budget,
                weeks=rng.choice((2, 4, 6, 8, 12, 13, 26, 52)),
                hours_per_week=rng.choice((1, 2, 3, 5, 7, 10, 15)),
                credit_required=rng.random() < 0.1,
                online_only=rng.random() < 0.1,
                level=rng.choice((None,) * 9 + ("beginner",)),
                provider_kinds=rng.choice(((),) * 9 + (("university",),)),
            )
        )
    return out


def tight_requests(n: int, seed: int = 13) -> list[Constraints]:
    """Requests that little or nothing fits (a MicroMasters in two weeks on a small budget...): these
    take the near-miss path, measured separately because the mix above seldom reaches it."""
    rng = random.Random(seed)
    return [
        Constraints(
            aims=(rng.choice(sorted(AIM_CODES)),),
            budget=Budget("limit", rng.choice((20, 50, 100)), "GBP"),
            weeks=rng.choice((1, 2, 4)),
            hours_per_week=rng.choice((1, 2, 3)),
            credential_type=rng.choice(("micromasters", "nanodegree", "professional_certificate")),
        )
        for _ in range(n)
    ]


@contextmanager
def database(kind: str, workdir: Path, postgres_url: str = POSTGRES_URL) -> Iterator[Engine | None]:
    if kind == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex[:6]}.db"
        eng = make_engine(f"sqlite:///{path}")
        try:
            yield eng
        finally:
            eng.dispose()
            path.unlink(missing_ok=True)
        return
    admin = make_engine(postgres_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"advisor_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as exc:  # noqa: BLE001 - report and go on with SQLite
        log(f"PostgreSQL at {shown(postgres_url)} is not available ({exc.__class__.__name__}); skipping it.")
        admin.dispose()
        yield None
        return
    eng = make_engine(make_url(postgres_url).set(database=name).render_as_string(hide_password=False))
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()


def load(engine: Engine, n: int) -> float:
    start = time.perf_counter()
    providers, credentials = generate(n, seed=1, today=TODAY)
    create_schema(engine)
    rates = yaml.safe_load((PROJECT_ROOT / "data" / "catalog" / "exchange_rates.yml").read_text(encoding="utf-8"))
    as_of = rates["as_of"] if isinstance(rates["as_of"], dt.date) else dt.date.fromisoformat(rates["as_of"])

    def progress(done: int, total: int) -> None:
        print(f"\r  loading {done:>7,}/{total:,}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    with session_scope(engine) as session:
        for code, value in rates["rates"].items():
            session.add(ExchangeRate(currency=code, usd_per_unit=float(value), as_of=as_of, source=rates["source"]))
        session.flush()
        bulk_insert(session, providers, credentials, progress=progress)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - start


def measure(engine: Engine, asks: list[Constraints], warmup: list[Constraints]) -> dict:
    """Latency of each request in ``asks``, after ``warmup`` (other requests of the same mix) has
    filled the connection pool and SQLAlchemy's statement cache, as in a running server."""
    settings = load_settings({"ADVISOR_VAR_DIR": tempfile.gettempdir()})
    advisor = Advisor(SqlCatalogue(engine), settings, today=TODAY)
    for c in warmup:
        advisor.recommend(c)
    times, fitting, near_only = [], [], 0
    for c in asks:
        start = time.perf_counter()
        rec = advisor.recommend(c)
        times.append((time.perf_counter() - start) * 1000)
        fitting.append(len(rec.fitting))
        near_only += not rec.fitting
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "max": times[-1],
        "n": len(times),
        "mean_fitting": statistics.mean(fitting),
        "near_only": near_only,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=list(SIZES))
    parser.add_argument("--requests", type=int, default=300, help="measured requests per size and database")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    asks, warmup = requests(args.requests), requests(300, seed=12)
    p95_at: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            for kind in args.backends.split(","):
                with database(kind, Path(tmp)) as engine:
                    if engine is None:
                        continue
                    log(f"{kind}, {n:,} credentials:")
                    seconds = load(engine, n)
                    r = measure(engine, asks, warmup)
                    p95_at[(kind, n)] = r["p95"]
                    print(
                        f"{kind:<10} {n:>7,} credentials (loaded in {seconds:5.1f} s): recommendation p50 "
                        f"{r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms over {r['n']} requests; "
                        f"{r['mean_fitting']:.1f} fitting shown on average, {r['near_only']} with near misses only",
                        flush=True,
                    )
                    t = measure(engine, tight_requests(60), tight_requests(30, seed=14))
                    print(
                        f"{'':<10} {'':>7}  when little fits (near-miss path): p50 {t['p50']:.1f} ms, "
                        f"p95 {t['p95']:.1f} ms over {t['n']} requests, {t['mean_fitting']:.1f} fitting on average",
                        flush=True,
                    )
    largest = max(args.sizes)

    def fmt(kind: str) -> str:
        v = p95_at.get((kind, largest))
        return f"{kind} {v:.1f} ms" if v is not None else f"{kind} not measured"

    print(f"catalogue query p95 at {largest} credentials: {fmt('sqlite')}, {fmt('postgresql')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
