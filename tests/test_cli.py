"""The `advisor` command on real files, on SQLite and PostgreSQL: a bad file writes nothing."""

from __future__ import annotations

import csv
import json
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


def advisor(database_url: str, *args: str, **settings: str) -> subprocess.CompletedProcess:
    env = environment(DATABASE_URL=database_url, **settings)
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
    # every field but GIS (in the taxonomy so that people asking for it are told the catalogue has none yet)
    # and research group leadership (EMBO's two courses)
    assert (
        "evidence per fact" in stats.stdout
        and "fields served by fewer than three: gis 0, research_leadership 2\n" in stats.stdout
    )
    check = advisor(url, "catalog", "check")
    assert check.returncode == 0 and "facts last checked" in check.stdout
    # the default catalogue: every stated fact has evidence or is marked unconfirmed
    strict = advisor(url, "catalog", "check", "--strict")
    assert strict.returncode == 0 and " 0 fault(s)" in strict.stdout


def test_a_missing_file_is_a_clear_error(tmp_path):
    r = advisor(f"sqlite:///{tmp_path / 'x.db'}", "catalog", "import", str(tmp_path / "nope.csv"))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_db_upgrade_and_check_report_eu_elements(tmp_path):
    url = f"sqlite:///{tmp_path / 'up.db'}"
    first = advisor(url, "db", "upgrade")
    assert first.returncode == 0 and "revision 0007 (was empty)" in first.stdout
    assert advisor(url, "seed").returncode == 0
    check = advisor(url, "catalog", "check")
    assert check.returncode == 0
    assert "missing EU micro-credential elements: learning outcomes" in check.stdout
    assert "EU elements present: learning outcomes" in check.stdout
    assert advisor(url, "catalog", "check", "--strict").returncode == 0


def _faulty_catalogue(tmp_path: Path) -> tuple[Path, str, str]:
    """The default catalogue with one of each fault that check --strict refuses."""
    import yaml

    src = PROJECT_ROOT / "data" / "catalog"
    out = tmp_path / "catalog"
    out.mkdir()
    for name in ("providers.yml", "exchange_rates.yml"):
        (out / name).write_text((src / name).read_text(encoding="utf-8"), encoding="utf-8")
    entries = yaml.safe_load((src / "credentials.yml").read_text(encoding="utf-8"))
    by_id = {e["id"]: e for e in entries}
    del by_id["comptia-security-plus"]["evidence"]["price"]  # a price with neither evidence nor a mark
    claimed = next(e for e in entries if e.get("recognition"))
    del claimed["recognition"][0]["evidence"]  # a recognition claim without evidence
    linked = next(e for e in entries if e.get("recognition") and e is not claimed)
    linked["recognition"][0]["url"] = "https://www.acenet.edu/National-Guide/Pages/default.aspx"
    (out / "credentials.yml").write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    return out, claimed["id"], linked["id"]


def test_check_strict_fails_on_each_evidence_fault(tmp_path):
    catalog, claimed, linked = _faulty_catalogue(tmp_path)
    url = f"sqlite:///{tmp_path / 'f.db'}"

    def run(*args):
        return advisor(url, *args, CATALOG_DIR=str(catalog))

    assert run("seed").returncode == 0
    engine = make_engine(url)
    with engine.begin() as conn:  # a retired programme that is still offered for career aims
        conn.execute(text("UPDATE credentials SET status = 'retired' WHERE id = 'pmi-pmp'"))
    engine.dispose()
    strict = run("catalog", "check", "--strict")
    assert strict.returncode == 1
    faults = [line for line in strict.stdout.splitlines() if line.startswith("FAULT ")]
    assert "FAULT comptia-security-plus: price: neither evidence nor marked unconfirmed" in faults
    assert f"FAULT {claimed}: recognition claim 1: neither evidence nor marked unconfirmed" in faults
    assert any(line.startswith(f"FAULT {linked}: recognition by") and "front page" in line for line in faults)
    assert "FAULT pmi-pmp: retired, but still offered for career aims" in faults
    assert len(faults) == 4 and " 4 fault(s)" in strict.stdout


@pytest.mark.skipif(not (SHARED / "catalog-sources" / "udemy-courses.csv").exists(), reason="shared listings absent")
def test_skip_bad_rows_imports_the_good_rows_and_writes_the_rejected(tmp_path):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    udemy = SHARED / "catalog-sources" / "udemy-courses.csv"
    whole = advisor(url, "catalog", "import", str(udemy))
    assert whole.returncode == 1 and "nothing was written" in whole.stderr  # all or nothing by default
    rejects = tmp_path / "rejects.csv"
    part = advisor(url, "catalog", "import", str(udemy), "--skip-bad-rows", str(rejects))
    assert part.returncode == 0 and "Imported 2999 credentials" in part.stdout
    with rejects.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows == [
        {"line": "893", "id": "", "title": "", "reason": "content_duration '0.0' hours: the course lists no content"}
    ]
    stats = advisor(url, "catalog", "stats")
    assert "2999 credentials" in stats.stdout


def test_recheck_worksheet_lists_due_facts_most_shown_first_and_imports_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    tracker = tmp_path / "conversations.db"
    engine = make_engine(f"sqlite:///{tracker}")
    with engine.begin() as conn:  # what people were shown, as Rasa's SQL tracker store records it
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, type_name TEXT, data TEXT)"))
        slot = '{"event": "slot", "name": "shown_ids", "value": ["ibm-data-science", "google-project-management"]}'
        for _ in range(3):
            conn.execute(text("INSERT INTO events (type_name, data) VALUES ('slot', :d)"), {"d": slot})
    engine.dispose()

    def run(*args):
        return advisor(url, *args, TRACKER_STORE_URL=f"sqlite:///{tracker}")

    assert run("seed").returncode == 0
    sheet = tmp_path / "recheck.csv"
    made = run("catalog", "recheck", str(sheet))
    assert made.returncode == 0 and "due for checking" in made.stdout
    with sheet.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert (
        rows[0]["credential_id"] in {"ibm-data-science", "google-project-management"} and rows[0]["times_shown"] == "3"
    )
    assert all(r["why"] for r in rows) and {"price", "duration"} <= {r["fact"] for r in rows}
    price = next(r for r in rows if r["credential_id"] == "ibm-data-science" and r["fact"] == "price")
    price.update(
        new_value="59",
        new_source="https://www.coursera.org/professional-certificates/ibm-data-science",
        new_says="$59 per month",
        checked_by="careers service",
    )
    bad = next(r for r in rows if r is not price)
    bad.update(new_source="not a link", new_says="x", checked_by="careers service")
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    back = run("catalog", "recheck", "--import", str(sheet))
    assert back.returncode == 1 and "Recorded evidence for 1 fact(s)" in back.stdout
    assert "source must be an http or https address" in back.stderr
    out = tmp_path / "after.json"
    assert run("catalog", "export", str(out)).returncode == 0
    ibm = next(c for c in json.loads(out.read_text())["credentials"] if c["id"] == "ibm-data-science")
    assert ibm["price"]["amount"] == 59
    assert ibm["evidence"]["price"]["says"] == "$59 per month" and ibm["evidence"]["price"]["by"] == "careers service"
    again = run("catalog", "recheck", str(tmp_path / "again.csv"))
    assert again.returncode == 0
    with (tmp_path / "again.csv").open(encoding="utf-8") as fh:
        assert not any(r["credential_id"] == "ibm-data-science" and r["fact"] == "price" for r in csv.DictReader(fh))
