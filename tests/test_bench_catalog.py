"""The catalogue benchmark runs end to end and prints its summary line (its figures are not judged here)."""

import re
import subprocess
import sys

from bot.settings import PROJECT_ROOT


def test_bench_catalog_prints_its_figures():
    out = subprocess.run(
        [sys.executable, "-m", "bench.catalog", "--sizes", "300", "--requests", "20", "--backends", "sqlite"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert re.match(
        r"sqlite +300 credentials \(loaded in +[\d.]+ s\): recommendation p50 [\d.]+ ms, p95 [\d.]+ ms", lines[0]
    )
    assert "when little fits (near-miss path)" in lines[1]
    assert re.fullmatch(r"catalogue query p95 at 300 credentials: sqlite [\d.]+ ms, postgresql not measured", lines[-1])
