"""The credential database through SQLAlchemy: loading, re-loading, queries, on SQLite and PostgreSQL."""

import shutil

import pytest
import yaml
from sqlalchemy import func, inspect, select

from bot.catalogue.loading import CatalogError, load_catalog
from bot.catalogue.models import Credential, make_engine
from bot.catalogue.repository import count_credentials, credentials_by_ids, credentials_for_aims, exchange_rates
from bot.language.aims import AIM_CODES
from bot.settings import PROJECT_ROOT

CATALOG = PROJECT_ROOT / "data" / "catalog"


def test_shipped_catalogue_is_large_real_and_covers_every_aim(any_engine):
    assert count_credentials(any_engine) >= 60
    records = credentials_for_aims(any_engine, [])
    for aim in AIM_CODES:
        assert sum(aim in r.aims for r in records) >= 3, aim
    for r in records:
        assert r.source_url.startswith("https://"), r.id
        assert r.last_checked is not None
        if r.price_amount is not None:
            assert r.price_currency and len(r.price_currency) == 3
    currencies = {r.price_currency for r in records if r.price_amount}
    assert {"USD", "GBP"} <= currencies or len(currencies) >= 2


def test_query_by_aim_returns_only_that_aim(any_engine):
    records = credentials_for_aims(any_engine, ["tech_cloud"])
    assert records and all("tech_cloud" in r.aims for r in records)
    assert len({r.id for r in records}) == len(records)


def test_records_by_id_keep_the_requested_order(any_engine):
    ids = [r.id for r in credentials_for_aims(any_engine, ["tech_data"])][:3]
    assert [r.id for r in credentials_by_ids(any_engine, list(reversed(ids)) + ["no-such-id"])] == list(reversed(ids))


def test_exchange_rates_are_dated(any_engine):
    rates = exchange_rates(any_engine)
    assert rates.as_of is not None
    assert rates.convert(100, "GBP", "GBP") == 100
    assert 100 < rates.convert(100, "GBP", "USD") < 150


def test_loading_twice_updates_in_place(engine):
    before = count_credentials(engine)
    load_catalog(engine, CATALOG)
    assert count_credentials(engine) == before


def test_nothing_is_created_until_asked(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert inspect(eng).get_table_names() == []
    eng.dispose()


def test_a_bad_file_is_reported_entry_by_entry_and_writes_nothing(tmp_path, engine):
    bad_dir = tmp_path / "bad"
    shutil.copytree(CATALOG, bad_dir)
    creds = yaml.safe_load((bad_dir / "credentials.yml").read_text())
    first_id = creds[0]["id"]
    creds[0]["title"] = "Changed title that must not be written"
    creds[1]["career_aims"] = ["astronaut"]
    creds[2]["price"] = {"amount": -5, "currency": "GBP", "basis": "one_off"}
    (bad_dir / "credentials.yml").write_text(yaml.safe_dump(creds, allow_unicode=True))
    with pytest.raises(CatalogError) as info:
        load_catalog(engine, bad_dir)
    problems = info.value.problems
    assert any("entry 2" in p and "astronaut" in p for p in problems)
    assert any("entry 3" in p and "price amount" in p for p in problems)
    with engine.connect() as conn:
        title = conn.execute(select(Credential.title).where(Credential.id == first_id)).scalar_one()
    assert title != "Changed title that must not be written"


def test_missing_file_is_a_clear_error(tmp_path, engine):
    with pytest.raises(CatalogError, match="providers.yml: file not found"):
        load_catalog(engine, tmp_path)


def test_credential_aims_are_indexed(engine):
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(Credential)).scalar_one()
    assert n == count_credentials(engine)
    indexes = inspect(engine).get_indexes("credential_aims")
    assert any(ix["column_names"] == ["aim"] for ix in indexes)
