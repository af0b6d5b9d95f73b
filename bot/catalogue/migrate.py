"""Schema migrations (Alembic, scripts in ``bot/catalogue/migrations/versions``), applied from code.

``advisor db upgrade`` and every command that opens the database call :func:`upgrade`. A database
made before migrations existed (tables present, no ``alembic_version``) is stamped at the first
revision and then upgraded, so nothing in it is lost.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from bot.catalogue.derived import refresh_search_columns
from bot.catalogue.models import Base

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"
#: the review app's tables (migration 0006) share this database under this prefix
REVIEW_PREFIX = "review_"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision``, then fill derived columns that are still empty."""
    with engine.begin() as conn:
        ctx = MigrationContext.configure(conn)
        if ctx.get_current_revision() is None and inspect(conn).has_table("credentials"):
            log.info("database made before migrations: stamping it at revision %s", FIRST_REVISION)
            command.stamp(alembic_config(conn), FIRST_REVISION)
        if ctx.get_current_revision() != head_revision() or revision != "head":
            command.upgrade(alembic_config(conn), revision)
    if revision == "head":
        refresh_search_columns(engine, only_missing=True)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


def create_schema(engine: Engine) -> None:
    """Bring the database to the newest schema through the migrations."""
    upgrade(engine)


def drop_schema(engine: Engine) -> None:
    """Remove every table of the catalogue (tests and benchmarks)."""
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        for table in inspect(conn).get_table_names():
            if table.startswith(REVIEW_PREFIX):
                conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
