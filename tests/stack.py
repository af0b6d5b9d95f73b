"""Start the real action server, Rasa server and chat page as subprocesses, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.nlu.training import rasa_server_command
from bot.settings import PROJECT_ROOT, environment


@dataclass
class Stack:
    rasa_url: str
    actions_url: str
    web_url: str | None
    env: dict
    log_dir: Path
    demo_origin: str | None = None
    pids: dict[str, int] | None = None  # "actions", "rasa" (and "web"): for a profiler to attach to


def _wait(url: str, proc: subprocess.Popen, name: str, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode} while starting:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"{name} did not answer {url} within {timeout} s:\n{log.read_text()[-3000:]}")


@contextmanager
def running_stack(model: Path, var_dir: Path, ports: tuple[int, int, int | None], extra_env: dict | None = None):
    rasa_port, actions_port, web_port = ports
    env = environment()
    env.update(
        ADVISOR_VAR_DIR=str(var_dir),
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{actions_port}/webhook",
        TRACKER_STORE_DIALECT="sqlite",
        TRACKER_STORE_URL=f"sqlite:///{var_dir / 'conversations.db'}",
        CAREERS_CONTACT="the Careers Hub (careers desk, Library Building)",
        DEFAULT_CURRENCY="GBP",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env or {})
    procs: list[subprocess.Popen] = []
    logs = []

    def start(name: str, cmd: list[str]) -> tuple[subprocess.Popen, Path]:
        log = var_dir / f"{name}.log"
        fh = open(log, "wb")
        logs.append(fh)
        proc = subprocess.Popen(
            cmd, cwd=PROJECT_ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
        procs.append(proc)
        return proc, log

    try:
        actions, alog = start("actions", [sys.executable, "-m", "bot.action_server", "--port", str(actions_port)])
        rasa, rlog = start(
            "rasa",
            [
                *rasa_server_command(),
                "run",
                "--model",
                str(model),
                "--port",
                str(rasa_port),
                "--credentials",
                "credentials.yml",
                "--endpoints",
                "endpoints.yml",
            ],
        )
        _wait(f"http://127.0.0.1:{actions_port}/health", actions, "action server", alog)
        _wait(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", rasa, "Rasa server", rlog)
        web_url = None
        if web_port:
            web, wlog = start(
                "web",
                [
                    sys.executable,
                    "-m",
                    "bot.channels.web",
                    "--port",
                    str(web_port),
                    "--rasa-url",
                    f"http://127.0.0.1:{rasa_port}",
                ],
            )
            _wait(f"http://127.0.0.1:{web_port}/healthz", web, "chat page", wlog)
            web_url = f"http://127.0.0.1:{web_port}"
        pids = {"actions": actions.pid, "rasa": rasa.pid}
        yield Stack(
            f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}", web_url, env, var_dir, pids=pids
        )
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)
        for fh in logs:
            fh.close()
