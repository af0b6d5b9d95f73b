"""A real cluster (``bot.cluster.start_cluster``) for the tests that need one, on free ports, with a fresh
PostgreSQL database of its own; and the checks that skip those tests when a service is missing."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.settings import environment
from tests.conftest import ENV, free_port, need_postgres, need_service

RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
CAREERS_CONTACT = "the Careers Hub (careers desk, Library Building)"
PORTS = ("RASA_PORT", "ACTIONS_PORT", "WEB_PORT", "REVIEW_PORT", "SLACK_PORT")


def listening(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need_cluster_services(broker: bool = True) -> None:
    """Skip (fail in CI) unless PostgreSQL, Redis, RabbitMQ (``broker``) and HAProxy are here."""
    from bot.cluster import haproxy_binary

    need_postgres()
    need_service(listening(6379), "Redis is not running at 127.0.0.1:6379 (the cluster's lock store)")
    if broker:
        need_service(listening(5672), "RabbitMQ is not running at 127.0.0.1:5672 (the cluster's event broker)")
    try:
        haproxy_binary()
    except RuntimeError as exc:
        need_service(False, str(exc))


def fresh_database(name: str) -> str:
    """The URL of an empty PostgreSQL database ``name`` on the tests' server (dropped first if there)."""
    url = make_url(ENV.test_postgres_url).set(database=name).render_as_string(False)
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    return url


async def drain(queue_name: str) -> list[dict]:
    """Every message waiting in a RabbitMQ queue, taken off it."""
    import aio_pika

    connection = await aio_pika.connect_robust(RABBITMQ_URL)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, durable=True)
        out = []
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            out.append(json.loads(message.body))
        return out


@contextmanager
def running_cluster(model: Path, var: Path, database: str, servers: int = 2, **settings: str):
    """A cluster of ``servers`` Rasa and action servers with its own database ``database`` (made empty) and
    the ``settings`` given (environment variables); each process's output in ``var/logs``. Its
    ``started_in`` is the seconds it took to start."""
    from bot.cluster import start_cluster

    env = environment(
        **{name: str(free_port()) for name in PORTS},
        ADVISOR_VAR_DIR=str(var),
        CLUSTER_DATABASE_URL=fresh_database(database),
        CAREERS_CONTACT=CAREERS_CONTACT,
        DEFAULT_CURRENCY="GBP",
        **settings,
    )
    started = time.monotonic()
    cluster = start_cluster(servers, env, model=model, log_dir=var / "logs")
    cluster.started_in = time.monotonic() - started
    try:
        yield cluster
    finally:
        cluster.stop()


def drain_queue(queue_name: str) -> list[dict]:
    return asyncio.run(drain(queue_name))
