"""Shared fixtures: a real credential database (SQLite file, or PostgreSQL) loaded from the catalogue."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import socket
import uuid
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bot.advice.service import Advisor
from bot.catalogue.loading import load_catalog
from bot.catalogue.migrate import drop_schema
from bot.catalogue.models import make_engine
from bot.catalogue.reader import SqlCatalogue
from bot.settings import PROJECT_ROOT, load_settings

TODAY = dt.date(2026, 11, 23)
ENV = load_settings()
POSTGRES_URL = ENV.test_postgres_url
CHROMIUM = "/usr/bin/chromium"


def postgres_available(url: str = POSTGRES_URL) -> bool:
    """Whether the PostgreSQL server that ``url`` names accepts connections."""
    parsed = make_url(url)
    try:
        with socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 5432), timeout=1):
            return True
    except OSError:
        return False


def need_service(available: bool, what: str) -> None:
    """Skip with ``what`` as the reason when a service is missing, except in CI (``CI=true``), where
    the service is part of the machine and its absence is a failure, not a reason to skip."""
    if available:
        return
    if ENV.ci:
        pytest.fail(f"{what}, and CI=true: in CI this service must be present.", pytrace=False)
    pytest.skip(what)


def need_postgres(url: str = POSTGRES_URL) -> None:
    parsed = make_url(url)
    need_service(
        postgres_available(url),
        f"PostgreSQL is not running at {parsed.host or '127.0.0.1'}:{parsed.port or 5432} "
        "(start it, or set TEST_POSTGRES_URL, to run this case)",
    )


def need_chromium() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    need_service(bool(path), "Chromium is not installed (scripts/setup-system.sh installs Debian's chromium)")
    return path


@pytest.fixture
def settings(tmp_path: Path):
    return load_settings(
        {
            "ADVISOR_VAR_DIR": str(tmp_path),
            "CAREERS_CONTACT": "the Careers Hub, Library Building",
            "DEFAULT_CURRENCY": "GBP",
        }
    )


@pytest.fixture
def engine(settings):
    eng = make_engine(settings.database_url)
    load_catalog(eng, PROJECT_ROOT / "data" / "catalog")
    yield eng
    eng.dispose()


@pytest.fixture
def advisor(settings, engine):
    return Advisor(SqlCatalogue(engine), settings, today=TODAY)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request, tmp_path):
    """The same catalogue on both supported databases."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    else:
        need_postgres()
        schema = f"t_{uuid.uuid4().hex[:10]}"
        base = make_engine(POSTGRES_URL)
        with base.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        eng = make_engine(POSTGRES_URL)

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
    with base.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    base.dispose()


#: Ports handed to test servers come from below the kernel's ephemeral range (32768-60999 by default), so
#: that an outgoing connection cannot take a server's port before a restart binds it again.
TEST_PORTS = range(20000, 32000)


def free_port() -> int:
    for port in random.sample(TEST_PORTS, 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:  # (all taken: any free port)
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model in models/, trained first when the training data changed (as `make train`)."""
    from bot.nlu.training import ensure_model

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
    # a university's page on another origin that may embed the widget (tests/test_widget.py serves it)
    demo_origin = f"http://127.0.0.1:{free_port()}"
    extra = {"WIDGET_ORIGINS": demo_origin, "WIDGET_SESSION_DAYS": "30"}
    with running_stack(trained_model, var_dir, (free_port(), free_port(), free_port()), extra) as st:
        st.demo_origin = demo_origin
        yield st
