"""Alembic environment: runs on the connection that :func:`bot.catalogue.migrate.upgrade` hands over,
or, from the ``alembic`` command line, on ``DATABASE_URL`` (default: the SQLite file)."""

from __future__ import annotations

from alembic import context

from bot.catalogue.models import Base, make_engine
from bot.settings import load_settings

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(load_settings().database_url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
