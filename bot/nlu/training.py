"""Training: the model in models/ is rebuilt only when something training reads has changed.

``python -m bot.nlu.training [--force]`` (what ``make train`` calls).
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
import time
from pathlib import Path

from bot.nlu.spacy_rules import PIPELINE_DIR
from bot.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

TRAINING_INPUTS = (
    "config.yml",
    "domain.yml",
    "data/nlu",
    "data/stories",
    "data/rules",
    "data/patterns",
    # the project's own components in config.yml and what they read
    "bot/model.py",
    "bot/language",
    "bot/nlu/features.py",
    "bot/nlu/intent_classifier.py",
    "bot/nlu/spacy_rules.py",
)
MODELS_DIR = PROJECT_ROOT / "models"
FINGERPRINT_FILE = MODELS_DIR / ".fingerprint"
MODEL_NAME = "advisor"


def training_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A hash of everything training reads; the model is retrained only when it changes."""
    digest = hashlib.sha256()
    for item in TRAINING_INPUTS:
        path = root / item
        files = (
            sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            if path.is_dir()
            else [path]
        )
        for f in files:
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


def model_path() -> Path:
    return MODELS_DIR / f"{MODEL_NAME}.tar.gz"


def ensure_model(force: bool = False) -> Path:
    """Train into models/ when the training data changed since the last training."""
    fp = training_fingerprint()
    target = model_path()
    up_to_date = target.exists() and FINGERPRINT_FILE.exists() and FINGERPRINT_FILE.read_text().strip() == fp
    # The rule-based spaCy pipeline is loaded by path, at training and at run time: build it first.
    if force or not up_to_date or not PIPELINE_DIR.exists():
        # in its own process: spaCy's imports stay out of the caller (a test run, the launcher)
        subprocess.run([sys.executable, "-m", "bot.nlu.spacy_rules"], cwd=PROJECT_ROOT, check=True)
    if not force and up_to_date:
        log.info("Model is up to date (%s); not retraining.", target.relative_to(PROJECT_ROOT))
        return target
    log.info("Training data changed: training the model (about two minutes)…")
    MODELS_DIR.mkdir(exist_ok=True)
    started = time.monotonic()
    subprocess.run(
        [rasa_bin(), "train", "--fixed-model-name", MODEL_NAME, "--out", str(MODELS_DIR)],
        cwd=PROJECT_ROOT,
        check=True,
    )
    FINGERPRINT_FILE.write_text(fp + "\n")
    log.info("Trained in %.0f s.", time.monotonic() - started)
    return target


def rasa_bin() -> str:
    return str(Path(sys.executable).with_name("rasa"))


def rasa_server_command() -> list[str]:
    """``rasa`` with the project's speed-ups (:mod:`bot.rasa_server`): how the servers are started."""
    return [sys.executable, "-m", "bot.rasa_server"]


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ensure_model(force="--force" in (sys.argv[1:] if argv is None else argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
