"""``make nlu-eval``: how well the assistant understands people.

1. 5-fold cross-validated intent macro-F1 on data/nlu, of the intent pipeline: config.yml without
   its ResponseSelector (see ``intent_config``). Rasa scores the classifier's own prediction here,
   undoing the FallbackClassifier's nlu_fallback;
   entity F1 of the spaCy rule extractor on the examples in data/nlu that carry entity annotations
   (it learns nothing from the data, so it needs no folds, and Rasa's cross-validation leaves such
   "pretrained" extractors out, reporting nothing; examples without annotations are left out
   because only the advice intents are annotated: FAQ and out-of-scope texts mention money and
   credential types that nobody marked);
2. the held-out texts in tests/nlu_heldout/, which training never sees (intent macro-F1, retrieval
   intents scored by their full name, e.g. faq/vs_degree);
3. a noise suite: the held-out texts with typos, casing changes, dropped punctuation and
   abbreviations, and the drop in intent accuracy;
4. the false-accept rate on ../shared/data/out-of-scope/clinc150-dev.json: the share of those
   out-of-scope texts resolved to anything but out_of_scope or nlu_fallback.
The last line sums it up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bot.nlu.training import ensure_model, rasa_bin
from bot.settings import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "nlu_heldout"  # a folder: every file in it
CLINC = PROJECT_ROOT.parent / "shared" / "data" / "out-of-scope" / "clinc150-dev.json"
RESULTS = PROJECT_ROOT / "results" / "nlu-eval"
ACCEPTED_AS_OUT = {"out_of_scope", "nlu_fallback"}
RETRIEVAL_INTENTS = {"faq", "chitchat"}

ABBREVIATIONS = {
    "you": "u",
    "are": "r",
    "please": "pls",
    "hours": "hrs",
    "hour": "hr",
    "weeks": "wks",
    "week": "wk",
    "months": "mths",
    "thanks": "thx",
    "with": "w/",
    "because": "bc",
    "people": "ppl",
    "about": "abt",
    "something": "smth",
    "credential": "cred",
    "certificate": "cert",
    "information": "info",
    "tomorrow": "tmrw",
    "minutes": "mins",
    "and": "&",
}


def macro_f1(gold: list[str], pred: list[str]) -> float:
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    idx = [i for i, w in enumerate(words) if len(w) > 3 and w.isalpha()]
    if not idx:
        return text
    i = rng.choice(idx)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    op = rng.choice(["swap", "drop", "double"])
    if op == "swap":
        w = w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]
    elif op == "drop":
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def perturbations(text: str, rng: random.Random) -> dict[str, str]:
    abbreviated = " ".join(ABBREVIATIONS.get(w.lower(), w) for w in text.split())
    return {
        "typo": typo(text, rng),
        "casing": text.upper() if rng.random() < 0.5 else text.lower(),
        "punctuation": re.sub(r"[^\w\s£$€₹/]", "", text),
        "abbreviation": abbreviated,
    }


def load_heldout() -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(HELDOUT))
    return [(m.get("text"), m.get_full_intent()) for m in data.intent_examples]


# The intent classifier this project used before the linear one, for ``--compare-diet``.
DIET = {
    "name": "DIETClassifier",
    "epochs": 100,
    "entity_recognition": False,
    "number_of_transformer_layers": 0,
    "hidden_layers_sizes": {"text": [256, 128]},
    "constrain_similarities": True,
    "random_seed": 42,
}


def intent_config(classifier: dict | None = None) -> Path:
    """config.yml without the ResponseSelector and the dialogue policies, for the cross-validation.

    The ResponseSelector only chooses the answer inside a retrieval intent (faq/…, chitchat/…) after
    the intent classifier has predicted the intent; it never changes the intent label, the
    FallbackClassifier reads only the intent confidences, and the cross-validated intent report
    scores retrieval intents by their base name (faq, chitchat). Leaving it out gives the same intent
    and entity scores and saves most of the training time of each fold. (Answer selection is scored
    on the held-out file.) ``classifier`` replaces the intent classifier, for comparisons.
    """
    import yaml

    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    config["pipeline"] = [c for c in config["pipeline"] if c["name"] != "ResponseSelector"]
    if classifier:
        config["pipeline"] = [classifier if c["name"].endswith("IntentClassifier") else c for c in config["pipeline"]]
    config.pop("policies", None)
    path = RESULTS / ("intent_config.yml" if not classifier else f"intent_config_{classifier['name']}.yml")
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def cross_validate(folds: int, classifier: dict | None = None) -> float:
    out = RESULTS / ("cross-validation" if not classifier else f"cross-validation-{classifier['name']}")
    print(f"Cross-validating the intent pipeline on data/nlu with {folds} folds (trains {folds} models)…", flush=True)
    subprocess.run(
        [
            rasa_bin(),
            "test",
            "nlu",
            "--nlu",
            "data/nlu",
            "--config",
            str(intent_config(classifier)),
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(out),
        ],
        cwd=PROJECT_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads((out / "intent_report.json").read_text())["macro avg"]["f1-score"]


def load_entity_examples() -> list[tuple[str, set]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    return [
        (m.get("text"), {(e["entity"], e["start"], e["end"]) for e in m.get("entities")})
        for m in data.intent_examples
        if m.get("entities")
    ]


async def extract_entities(agent, texts: list[str]) -> list[set]:
    out = []
    for text in texts:
        result = await agent.parse_message(text)
        out.append(
            {
                (e["entity"], e["start"], e["end"])
                for e in result.get("entities", [])
                if e.get("extractor") == "SpacyEntityExtractor"
            }
        )
    return out


def entity_f1(gold: list[set], pred: list[set]) -> float:
    """Micro-F1 over (label, start, end) spans; a span found where none is annotated is a false positive."""
    tp = sum(len(g & p) for g, p in zip(gold, pred))
    fp = sum(len(p - g) for g, p in zip(gold, pred))
    fn = sum(len(g - p) for g, p in zip(gold, pred))
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")


async def parse_all(agent, texts: list[str]) -> list[str]:
    out = []
    for n, text in enumerate(texts, 1):
        result = await agent.parse_message(text)
        name = result["intent"]["name"]
        selectors = result.get("response_selector") or {}
        selector = selectors.get(name) or (selectors.get("default") if name in RETRIEVAL_INTENTS else None)
        if selector:
            key = selector.get("response", {}).get("intent_response_key")
            if key:
                name = key
        out.append(name)
        if n % 500 == 0:
            print(f"    parsed {n}/{len(texts)}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-cv", action="store_true", help="skip the cross-validation (minutes of training)")
    parser.add_argument(
        "--compare-diet",
        action="store_true",
        help="only cross-validate the same pipeline with DIET as the intent classifier (about 15 min)",
    )
    args = parser.parse_args(argv)
    if args.compare_diet:
        RESULTS.mkdir(parents=True, exist_ok=True)
        ensure_model()  # builds the spaCy rule pipeline the config loads
        print(f"intent macro-F1 with DIET {cross_validate(args.folds, DIET):.3f}", flush=True)
        return 0
    logging.getLogger("rasa").setLevel(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no debug line per parsed message
    RESULTS.mkdir(parents=True, exist_ok=True)

    model = ensure_model()
    heldout = load_heldout()
    clinc = [e["text"] for e in json.loads(CLINC.read_text())["examples"]]
    rng = random.Random(7)
    noisy = [(kind, t2, gold) for text, gold in heldout for kind, t2 in perturbations(text, rng).items()]
    annotated = load_entity_examples()

    from rasa.core.agent import Agent

    print(f"Loading {model.relative_to(PROJECT_ROOT)}…", flush=True)
    agent = Agent.load(str(model))

    async def run():
        print(
            f"Held-out: {len(heldout)} texts; noise suite: {len(noisy)}; CLINC150 out of scope: {len(clinc)}",
            flush=True,
        )
        h = await parse_all(agent, [t for t, _ in heldout])
        n = await parse_all(agent, [t for _, t, _ in noisy])
        c = await parse_all(agent, clinc)
        e = await extract_entities(agent, [t for t, _ in annotated])
        return h, n, c, e

    held_pred, noisy_pred, clinc_pred, entities_pred = asyncio.run(run())
    entity = entity_f1([spans for _, spans in annotated], entities_pred)
    gold = [g for _, g in heldout]
    held_f1 = macro_f1(gold, held_pred)
    clean_acc = sum(g == p for g, p in zip(gold, held_pred)) / len(gold)
    noisy_gold = [g for _, _, g in noisy]
    noisy_acc = sum(g == p for g, p in zip(noisy_gold, noisy_pred)) / len(noisy_gold)
    by_kind = Counter()
    per_kind = Counter(kind for kind, _, _ in noisy)
    for (kind, _, g), p in zip(noisy, noisy_pred):
        by_kind[kind] += g == p
    accepted = [(t, p) for t, p in zip(clinc, clinc_pred) if p.split("/")[0] not in ACCEPTED_AS_OUT]
    false_accept = len(accepted) / len(clinc)

    confusions = Counter((g, p) for g, p in zip(gold, held_pred) if g != p)
    print("\nHeld-out confusions (gold -> predicted, count):")
    for (g, p), k in confusions.most_common(12):
        print(f"  {g} -> {p}: {k}")
    print("Held-out errors:")
    for (text, g), p in zip(heldout, held_pred):
        if g != p:
            print(f"  {text!r}: {g} -> {p}")
    print(
        "Noise suite accuracy by perturbation: "
        + ", ".join(f"{k} {by_kind[k] / per_kind[k]:.3f}" for k in sorted(per_kind))
    )
    print(
        f"CLINC150 texts accepted as in scope: {len(accepted)} of {len(clinc)}; by intent: "
        + ", ".join(f"{k} {v}" for k, v in Counter(p for _, p in accepted).most_common(8))
    )
    for t, p in accepted[:15]:
        print(f"  {t!r} -> {p}")
    (RESULTS / "heldout_predictions.json").write_text(
        json.dumps([{"text": t, "gold": g, "predicted": p} for (t, g), p in zip(heldout, held_pred)], indent=1)
    )
    (RESULTS / "clinc_accepted.json").write_text(
        json.dumps([{"text": t, "predicted": p} for t, p in accepted], indent=1)
    )

    cv_intent = float("nan") if args.skip_cv else cross_validate(args.folds)
    print(
        f"intent macro-F1 {cv_intent:.3f}, entity F1 {entity:.3f}, held-out F1 {held_f1:.3f}, "
        f"noise drop {100 * (clean_acc - noisy_acc):.1f} points, out-of-scope false-accept {100 * false_accept:.1f}%",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
