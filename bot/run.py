"""Start everything for a local try-out: database, model, action server, Rasa and the chat page.

``python -m bot.run`` (what ``make run`` calls). Ctrl-C stops everything it started.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.settings import PROJECT_ROOT, load_settings

TRAINING_INPUTS = ("config.yml", "domain.yml", "data/nlu", "data/stories", "data/rules", "data/patterns",
                   # the project's own components in config.yml and what they read
                   "bot/aims.py", "bot/parsing.py", "bot/vocabulary.py", "bot/nlu_features.py",
                   "bot/intent_classifier.py")
MODELS_DIR = PROJECT_ROOT / "models"
FINGERPRINT_FILE = MODELS_DIR / ".fingerprint"
MODEL_NAME = "advisor"


def training_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A hash of everything training reads; the model is retrained only when it changes."""
    digest = hashlib.sha256()
    for item in TRAINING_INPUTS:
        path = root / item
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


def model_path() -> Path:
    return MODELS_DIR / f"{MODEL_NAME}.tar.gz"


def ensure_model(force: bool = False) -> Path:
    """Train into models/ when the training data changed since the last training."""
    from bot.spacy_rules import PIPELINE_DIR

    fp = training_fingerprint()
    target = model_path()
    up_to_date = target.exists() and FINGERPRINT_FILE.exists() and FINGERPRINT_FILE.read_text().strip() == fp
    # The rule-based spaCy pipeline is loaded by path, at training and at run time: build it first.
    if force or not up_to_date or not PIPELINE_DIR.exists():
        # in its own process: spaCy's imports stay out of the caller (a test run, the launcher)
        subprocess.run([sys.executable, "-m", "bot.spacy_rules"], cwd=PROJECT_ROOT, check=True)
    if not force and up_to_date:
        print(f"Model is up to date ({target.relative_to(PROJECT_ROOT)}); not retraining.", flush=True)
        return target
    print("Training data changed: training the model (about two minutes)…", flush=True)
    MODELS_DIR.mkdir(exist_ok=True)
    started = time.monotonic()
    subprocess.run(
        [rasa_bin(), "train", "--fixed-model-name", MODEL_NAME, "--out", str(MODELS_DIR)],
        cwd=PROJECT_ROOT,
        check=True,
    )
    FINGERPRINT_FILE.write_text(fp + "\n")
    print(f"Trained in {time.monotonic() - started:.0f} s.", flush=True)
    return target


def rasa_bin() -> str:
    return str(Path(sys.executable).with_name("rasa"))


def rasa_env(settings=None) -> dict[str, str]:
    """Environment for the Rasa server: action endpoint and SQL tracker store."""
    settings = settings or load_settings()
    env = dict(os.environ)
    env.setdefault("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{env.get('ACTIONS_PORT', '5055')}/webhook")
    url = settings.tracker_store_url
    env.setdefault("TRACKER_STORE_URL", url)
    env.setdefault("TRACKER_STORE_DIALECT", url.split(":", 1)[0].split("+", 1)[0])
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    return env


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    parser.add_argument("--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055)))
    parser.add_argument("--web-port", type=int, default=int(os.environ.get("WEB_PORT", 8080)))
    args = parser.parse_args(argv)

    from bot.cli import main as cli_main

    if cli_main(["seed"]) != 0:
        return 1
    model = ensure_model()
    env = rasa_env()
    env["ACTION_ENDPOINT_URL"] = os.environ.get("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{args.actions_port}/webhook")
    env["ACTIONS_PORT"] = str(args.actions_port)
    procs: list[tuple[str, subprocess.Popen]] = []

    def start(name: str, cmd: list[str]) -> subprocess.Popen:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, start_new_session=True)
        procs.append((name, proc))
        return proc

    def stop_all(*_: object) -> None:
        for _name, proc in reversed(procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for _name, proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def on_sigterm(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    # Ctrl-C stops everything even when started from a shell that ignores SIGINT in background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        actions = start("action server", [rasa_bin(), "run", "actions", "--actions", "actions", "--port", str(args.actions_port)])
        wait_until_up(f"http://127.0.0.1:{args.actions_port}/health", actions, "The action server")
        rasa = start("Rasa server", [
            rasa_bin(), "run", "--model", str(model), "--port", str(args.rasa_port),
            "--interface", os.environ.get("RASA_INTERFACE", "127.0.0.1"),
            "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
        ])
        wait_until_up(f"http://127.0.0.1:{args.rasa_port}/", rasa, "The Rasa server")
        web = start("chat page", [sys.executable, "-m", "bot.web", "--port", str(args.web_port),
                                  "--rasa-url", f"http://127.0.0.1:{args.rasa_port}"])
        wait_until_up(f"http://127.0.0.1:{args.web_port}/healthz", web, "The chat page")
        print(
            "\nThe adviser is running.\n"
            f"  Chat page:        http://127.0.0.1:{args.web_port}/\n"
            f"  Rasa (REST, socketio): http://127.0.0.1:{args.rasa_port}/webhooks/rest/webhook\n"
            f"  Action server:    http://127.0.0.1:{args.actions_port}/webhook\n"
            "Press Ctrl-C to stop everything.\n",
            flush=True,
        )
        while all(p.poll() is None for _, p in procs):
            time.sleep(1)
        dead = [n for n, p in procs if p.poll() is not None]
        print(f"Stopped because the {', '.join(dead)} exited.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
