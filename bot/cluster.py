"""A cluster on one machine: N Rasa servers and N action servers behind HAProxy, on PostgreSQL and Redis.

``python -m bot.cluster --servers N`` (what ``make run-cluster SERVERS=N`` calls). :func:`start_cluster`
starts it and returns a :class:`Cluster` whose handles hold each process's name, port and PID, for the
make target and for tests that stop servers on purpose.

How it is wired (README, "A cluster"):

- **HAProxy** (Debian's ``haproxy``; its configuration is written to ``var/cluster/haproxy.cfg``) listens
  on the usual ports: Rasa on ``RASA_PORT``, the action servers on ``ACTIONS_PORT``, the web server on
  ``WEB_PORT``, the review app on ``REVIEW_PORT`` (and the Slack relay on ``SLACK_PORT``). Each
  backend server listens on a free port of 127.0.0.1 of its own, and is checked every 2 seconds.
- **Any Rasa server takes any message; each conversation prefers one.** The conversation is in
  PostgreSQL (the tracker store) and Redis's lock store (``LOCK_STORE_URL``) makes messages of one
  conversation wait for each other across servers. The balancer sends a conversation's messages to the
  server its ``sender`` hashes to (consistent hashing on the JSON body, :data:`CONVERSATION_HASH`, with a
  bound on each server's load), so that server's copy of the conversation (the tracker store's and the
  dialogue states it keeps) is used again instead of read and rebuilt; when that server is down the
  conversation goes to another one, and only that server's conversations move. (With round robin each
  server read and rebuilt the conversation on nearly every message: more Rasa CPU per message, ``make
  bench-cluster``.)
- **Action servers sit behind the balancer too**, not one per Rasa server: every Rasa server's
  ``ACTION_ENDPOINT_URL`` is the balancer, so one action server stopping loses no Rasa server's
  actions (a call that cannot connect is retried on another). An action call carries the whole
  conversation and the action servers keep nothing between calls, so any of them can answer.
- **The catalogue and the conversations** are in one PostgreSQL database (``CLUSTER_DATABASE_URL``,
  ``advisor_cluster`` on 127.0.0.1:5432, created and seeded if missing).
- **RabbitMQ** receives every event when ``EVENT_BROKER_URL`` is set (queue ``advisor_events``).
- **Limits at the door**: bodies over ``MAX_BODY_KB`` get 413, a POST without a length 411; Rasa's REST
  channel takes ``RATE_LIMIT_MESSAGES`` per ``RATE_LIMIT_SECONDS`` from one address over all servers
  (429). The web server, the review app and the Slack relay count per client themselves, trusting the
  balancer's ``X-Forwarded-For`` (``TRUSTED_PROXIES``).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.channels.guard import TOO_LARGE, TOO_MANY
from bot.channels.rasa_files import credentials_file, endpoints_file
from bot.channels.relay_key import relay_key
from bot.channels.slack import MAX_BODY_BYTES as SLACK_MAX_BODY_BYTES
from bot.nlu.training import ensure_model, rasa_server_command
from bot.run import busy_ports, die_with_parent, slack_wanted, wait_until_up
from bot.settings import PROJECT_ROOT, Settings, SettingsError, child_environment, environment, load_settings

log = logging.getLogger(__name__)

DEFAULT_LOCK_STORE_URL = "redis://127.0.0.1:6379/1"
LOCAL = "127.0.0.1"
NO_LENGTH = "Send the request with a Content-Length."
#: a conversation's id in a request to Rasa's REST or relay channel, for the balancer to hash
CONVERSATION_HASH = "req.body,json_query('$.sender')"


# ------------------------------------------------------------------------------------------------
# HAProxy's configuration
# ------------------------------------------------------------------------------------------------


@dataclass
class Service:
    """One front door of the balancer and the servers behind it."""

    name: str
    port: int
    backends: list[int]
    health: str
    #: bodies larger than this are refused with 413 (None: no limit, for the action servers)
    max_bytes: int | None = None
    #: POSTs to paths starting with this are counted per client address (429 past the limit)
    rate_limited_path: str | None = None
    #: requests go to the server this HAProxy sample expression hashes to (None: round robin)
    hash_on: str | None = None


def _json_error(message: str) -> str:
    return '\'{"error": "' + message.replace("'", "’").replace('"', "'") + "\"}'"


def haproxy_config(services: list[Service], settings: Settings, host: str = LOCAL) -> str:
    """HAProxy's configuration for ``services`` (a pure function of its arguments)."""
    window, limit = settings.rate_limit_seconds, settings.rate_limit_messages
    lines = [
        "# Written by `make run-cluster` (bot/cluster.py); changes here are overwritten.",
        "global",
        "    maxconn 2000",
        "defaults",
        "    mode http",
        "    timeout connect 5s",
        "    timeout client 75s",
        "    timeout server 120s  # Rasa's answer; the widget's history waits up to 25 s",
        "    timeout http-request 10s",
        "    timeout queue 30s",
        "    timeout check 10s  # a server busy with messages answers its check late: it is not down",
        "    retries 3",
        "    option redispatch  # a server that refuses the connection: the next one gets the request",
        "    option forwardfor",
        "",
    ]
    for s in services:
        lines += [f"frontend {s.name}", f"    bind {host}:{s.port}"]
        if s.max_bytes is not None:
            kb = math.ceil(s.max_bytes / 1024)
            lines += [
                "    http-request return status 411 content-type application/json string "
                f"{_json_error(NO_LENGTH)} if METH_POST !{{ req.hdr(content-length) -m found }}",
                "    http-request return status 413 content-type application/json string "
                f"{_json_error(TOO_LARGE.format(kb=kb))} if {{ req.hdr_val(content-length) gt {s.max_bytes} }}",
            ]
        if s.rate_limited_path and limit > 0:
            wait = TOO_MANY.format(seconds=window)
            lines += [
                f"    stick-table type ip size 100k expire {2 * window}s store http_req_rate({window}s)",
                f"    acl counted path_beg {s.rate_limited_path}",
                "    http-request track-sc0 src if METH_POST counted",
                "    http-request return status 429 content-type application/json "
                f'hdr Retry-After "{window}" string {_json_error(wait)} '
                f"if METH_POST counted {{ sc_http_req_rate(0) gt {limit} }}",
            ]
        lines += [f"    default_backend {s.name}_servers", "", f"backend {s.name}_servers"]
        if s.hash_on:  # (the body read before a server is chosen; a request without one: round robin)
            lines += ["    option http-buffer-request", f"    balance hash {s.hash_on}", "    hash-type consistent"]
            # bounded load: a server with more than 1.25 times the average of requests in progress is passed
            # over for the next one (a few conversations hash unevenly; a busy server's loop is the limit)
            lines.append("    hash-balance-factor 125")
        else:
            lines.append("    balance roundrobin")
        lines += [f"    option httpchk GET {s.health}", "    http-check expect status 200"]
        lines += [
            f"    server {s.name}{i + 1} {LOCAL}:{port} check inter 2s fall 2 rise 1"
            for i, port in enumerate(s.backends)
        ]
        lines.append("")
    return "\n".join(lines)


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)
    if not found:
        raise RuntimeError("HAProxy is not installed: run scripts/setup-system.sh as root (apt-get install haproxy).")
    return found


# ------------------------------------------------------------------------------------------------
# The processes
# ------------------------------------------------------------------------------------------------


@dataclass
class Process:
    """A server of the cluster: what it is, where it listens, and how it was started (to start it again)."""

    name: str
    port: int
    cmd: list[str]
    proc: subprocess.Popen | None = None
    health: str = "/"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def url(self) -> str:
        return f"http://{LOCAL}:{self.port}"

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@dataclass
class Cluster:
    """A running cluster: the balancer's addresses, and a handle on every process."""

    settings: Settings
    env: dict[str, str]
    var_dir: Path
    balancer: Process
    rasa: list[Process]
    actions: list[Process]
    web: Process
    review: Process
    slack: Process | None = None
    #: the balancer's front doors, by service name ("rasa", "actions", "web", "review", "slack")
    ports: dict[str, int] = field(default_factory=dict)
    log_dir: Path | None = None

    def url(self, service: str) -> str:
        """The balancer's address for ``service``."""
        return f"http://{LOCAL}:{self.ports[service]}"

    def processes(self) -> list[Process]:
        servers = [*self.actions, *self.rasa, self.web, self.review, *([self.slack] if self.slack else [])]
        return [self.balancer, *servers]

    def start(self, p: Process) -> Process:
        """Start ``p`` (again): its output goes to its log file, or to this terminal. Start it from a thread
        that lives as long as the cluster: the kernel stops it when the thread that started it ends."""
        out = open(self.log_dir / f"{p.name}.log", "ab") if self.log_dir else None  # noqa: SIM115
        me = os.getpid()
        p.proc = subprocess.Popen(
            p.cmd,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=True,  # its own process group, stopped as one
            preexec_fn=lambda: die_with_parent(me),
        )
        if out:
            out.close()
        return p

    def wait_until_up(self, p: Process, timeout: float = 300) -> None:
        assert p.proc is not None
        wait_until_up(f"{p.url}{p.health}", p.proc, p.name, timeout)

    def dead(self) -> list[str]:
        return [p.name for p in self.processes() if p.proc is not None and p.proc.poll() is not None]

    def stop(self) -> None:
        for p in reversed(self.processes()):
            if p.running():
                _signal(p, signal.SIGTERM)
        for p in self.processes():
            if p.proc is None:
                continue
            try:
                p.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal(p, signal.SIGKILL)
                p.proc.wait(timeout=20)


def _signal(p: Process, sig: int) -> None:
    try:
        os.killpg(p.pid, sig)
    except ProcessLookupError:
        pass


def free_port(host: str = LOCAL) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database that ``url`` names when it is missing."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).first():
                return
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
            log.info("created the database %s", parsed.database)
    finally:
        admin.dispose()


def cluster_environment(settings: Settings, base: dict[str, str]) -> tuple[Settings, dict[str, str]]:
    """The settings and environment every process of the cluster shares: PostgreSQL for the catalogue and
    the conversations, Redis for the locks, the balancer trusted for X-Forwarded-For."""
    env = dict(base)
    env.update(
        DATABASE_URL=settings.cluster_database_url,
        TRACKER_STORE_URL=settings.cluster_database_url,
        TRACKER_STORE_DIALECT="postgresql",
        LOCK_STORE_URL=settings.lock_store_url or DEFAULT_LOCK_STORE_URL,
        ACTION_ENDPOINT_URL=f"http://{LOCAL}:{settings.actions_port}/webhook",
        TRUSTED_PROXIES=",".join(sorted({LOCAL, *settings.trusted_proxies})),
        BIND_HOST=LOCAL,
        PYTHONUNBUFFERED="1",
    )
    cluster = load_settings(env)
    return cluster, child_environment(cluster, env)


def start_cluster(
    servers: int, env: dict[str, str] | None = None, model: Path | None = None, log_dir: Path | None = None
) -> Cluster:
    """Start the cluster (README, "A cluster") with the settings in ``env`` (this process's environment
    unless given) and return it once every process answers, directly and through the balancer; on a
    failure, what was started is stopped and RuntimeError says why. ``log_dir``: each process's output
    in a file of its own, instead of this terminal."""
    env = environment() if env is None else env
    settings, env = cluster_environment(load_settings(env), env)
    var_dir = Path(settings.var_dir) / "cluster"
    var_dir.mkdir(parents=True, exist_ok=True)
    if log_dir:
        log_dir.mkdir(parents=True, exist_ok=True)
    ensure_database(settings.database_url)
    seeded = subprocess.run([sys.executable, "-m", "bot.cli", "seed"], cwd=PROJECT_ROOT, env=env, check=False)
    if seeded.returncode != 0:
        raise RuntimeError("The catalogue could not be loaded into the cluster's database (see above).")
    model = model or ensure_model()
    relay_key(settings)  # made once, before the servers that read it start
    cluster = _plan(servers, settings, env, var_dir, model, log_dir)
    config = var_dir / "haproxy.cfg"
    config.write_text(haproxy_config(_services(cluster), settings))
    check = subprocess.run([haproxy_binary(), "-c", "-q", "-f", str(config)], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"HAProxy refused its configuration ({config}):\n{check.stdout}{check.stderr}")
    try:
        for p in cluster.processes():
            cluster.start(p)
        for p in cluster.processes()[1:]:
            cluster.wait_until_up(p)
        for name in cluster.ports:  # and through the balancer, once its checks have seen the servers
            health = next(p.health for p in cluster.processes() if p.name.startswith(name))
            wait_until_up(cluster.url(name) + health, cluster.balancer.proc, "the balancer", timeout=30)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _plan(servers: int, settings: Settings, env: dict, var_dir: Path, model: Path, log_dir: Path | None) -> Cluster:
    py = sys.executable
    rasa_files = ["--credentials", credentials_file(settings), "--endpoints", endpoints_file(settings)]
    rasa_url = f"http://{LOCAL}:{settings.rasa_port}"
    actions = [
        Process(f"actions{i + 1}", port, [py, "-m", "bot.action_server", "--port", str(port)], health="/health")
        for i, port in enumerate(free_port() for _ in range(servers))
    ]
    rasa = [
        Process(
            f"rasa{i + 1}",
            port,
            [
                *rasa_server_command(),
                "run",
                "--model",
                str(model),
                "--port",
                str(port),
                "--interface",
                LOCAL,
                *rasa_files,
            ],
        )
        for i, port in enumerate(free_port() for _ in range(servers))
    ]
    web_port, review_port = free_port(), free_port()
    web = Process("web", web_port, [py, "-m", "bot.channels.web", "--port", str(web_port), "--rasa-url", rasa_url])
    web.health = "/healthz"
    review = Process("review", review_port, [py, "-m", "bot.review", "--port", str(review_port)], health="/healthz")
    slack = None
    if slack_wanted(settings):
        port = free_port()
        slack = Process("slack", port, [py, "-m", "bot.channels.slack", "--port", str(port), "--rasa-url", rasa_url])
        slack.health = "/healthz"
    ports = {"rasa": settings.rasa_port, "actions": settings.actions_port, "web": settings.web_port}
    ports["review"] = settings.review_port
    if slack:
        ports["slack"] = settings.slack_port
    config = var_dir / "haproxy.cfg"
    balancer = Process("balancer", settings.rasa_port, [haproxy_binary(), "-db", "-f", str(config)])
    return Cluster(settings, env, var_dir, balancer, rasa, actions, web, review, slack, ports, log_dir)


def _services(cluster: Cluster) -> list[Service]:
    limit = cluster.settings.max_body_kb * 1024
    ports = cluster.ports
    services = [
        Service(
            "rasa", ports["rasa"], [p.port for p in cluster.rasa], "/", limit, "/webhooks/rest/", CONVERSATION_HASH
        ),
        Service("actions", ports["actions"], [p.port for p in cluster.actions], "/health"),
        Service("web", ports["web"], [cluster.web.port], "/healthz", limit),
        Service("review", ports["review"], [cluster.review.port], "/healthz", limit),
    ]
    if cluster.slack:
        services.append(Service("slack", ports["slack"], [cluster.slack.port], "/healthz", SLACK_MAX_BODY_BYTES))
    return services


# ------------------------------------------------------------------------------------------------
# make run-cluster
# ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=2, help="Rasa servers and action servers (default 2)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not 1 <= args.servers <= 16:
        print("SERVERS must be between 1 and 16.", file=sys.stderr)
        return 2
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    wanted = {
        "balancer: Rasa": (settings.rasa_port, "RASA_PORT"),
        "balancer: action servers": (settings.actions_port, "ACTIONS_PORT"),
        "balancer: web server": (settings.web_port, "WEB_PORT"),
        "balancer: review app": (settings.review_port, "REVIEW_PORT"),
        **({"balancer: Slack relay": (settings.slack_port, "SLACK_PORT")} if slack_wanted(settings) else {}),
    }
    busy = busy_ports(LOCAL, wanted)
    if busy:
        print("\n".join(busy), file=sys.stderr)
        return 1
    die_with_parent()  # a launcher whose own parent (make, a terminal) is killed stops its servers too
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        cluster = start_cluster(args.servers)
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        print(_summary(cluster), flush=True)
        while not cluster.dead():
            time.sleep(1)
        print(f"Stopped because {', '.join(cluster.dead())} exited.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    finally:
        cluster.stop()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _summary(cluster: Cluster) -> str:
    rows = [f"  {p.name:<10} pid {p.pid:<8} {p.url}" for p in cluster.processes()[1:]]
    return (
        f"\nThe cluster is running: {len(cluster.rasa)} Rasa servers and {len(cluster.actions)} action servers "
        f"behind HAProxy (pid {cluster.balancer.pid}, {cluster.var_dir / 'haproxy.cfg'}).\n"
        f"  Chat page and widget: {cluster.url('web')}/   Rasa: {cluster.url('rasa')}/webhooks/rest/webhook\n"
        f"  Review app (staff):   {cluster.url('review')}/   Action servers: {cluster.url('actions')}/webhook\n"
        f"  Database: {make_url(cluster.settings.database_url).render_as_string(hide_password=True)}   "
        f"Locks: {cluster.settings.lock_store_url}   Events: "
        f"{'RabbitMQ (advisor_events)' if cluster.settings.event_broker_url else 'no broker'}\n"
        "The servers behind it:\n" + "\n".join(rows) + "\nPress Ctrl-C to stop everything.\n"
    )


if __name__ == "__main__":
    sys.exit(main())
