"""Start everything for a local try-out: database, model, action server, Rasa and the chat page.

``python -m bot.run`` (what ``make run`` calls). Ctrl-C stops everything it started; so does any
other end of the launcher (a closed terminal, a supervisor's SIGKILL): each server is told by the
kernel when the launcher dies, and stops. Every server listens on ``BIND_HOST`` (127.0.0.1 unless
configured).
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.channels.rasa_files import (  # noqa: F401 (REDACTING_STORE: tests)
    REDACTING_STORE,
    credentials_file,
    endpoints_file,
)
from bot.channels.relay_key import relay_key
from bot.cli import main as cli_main
from bot.nlu.training import ensure_model, rasa_server_command
from bot.settings import PROJECT_ROOT, Settings, SettingsError, child_environment, environment, load_settings

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent_pid: int | None = None) -> None:
    """Ask the kernel to send this process SIGTERM when its parent ends, however it ends (Linux;
    elsewhere nothing happens). With ``parent_pid``, stop at once if that parent is already gone."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def busy_ports(host: str, ports: dict[str, tuple[int, str]]) -> list[str]:
    """One line for each port that something else holds: which server wanted it and how to change it."""
    return [
        f"Port {port} ({name}) is already in use on {host}: stop what holds it, or set {var} to another port."
        for name, (port, var) in ports.items()
        if port_in_use(host, port)
    ]


def wait_until_up(url: str, proc: subprocess.Popen, name: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} stopped while starting (exit code {proc.returncode}); see the messages above.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(1)
    raise RuntimeError(f"{name} did not start within {timeout:.0f} s ({url}).")


class Children:
    """The servers this launcher started; each ends when the launcher ends."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, cmd: list[str]) -> subprocess.Popen:
        me = os.getpid()
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=self.env, preexec_fn=lambda: die_with_parent(me))
        self.procs.append((name, proc))
        return proc

    def dead(self) -> list[str]:
        return [name for name, proc in self.procs if proc.poll() is not None]

    def stop(self) -> None:
        for _name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for _name, proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def slack_wanted(settings: Settings) -> bool:
    """The Slack relay starts when its token and signing secret are set."""
    return bool(settings.slack_bot_token and settings.slack_signing_secret)


def serve(settings: Settings, model: Path, children: Children) -> int:
    host = settings.bind_host
    local = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    relay_key(settings)  # made once, before Rasa and the web server both read it
    actions = children.start("action server", [sys.executable, "-m", "bot.action_server"])
    wait_until_up(f"http://{local}:{settings.actions_port}/health", actions, "The action server")
    rasa = children.start(
        "Rasa server",
        [
            *rasa_server_command(),
            "run",
            "--model",
            str(model),
            "--port",
            str(settings.rasa_port),
            "--interface",
            host,
            "--credentials",
            credentials_file(settings),
            "--endpoints",
            endpoints_file(settings),
        ],
    )
    wait_until_up(f"http://{local}:{settings.rasa_port}/", rasa, "The Rasa server")
    web = children.start(
        "chat page", [sys.executable, "-m", "bot.channels.web", "--rasa-url", f"http://{local}:{settings.rasa_port}"]
    )
    wait_until_up(f"http://{local}:{settings.web_port}/healthz", web, "The chat page")
    review = children.start("review app", [sys.executable, "-m", "bot.review"])
    wait_until_up(f"http://{local}:{settings.review_port}/healthz", review, "The review app")
    slack = ""
    if slack_wanted(settings):
        relay = children.start(
            "Slack relay",
            [sys.executable, "-m", "bot.channels.slack", "--rasa-url", f"http://{local}:{settings.rasa_port}"],
        )
        wait_until_up(f"http://{local}:{settings.slack_port}/healthz", relay, "The Slack relay")
        slack = f"  Slack relay:           http://{local}:{settings.slack_port}/slack/events\n"
    print(
        "\nThe adviser is running.\n"
        f"  Chat page:             http://{local}:{settings.web_port}/\n"
        f"  Website widget:        http://{local}:{settings.web_port}/widget.js (demo: /demo)\n"
        f"  Rasa:                  http://{local}:{settings.rasa_port}/ (REST channel "
        f"{'on' if settings.rest_channel else 'off'})\n"
        f"  Action server:         http://{local}:{settings.actions_port}/webhook\n"
        f"  Review app (staff):    http://{local}:{settings.review_port}/ (accounts: advisor staff add EMAIL --role admin)\n"
        f"{slack}"
        "Press Ctrl-C to stop everything.\n",
        flush=True,
    )
    while not children.dead():
        time.sleep(1)
    print(f"Stopped because the {', '.join(children.dead())} exited.", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-port", type=int, help="default: RASA_PORT or 5005")
    parser.add_argument("--actions-port", type=int, help="default: ACTIONS_PORT or 5055")
    parser.add_argument("--web-port", type=int, help="default: WEB_PORT or 8080")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    overrides = {
        k: str(v)
        for k, v in (("RASA_PORT", args.rasa_port), ("ACTIONS_PORT", args.actions_port), ("WEB_PORT", args.web_port))
        if v is not None
    }
    env = environment(**overrides)
    try:
        settings = load_settings(env)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    busy = busy_ports(
        settings.bind_host,
        {
            "action server": (settings.actions_port, "ACTIONS_PORT"),
            "Rasa server": (settings.rasa_port, "RASA_PORT"),
            "chat page": (settings.web_port, "WEB_PORT"),
            "review app": (settings.review_port, "REVIEW_PORT"),
            **({"Slack relay": (settings.slack_port, "SLACK_PORT")} if slack_wanted(settings) else {}),
        },
    )
    if busy:
        print("\n".join(busy), file=sys.stderr)
        return 1
    if cli_main(["seed"]) != 0:
        return 1
    model = ensure_model()
    if settings.tracker_store_url.startswith("sqlite:///"):
        Path(settings.tracker_store_url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    children = Children(child_environment(settings, env))
    die_with_parent()  # a launcher whose own parent (make, a terminal) is killed stops its servers too

    def on_sigterm(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGHUP, on_sigterm)
    # Ctrl-C stops everything even when started from a shell that ignores SIGINT in background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return serve(settings, model, children)
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        children.stop()


if __name__ == "__main__":
    sys.exit(main())
