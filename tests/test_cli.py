"""The `advisor` command on real files, on SQLite and PostgreSQL: a bad file writes nothing."""

from __future__ import annotations

import csv
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.catalogue.models import make_engine
from bot.settings import PROJECT_ROOT, environment
from tests.conftest import POSTGRES_URL, need_postgres

SHARED = PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}"
        return
    need_postgres()
    schema = f"cli_{uuid.uuid4().hex[:10]}"
    eng = make_engine(POSTGRES_URL)
    with eng.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with eng.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    eng.dispose()


def advisor(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = environment(DATABASE_URL=database_url)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def snapshot(database_url: str, tmp_path: Path) -> str:
    out = tmp_path / f"snap-{uuid.uuid4().hex}.json"
    assert advisor(database_url, "catalog", "export", str(out)).returncode == 0
    return out.read_text()


def test_bad_rows_are_named_and_the_database_is_left_exactly_as_it_was(database_url, tmp_path):
    assert advisor(database_url, "seed").returncode == 0
    before = snapshot(database_url, tmp_path)
    good = tmp_path / "export.csv"
    assert advisor(database_url, "catalog", "export", str(good)).returncode == 0
    with good.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    bad = tmp_path / "bad.csv"
    rows[2][header.index("title")] = "A changed title that must not be written"
    rows[3][header.index("price_amount")] = "abc"
    rows[5][header.index("career_aims")] = "astronaut"
    with bad.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    result = advisor(database_url, "catalog", "import", str(bad))
    assert result.returncode == 1
    assert "line 4" in result.stderr and "line 6" in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(database_url, tmp_path) == before


def test_import_dry_run_reimport_and_round_trip(database_url, tmp_path):
    edx = SHARED / "catalog-sources" / "edx-courses.csv"
    assert advisor(database_url, "seed").returncode == 0
    before = snapshot(database_url, tmp_path)
    dry = advisor(database_url, "catalog", "import", str(edx), "--dry-run")
    assert dry.returncode == 0 and "Nothing was written" in dry.stdout
    assert snapshot(database_url, tmp_path) == before
    first = advisor(database_url, "catalog", "import", str(edx))
    assert first.returncode == 0 and "Imported" in first.stdout
    assert "100%" in first.stderr  # the progress bar reached the end
    second = advisor(database_url, "catalog", "import", str(edx))
    assert "(0 new," in second.stdout  # the same file updates in place
    after_two = snapshot(database_url, tmp_path)
    exported = tmp_path / "all.json"
    assert advisor(database_url, "catalog", "export", str(exported)).returncode == 0
    assert advisor(database_url, "catalog", "import", str(exported)).returncode == 0
    assert snapshot(database_url, tmp_path) == after_two


def test_stats_and_check_report(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert advisor(url, "seed").returncode == 0
    stats = advisor(url, "catalog", "stats")
    assert stats.returncode == 0 and "credentials from" in stats.stdout and "by career aim" in stats.stdout
    check = advisor(url, "catalog", "check")
    assert check.returncode == 0 and "facts last checked" in check.stdout
    assert advisor(url, "catalog", "check", "--strict").returncode == 1


def test_a_missing_file_is_a_clear_error(tmp_path):
    r = advisor(f"sqlite:///{tmp_path / 'x.db'}", "catalog", "import", str(tmp_path / "nope.csv"))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_db_upgrade_and_check_report_eu_elements(tmp_path):
    url = f"sqlite:///{tmp_path / 'up.db'}"
    first = advisor(url, "db", "upgrade")
    assert first.returncode == 0 and "revision 0005 (was empty)" in first.stdout
    assert advisor(url, "seed").returncode == 0
    check = advisor(url, "catalog", "check")
    assert check.returncode == 0
    assert "missing EU micro-credential elements: learning outcomes" in check.stdout
    assert "EU elements present: learning outcomes" in check.stdout
    assert advisor(url, "catalog", "check", "--strict").returncode == 1
