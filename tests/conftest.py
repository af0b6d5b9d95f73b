"""Shared fixtures: a real credential database (SQLite file, or PostgreSQL) loaded from the catalogue."""
from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from pathlib import Path

import pytest

from bot.advisor import Advisor
from bot.catalog import load_catalog
from bot.db import drop_schema, make_engine
from bot.settings import PROJECT_ROOT, load_settings

TODAY = dt.date(2026, 11, 23)
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_available(url: str = POSTGRES_URL) -> bool:
    host, port = "127.0.0.1", 5432
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def settings(tmp_path: Path):
    return load_settings({"ADVISOR_VAR_DIR": str(tmp_path), "CAREERS_CONTACT": "the Careers Hub, Library Building",
                          "DEFAULT_CURRENCY": "GBP"})


@pytest.fixture
def engine(settings):
    eng = make_engine(settings.database_url)
    load_catalog(eng, PROJECT_ROOT / "data" / "catalog")
    yield eng
    eng.dispose()


@pytest.fixture
def advisor(settings, engine):
    return Advisor(settings, engine, today=TODAY)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request, tmp_path):
    """The same catalogue on both supported databases."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    else:
        if not postgres_available():
            pytest.skip("PostgreSQL is not running on 127.0.0.1:5432 (start it to run this case)")
        from sqlalchemy import text

        schema = f"t_{uuid.uuid4().hex[:10]}"
        base = make_engine(POSTGRES_URL)
        with base.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        eng = make_engine(POSTGRES_URL)
        from sqlalchemy import event

        @event.listens_for(eng, "connect")
        def _set_path(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute(f"SET search_path TO {schema}")
            cur.close()

        request.addfinalizer(lambda: _drop_schema(base, schema))
    load_catalog(eng, PROJECT_ROOT / "data" / "catalog")
    yield eng
    drop_schema(eng)
    eng.dispose()


def _drop_schema(base, schema):
    from sqlalchemy import text

    with base.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    base.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model in models/, trained first when the training data changed (as `make train`)."""
    from bot.run import ensure_model

    return ensure_model()


@pytest.fixture(scope="session")
def stack(trained_model, tmp_path_factory):
    """The real action server, Rasa server and chat page on free ports, with a seeded database."""
    from tests.stack import running_stack

    var_dir = tmp_path_factory.mktemp("stack")
    s = load_settings({"ADVISOR_VAR_DIR": str(var_dir)})
    eng = make_engine(s.database_url)
    load_catalog(eng, PROJECT_ROOT / "data" / "catalog")
    eng.dispose()
    with running_stack(trained_model, var_dir, (free_port(), free_port(), free_port())) as st:
        yield st
