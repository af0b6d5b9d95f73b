"""`make run` (python -m bot.run): a busy port is named in one line; the servers listen on 127.0.0.1
and end with the launcher however it ends, so the next `make run` finds its ports free."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.run import port_in_use
from bot.settings import PROJECT_ROOT, environment
from tests.conftest import free_port


def launcher_env(tmp_path: Path) -> dict[str, str]:
    env = environment(ADVISOR_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    for name in ("DATABASE_URL", "TRACKER_STORE_URL", "TRACKER_STORE_DIALECT", "ACTION_ENDPOINT_URL", "BIND_HOST"):
        env.pop(name, None)
    return env


def test_a_port_in_use_is_reported_in_one_line_that_names_it(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot.run",
                "--actions-port",
                str(busy),
                "--rasa-port",
                str(free_port()),
                "--web-port",
                str(free_port()),
            ],
            cwd=PROJECT_ROOT,
            env=launcher_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert lines == [
        f"Port {busy} (action server) is already in use on 127.0.0.1: stop what holds it, "
        "or set ACTIONS_PORT to another port."
    ]
    assert "Traceback" not in run.stdout + run.stderr


def _listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:
                found.add(
                    socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]) if len(address) == 8 else address
                )
    return found


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


@pytest.mark.e2e
@pytest.mark.slow
def test_servers_listen_on_loopback_and_end_when_the_launcher_is_killed(trained_model, tmp_path):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux's /proc")
    ports = {"actions": free_port(), "rasa": free_port(), "web": free_port(), "review": free_port()}
    log = open(tmp_path / "run.log", "wb")
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.run",
            "--actions-port",
            str(ports["actions"]),
            "--rasa-port",
            str(ports["rasa"]),
            "--web-port",
            str(ports["web"]),
        ],
        cwd=PROJECT_ROOT,
        env={**launcher_env(tmp_path), "REVIEW_PORT": str(ports["review"])},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            assert launcher.poll() is None, (tmp_path / "run.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ports['review']}/healthz", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the review app (started last) did not come up"
                time.sleep(1)
        for name, port in ports.items():
            assert _listening_addresses(port) == {"127.0.0.1"}, name
        children = _children(launcher.pid)
        assert len(children) == 4
        os.kill(launcher.pid, signal.SIGKILL)  # no Ctrl-C, no clean-up: as a supervisor or a closed terminal does
        launcher.wait(timeout=10)
        deadline = time.monotonic() + 60
        while any(
            Path(f"/proc/{c}").exists() and "Z" not in Path(f"/proc/{c}/stat").read_text().split()[2] for c in children
        ):
            assert time.monotonic() < deadline, "servers outlived the launcher"
            time.sleep(0.5)
        assert [name for name, port in ports.items() if port_in_use("127.0.0.1", port)] == []
    finally:
        if launcher.poll() is None:
            launcher.kill()
        log.close()
