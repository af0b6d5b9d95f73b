"""Build the rule-based spaCy pipeline that Rasa's ``SpacyNLP`` loads.

No English spaCy model can be installed here, and none is needed: a blank English pipeline with an
``entity_ruler`` built from ``data/patterns/*.jsonl`` finds money amounts, durations, weekly hours,
credential types ("MicroMasters", "nano-degree") and delivery modes, including multi-token and
hyphenated variants that the statistical intent classifier does not extract.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT

PATTERN_DIR = PROJECT_ROOT / "data" / "patterns"
PIPELINE_DIR = PROJECT_ROOT / "models" / "spacy_rules"
LABELS = ("money", "duration", "weekly_hours", "credential_type", "delivery_mode")


def load_patterns(pattern_dir: Path = PATTERN_DIR) -> list[dict]:
    patterns = []
    for path in sorted(pattern_dir.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    patterns.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path.name} line {n}: not valid JSON ({exc.msg})") from None
    return patterns


def build_pipeline(pattern_dir: Path = PATTERN_DIR):
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    ruler.add_patterns(load_patterns(pattern_dir))
    return nlp


def build(target: Path = PIPELINE_DIR, pattern_dir: Path = PATTERN_DIR) -> Path:
    """Write the pipeline to ``target`` (what ``SpacyNLP`` loads by path)."""
    nlp = build_pipeline(pattern_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    return target


if __name__ == "__main__":
    out = build(Path(sys.argv[1]) if len(sys.argv) > 1 else PIPELINE_DIR)
    print(f"spaCy rule pipeline written to {out}")
