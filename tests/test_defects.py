"""Defects found by reading the code as a new maintainer, each pinned by a test that failed before its fix."""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from aiohttp import web
from rasa_sdk.executor import CollectingDispatcher

from actions.common import set_advisor
from actions.recommend import ActionCredentialDetail, ActionRecommend
from bench.catalog import database
from bot.advice.service import Advisor
from bot.catalogue.importers import import_file
from bot.catalogue.importers.values import _iso_weeks, _weeks
from bot.catalogue.loading import CatalogError, load_catalog
from bot.catalogue.models import make_engine
from bot.catalogue.reader import SqlCatalogue
from bot.channels.web import init_app
from bot.language.parsing import parse_time
from bot.settings import PROJECT_ROOT, environment, load_settings
from tests.conftest import TODAY, free_port, postgres_available
from tests.test_actions import DOMAIN, FULL, slot_events, tracker

CATALOG = PROJECT_ROOT / "data" / "catalog"


def small_catalogue(folder: Path, credentials: list[dict]) -> Path:
    """A catalogue folder with the default providers and rates and only ``credentials``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CATALOG / "providers.yml", folder / "providers.yml")
    shutil.copy(CATALOG / "exchange_rates.yml", folder / "exchange_rates.yml")
    (folder / "credentials.yml").write_text(yaml.safe_dump(credentials, sort_keys=False), encoding="utf-8")
    return folder


def course(cid: str, amount: float, currency: str, **extra) -> dict:
    entry = {
        "id": cid,
        "title": f"Data analysis course {cid}",
        "provider": "coursera",
        "credential_type": "short_course",
        "career_aims": ["tech_data"],
        "price": {"amount": amount, "currency": currency, "basis": "one_off"},
        "duration_weeks": 4,
        "hours_per_week": 3,
        "delivery_mode": "online_self_paced",
        "source_url": f"https://example.org/{cid}",
        "last_checked": "2026-10-01",
    }
    entry.update(extra)
    return entry


# -- "cheaper" across currencies ------------------------------------------------------------------


@pytest.fixture
def mixed_currency_advisor(tmp_path, settings):
    folder = small_catalogue(
        tmp_path / "catalogue",
        [
            course("pounds-200", 200, "GBP"),
            course("rupees-5000", 5000, "INR"),  # about US$60 at the dated rate: cheaper than £200
            course("rupees-50000", 50000, "INR"),  # about US$600: dearer than £200
            course("reais-10", 10, "BRL"),  # no rate for BRL: cannot be called cheaper
        ],
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'mixed.db'}")
    load_catalog(engine, folder)
    advisor = Advisor(SqlCatalogue(engine), settings, today=TODAY)
    set_advisor(advisor)
    yield advisor
    set_advisor(None)
    engine.dispose()


@pytest.mark.parametrize(
    "budget", [{"kind": "unlimited"}, {"kind": "limit", "amount": 1000.0, "currency": "EUR", "text": "€1000"}]
)
async def test_cheaper_compares_prices_in_different_currencies_at_the_dated_rates(mixed_currency_advisor, budget):
    slots = dict(FULL, career_aim=["tech_data"], budget=budget, shown_ids=["pounds-200"])
    d = CollectingDispatcher()
    events = await ActionRecommend().run(d, tracker("cheaper ones", intent="ask_cheaper", slots=slots), DOMAIN)
    assert d.messages[0]["text"].startswith("Here are cheaper options")
    assert slot_events(events)["shown_ids"] == ["rupees-5000"]


# -- a slow or absent assistant behind the chat page ----------------------------------------------


async def _relay(rasa_url: str, timeout: float):
    from aiohttp.test_utils import TestClient, TestServer

    client = TestClient(TestServer(init_app(rasa_url, timeout)))
    await client.start_server()
    return client


async def test_a_slow_assistant_gives_the_person_a_503_with_a_message_not_a_500():
    slow = web.Application()

    async def webhook(request):
        await asyncio.sleep(5)
        return web.json_response([{"text": "too late"}])

    slow.router.add_post("/webhooks/relay/webhook", webhook)
    runner = web.AppRunner(slow)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    client = await _relay(f"http://127.0.0.1:{port}", timeout=0.5)
    try:
        resp = await client.post("/api/message", json={"sender": "a" * 16, "message": "hello"})
        assert resp.status == 503
        assert "try again" in (await resp.json())["error"]
    finally:
        await client.close()
        await runner.cleanup()


async def test_an_assistant_that_is_down_gives_a_503_with_a_message():
    client = await _relay(f"http://127.0.0.1:{free_port()}", timeout=2)
    try:
        resp = await client.post("/api/message", json={"sender": "a" * 16, "message": "hello"})
        assert resp.status == 503
        assert "not reachable" in (await resp.json())["error"]
    finally:
        await client.close()


# -- only http and https links --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "data:text/html,<script>1</script>", "ftp://x.org/a"]
)
def test_the_yaml_catalogue_refuses_links_that_are_not_web_addresses(tmp_path, url):
    folder = small_catalogue(tmp_path / "c", [course("bad-link", 10, "GBP", source_url=url)])
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with pytest.raises(CatalogError, match="source_url must be an http or https address"):
        load_catalog(engine, folder)
    engine.dispose()


def test_a_recognition_link_must_be_a_web_address_too(tmp_path):
    entry = course("bad-recognition", 10, "GBP", recognition=[{"by": "Some body", "url": "javascript:alert(1)"}])
    folder = small_catalogue(tmp_path / "c", [entry])
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with pytest.raises(CatalogError, match="recognition url must be an http or https address"):
        load_catalog(engine, folder)
    engine.dispose()


def test_the_project_csv_and_json_importers_refuse_script_links(tmp_path):
    from bot.catalogue.importers import export_csv, export_json

    entry = course("script-link", 10, "GBP", source_url="javascript:alert(1)")
    entry.update(platform=None, topics=[], free_to_audit=False, certificate_price=None, level_eqf=None, level=None)
    export_json([entry], tmp_path / "c.json")
    export_csv([entry], tmp_path / "c.csv")
    for path in (tmp_path / "c.json", tmp_path / "c.csv"):
        result = import_file(path)
        assert result.credentials == []
        assert any("source_url must be an http or https address" in r.reason for r in result.rejected), path


# -- the benchmark never prints a password --------------------------------------------------------


def test_the_catalogue_benchmark_masks_the_postgresql_password(tmp_path, capsys):
    with database("postgresql", tmp_path, f"postgresql://bench:s3cr3t-pw@127.0.0.1:{free_port()}/test") as engine:
        assert engine is None
    err = capsys.readouterr().err
    assert "is not available" in err
    assert "s3cr3t-pw" not in err and "***" in err


# -- one months-to-weeks constant -----------------------------------------------------------------


@pytest.mark.parametrize("months", [1, 3, 6, 9])
def test_months_are_the_same_number_of_weeks_everywhere(months):
    said = parse_time(f"{months} months").weeks
    assert _weeks(f"{months} months", "duration") == said
    assert round(_iso_weeks(f"P{months}M")[0], 1) == said


# -- one staleness setting ------------------------------------------------------------------------


def test_catalogue_stats_count_stale_facts_by_the_staleness_setting(tmp_path):
    def stats(days: str) -> str:
        env = environment(ADVISOR_VAR_DIR=str(tmp_path), STALE_AFTER_DAYS=days)
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-m", "bot.cli", "seed"], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True
        )
        out = subprocess.run(
            [sys.executable, "-m", "bot.cli", "catalog", "stats"],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return next(line for line in out.splitlines() if line.startswith("facts checked over"))

    assert stats("100000").startswith("facts checked over 100000 days ago (STALE_AFTER_DAYS): 0 ")
    assert not stats("30").startswith("facts checked over 30 days ago (STALE_AFTER_DAYS): 0 ")


# -- the test suite's own service checks ---------------------------------------------------------


def test_the_postgresql_probe_uses_the_url_it_is_given():
    assert postgres_available(f"postgresql://postgres@127.0.0.1:{free_port()}/test") is False


@pytest.mark.parametrize("ci, outcome", [("true", "failed"), ("", "skipped")])
def test_a_missing_service_fails_in_ci_and_skips_elsewhere(tmp_path, ci, outcome):
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        textwrap.dedent("""
        from tests.conftest import need_postgres

        def test_needs_postgres():
            need_postgres("postgresql://postgres@127.0.0.1:9/test")
    """)
    )
    env = environment(CI=ci)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            "-c",
            "/dev/null",
            str(probe),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert f"1 {outcome}" in run.stdout, run.stdout


# -- the catalogue is unreachable: the person gets an answer, the log gets the cause once ----------


@pytest.fixture(params=["postgresql", "sqlite"])
def unreachable_advisor(request, tmp_path, settings):
    if request.param == "postgresql":
        url = f"postgresql://postgres@127.0.0.1:{free_port()}/gone"  # nothing listens there
    else:
        broken = tmp_path / "credentials.db"
        broken.write_bytes(b"this is not an SQLite database, it was overwritten" * 100)
        url = f"sqlite:///{broken}"
    engine = make_engine(url)
    set_advisor(Advisor(SqlCatalogue(engine), settings, today=TODAY))
    yield request.param
    set_advisor(None)
    engine.dispose()


@pytest.mark.parametrize(
    "action, intent, text",
    [
        (ActionRecommend, "request_advice", "I want to learn cloud computing, my email is jo@example.org"),
        (ActionCredentialDetail, "ask_details", "tell me more about the first one, call me on 07700 900123"),
    ],
)
async def test_an_unreadable_catalogue_gets_an_apology_with_the_careers_contact(
    unreachable_advisor, caplog, action, intent, text
):
    slots = dict(FULL, shown_ids=["google-it-support"])
    d = CollectingDispatcher()
    with caplog.at_level(logging.INFO):
        events = await action().run(d, tracker(text, intent=intent, slots=slots), DOMAIN)
    assert events == []
    assert len(d.messages) == 1
    reply = d.messages[0]["text"]
    assert "can't reach the course catalogue" in reply and "the Careers Hub, Library Building" in reply
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    logged = errors[0].getMessage()
    assert action().name() in logged and "cannot be read" in logged
    assert "jo@example.org" not in logged and "07700" not in logged


def test_settings_name_a_bad_value():
    from bot.settings import SettingsError

    with pytest.raises(SettingsError, match="ACTIONS_PORT must be a whole number"):
        load_settings({"ACTIONS_PORT": "fifty"})
