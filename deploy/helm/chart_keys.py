"""The keys Rasa's Helm charts read, derived from a checkout of RasaHQ/helm-charts.

``python deploy/helm/chart_keys.py CHARTS_DIR`` (CHARTS_DIR: the checkout's ``charts/`` folder) writes
``deploy/helm/chart-keys/<chart>.txt`` for the ``rasa`` and ``rasa-action-server`` charts: one key path a
line, with the type the chart's ``values.schema.json`` gives it (``-`` when it gives none) and where the
key comes from (``values``: the chart's values.yaml; ``template``: read by a template of the chart or of
its library chart ``rasa-common``, without a default in values.yaml). A path whose default is an empty
map or list (``resources: {}``, ``extraEnv: []``) takes any content below it: its type ends in ``*``.
``tests/test_deploy.py`` checks the values files in ``deploy/helm/`` against these lists offline, and
against a checkout when ``HELM_CHARTS_DIR`` names one.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

CHARTS = ("rasa", "rasa-action-server")
LIBRARY = "rasa-common"
KEYS_DIR = Path(__file__).resolve().parent / "chart-keys"

_INDEX = re.compile(r'\(index \.Values "([^"]+)"\)')
_REF = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)")


def _walk(node: object, prefix: str, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        if prefix:
            out[prefix] = "object" if node else "object*"
        for key, value in node.items():
            _walk(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(node, list):
        out[prefix] = "array" if node else "array*"
    else:
        out[prefix] = "-"


def _schema_types(schema: dict, prefix: str, out: dict[str, str]) -> None:
    for key, sub in (schema.get("properties") or {}).items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(sub.get("type"), str):
            out[path] = sub["type"]
        _schema_types(sub, path, out)


def template_refs(text: str) -> set[str]:
    """The ``.Values`` paths a template reads (``(index .Values "a-b").c`` and ``((.Values.a).b).c`` too)."""
    text = _INDEX.sub(lambda m: f".Values.{m.group(1)}", text)
    text = re.sub(r"\(+(\.Values[^\s)]*)", r"\1", text)
    text = re.sub(r"\)+\.", ".", text)
    return {m.group(1).lstrip(".") for m in _REF.finditer(text)}


def chart_keys(charts_dir: Path, chart: str) -> dict[str, tuple[str, str]]:
    """``{path: (type, source)}`` for ``chart`` in ``charts_dir``."""
    root = charts_dir / chart
    shapes: dict[str, str] = {}
    _walk(yaml.safe_load((root / "values.yaml").read_text()) or {}, "", shapes)
    types: dict[str, str] = {}
    schema = root / "values.schema.json"
    if schema.exists():
        _schema_types(json.loads(schema.read_text()), "", types)
    keys: dict[str, tuple[str, str]] = {}
    for path, shape in shapes.items():
        kind = types.get(path, "-")
        if shape.endswith("*"):  # an empty map or list by default: any content below it
            kind = kind + "*" if kind != "-" else shape
        keys[path] = (kind, "values")
    for folder in (root / "templates", charts_dir / LIBRARY / "templates"):
        for tpl in sorted(folder.rglob("*")):
            if tpl.is_file():
                for ref in template_refs(tpl.read_text()):
                    parts = ref.split(".")
                    for i in range(1, len(parts) + 1):
                        keys.setdefault(".".join(parts[:i]), (types.get(".".join(parts[:i]), "-"), "template"))
    return keys


def render(keys: dict[str, tuple[str, str]], chart: str, version: str) -> str:
    lines = [f"# Keys the {chart} chart {version} reads ({Path(__file__).name}): path, type, source."]
    lines += [f"{path}\t{kind}\t{source}" for path, (kind, source) in sorted(keys.items())]
    return "\n".join(lines) + "\n"


def read_keys(chart: str, keys_dir: Path = KEYS_DIR) -> dict[str, tuple[str, str]]:
    keys = {}
    for line in (keys_dir / f"{chart}.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            path, kind, source = line.split("\t")
            keys[path] = (kind, source)
    return keys


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "rasa" / "values.yaml").exists():
        print("usage: python deploy/helm/chart_keys.py CHARTS_DIR (the charts/ folder of RasaHQ/helm-charts)")
        return 2
    KEYS_DIR.mkdir(exist_ok=True)
    for chart in CHARTS:
        version = yaml.safe_load((Path(argv[0]) / chart / "Chart.yaml").read_text())["version"]
        (KEYS_DIR / f"{chart}.txt").write_text(render(chart_keys(Path(argv[0]), chart), chart, version))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
