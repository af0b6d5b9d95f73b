"""Schema changes go through the Alembic migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect, select, text

from bot.catalogue.loading import load_catalog
from bot.catalogue.migrate import create_schema, current_revision, downgrade, head_revision, upgrade
from bot.catalogue.models import Base, Credential, make_engine, session_scope
from bot.review import tables as review_tables
from bot.settings import PROJECT_ROOT
from tests.conftest import POSTGRES_URL, postgres_available

CATALOG = PROJECT_ROOT / "data" / "catalog"


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_engine(request, tmp_path):
    """An empty database of each kind (PostgreSQL: a new database, dropped afterwards)."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield eng
        eng.dispose()
        return
    if not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432 (start it to run this case)")
    name = f"advisor_mig_{uuid.uuid4().hex[:10]}"
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    eng = make_engine(POSTGRES_URL.rsplit("/", 1)[0] + "/" + name)
    yield eng
    eng.dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
    admin.dispose()


RANKING_INDEXES = {"ix_credentials_rank", "ix_credential_aims_rank", "ix_credentials_aimset_rank"}


def schema_differences(engine) -> list:
    """What the models have that the migrated database lacks, or the other way round. Indexes with a
    DESC column are expressions to the comparison, which cannot match them: they are checked by name."""
    models = MetaData()
    for table in [*Base.metadata.tables.values(), *review_tables.meta.tables.values()]:
        table.to_metadata(models)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), models)
    return [d for d in diffs if not (d[0] in {"add_index", "remove_index"} and d[1].name in RANKING_INDEXES)]


def test_migrations_build_exactly_the_models(fresh_engine):
    assert inspect(fresh_engine).get_table_names() == []
    create_schema(fresh_engine)
    assert current_revision(fresh_engine) == head_revision()
    assert schema_differences(fresh_engine) == []
    indexes = {i["name"] for t in ("credentials", "credential_aims") for i in inspect(fresh_engine).get_indexes(t)}
    assert RANKING_INDEXES <= indexes
    columns = {c["name"] for c in inspect(fresh_engine).get_columns("credentials")}
    assert {
        "learning_outcomes",
        "workload_hours",
        "prerequisites",
        "identity_verified",
        "skills",
        "further_information",
        "quality_score",
    } <= columns


def test_downgrade_and_upgrade_keep_the_catalogue(fresh_engine):
    load_catalog(fresh_engine, CATALOG)
    with session_scope(fresh_engine) as s:
        before = sorted(s.execute(select(Credential.id, Credential.title, Credential.quality_score)).all())
    downgrade(fresh_engine, "0001")
    columns = {c["name"] for c in inspect(fresh_engine).get_columns("credentials")}
    assert "quality_score" not in columns and "learning_outcomes" not in columns
    upgrade(fresh_engine)  # re-adds the columns and fills the derived ones again
    with session_scope(fresh_engine) as s:
        after = sorted(s.execute(select(Credential.id, Credential.title, Credential.quality_score)).all())
    # the evidence per fact went with revision 0005, so claims nothing confirmed may count again in the
    # score until the catalogue is loaded again; every credential and its score are back
    assert len(after) >= 150 and [a[:2] for a in after] == [b[:2] for b in before]
    assert all(a.quality_score is not None for a in after)
    load_catalog(fresh_engine, CATALOG)
    with session_scope(fresh_engine) as s:
        again = sorted(s.execute(select(Credential.id, Credential.title, Credential.quality_score)).all())
    assert again == before


def test_database_made_before_migrations_is_stamped_and_upgraded(fresh_engine):
    upgrade(fresh_engine, "0001")  # the first schema, as the first releases created it
    with fresh_engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(
            text(
                "INSERT INTO providers (id, name, kind, legitimacy) VALUES ('uni', 'A University', "
                "'university', 'verified')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO credentials (id, title, provider_id, credential_type, free_to_audit, "
                "source_url, last_checked, price_amount, price_currency, duration_weeks, hours_per_week) "
                "VALUES ('old-1', 'Old Course', 'uni', 'short_course', false, 'https://uni.example/old', "
                "'2025-01-01', 100, 'GBP', 4, 3)"
            )
        )
    create_schema(fresh_engine)
    assert current_revision(fresh_engine) == head_revision()
    with session_scope(fresh_engine) as s:
        row = s.get(Credential, "old-1")
        assert row.title == "Old Course" and row.cost_min == 100
        assert row.quality_score == 0.0  # verified provider, nothing else: filled in by the upgrade
