"""Credential database: SQLAlchemy models and the engine/session factory.

Nothing is created at import time. Call :func:`make_engine` at start-up,
:func:`bot.catalogue.migrate.create_schema` once (it applies the Alembic migrations in ``bot/catalogue/migrations``), and use :func:`session_scope`
for one unit of work.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    desc,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, relationship
from sqlalchemy.pool import QueuePool

Base = declarative_base()


class Provider(Base):
    __tablename__ = "providers"

    id = Column(String(80), primary_key=True)
    name = Column(String(255), nullable=False)
    kind = Column(String(40), nullable=False)
    country = Column(String(2))
    website = Column(String(500))
    legitimacy = Column(String(20), nullable=False, default="unverified")
    legitimacy_evidence = Column(Text)
    former_names = Column(Text, default="[]")  # JSON list: names it was known by (renamed providers)


#: Columns of a credential copied onto each of its credential_aims rows (kept in step by bot.catalogue.search).
SEARCH_COPIES = (
    "quality_score",
    "cost_rank",
    "price_amount",
    "price_currency",
    "price_basis",
    "cost_min",
    "cost_min_usd",
    "duration_weeks",
    "hours_per_week",
    "delivery_mode",
    "level",
    "credential_type",
    "credit_value",
    "credit_status",
    "provider_kind",
)


class CredentialAim(Base):
    __tablename__ = "credential_aims"

    credential_id = Column(String(80), ForeignKey("credentials.id", ondelete="CASCADE"), primary_key=True)
    aim = Column(String(40), primary_key=True, index=True)
    # Copies of the credential's ranking and filtering columns (SEARCH_COPIES), so that one index gives
    # an aim's credentials best first and the person's constraints are checked without leaving it.
    quality_score = Column(Float)
    cost_rank = Column(Float)
    price_amount = Column(Float)
    price_currency = Column(String(3))
    price_basis = Column(String(20))
    cost_min = Column(Float)
    cost_min_usd = Column(Float)
    duration_weeks = Column(Float)
    hours_per_week = Column(Float)
    delivery_mode = Column(String(40))
    level = Column(String(20))
    credential_type = Column(String(40))
    credit_value = Column(Float)
    credit_status = Column(String(20))
    provider_kind = Column(String(40))

    # The index holds the copies too (trailing columns), so that reading an aim's credentials in rank
    # order and checking the constraints never leaves the index.
    __table_args__ = (
        Index(
            "ix_credential_aims_rank",
            "aim",
            desc("quality_score"),
            "cost_rank",
            "credential_id",
            *(name for name in SEARCH_COPIES if name not in ("quality_score", "cost_rank")),
        ),
    )


class Recognition(Base):
    __tablename__ = "recognitions"

    id = Column(Integer, primary_key=True, autoincrement=True)
    credential_id = Column(String(80), ForeignKey("credentials.id", ondelete="CASCADE"), index=True, nullable=False)
    by = Column(String(255), nullable=False)
    url = Column(String(500))


class FactEvidence(Base):
    """What confirms one fact of a credential (or an explicit "unconfirmed" mark): bot.catalogue.evidence."""

    __tablename__ = "fact_evidence"

    id = Column(Integer, primary_key=True, autoincrement=True)
    credential_id = Column(String(80), ForeignKey("credentials.id", ondelete="CASCADE"), index=True, nullable=False)
    fact = Column(String(40), nullable=False)  # bot.model.EVIDENCE_FACTS or "recognition"
    item = Column(Integer, nullable=False, default=0)  # the recognition claim's place in its list
    confirmed = Column(Boolean, nullable=False)
    source = Column(String(500))  # the page's address, or the listing file
    line = Column(Integer)  # the listing file's row
    says = Column(Text)  # a short quote, or the figure as the source gives it
    checked = Column(Date)
    checked_by = Column(String(200))
    page_date = Column(String(40))  # the date the source itself shows, as it shows it


class Credential(Base):
    __tablename__ = "credentials"

    id = Column(String(80), primary_key=True)
    title = Column(String(300), nullable=False)
    provider_id = Column(String(80), ForeignKey("providers.id"), nullable=False, index=True)
    platform_id = Column(String(80), ForeignKey("providers.id"))
    credential_type = Column(String(40), nullable=False)
    topics = Column(Text, default="[]")  # JSON list, lower case
    price_amount = Column(Float)  # null = unknown
    price_currency = Column(String(3))
    price_basis = Column(String(20), default="one_off")  # one_off | per_month
    free_to_audit = Column(Boolean, nullable=False, default=False)
    certificate_price = Column(Float)
    duration_weeks = Column(Float)
    hours_per_week = Column(Float)
    delivery_mode = Column(String(40))
    level_eqf = Column(Integer)
    level = Column(String(20))
    credit_value = Column(Float)
    credit_system = Column(String(10))  # ECTS | UK_CATS | US | null
    credit_status = Column(String(20))  # awarded | recommended | pathway | null
    credit_note = Column(Text)
    assessment_type = Column(Text)
    assessment_supervised = Column(Boolean)
    qa_type = Column(Text)
    qa_body = Column(String(255))
    stackable_into = Column(Text)
    issuer_country = Column(String(2))
    language = Column(String(10))
    source_url = Column(String(500), nullable=False)
    last_checked = Column(Date, nullable=False)
    # EU Council Recommendation 2022/C 243/02, Annex I elements not covered above (docs/schema.md)
    learning_outcomes = Column(Text, default="[]")  # JSON list of outcome statements
    workload_hours = Column(Float)  # notional workload, hours, assessment included
    prerequisites = Column(Text)
    identity_verified = Column(Boolean)  # identity checked at assessment
    skills = Column(Text, default="[]")  # JSON list, lower case
    further_information = Column(Text)
    # The fields it serves (data/fields.yml codes), curated; the first is its main field. "|code|code|"
    fields_key = Column(String(400))
    # Where it is offered, when only there (bot.model.REGIONS_OFFERED codes): "|england|"; null: anywhere
    regions_key = Column(String(200))
    # Derived by bot.catalogue.search from the fields above, so that the recommendation query runs in SQL.
    cost_min = Column(Float)  # least cost of the certificate, own currency (null = unknown)
    cost_min_usd = Column(Float)  # the same in US dollars at the dated rate (null = unknown or no rate)
    quality_score = Column(Float)  # the part of the ranking score that does not depend on the person
    cost_rank = Column(Float)  # cost_min_usd, or 1e12 when unknown: the ranking's tie-breaker
    aims_key = Column(String(400))  # its career aims, sorted, as "|aim|aim|"
    provider_kind = Column(String(40))  # its provider's kind, for the provider filter
    price_scope = Column(String(20))  # programme | platform (a subscription to the whole platform)
    access_weeks = Column(Float)  # access that expires after this many weeks (null: does not, or unknown)
    credit_eligibility = Column(Text)  # who can receive the credit, when not everyone can
    co_providers = Column(Text, default="[]")  # JSON list of provider ids offering it jointly
    status = Column(String(20), default="active")  # active | retired (kept, never recommended)
    status_note = Column(Text)

    __table_args__ = (
        Index("ix_credentials_rank", desc("quality_score"), "cost_rank", "id"),
        Index("ix_credentials_aimset_rank", "aims_key", desc("quality_score"), "cost_rank", "id"),
    )

    provider = relationship(Provider, foreign_keys=[provider_id], lazy="joined")
    platform = relationship(Provider, foreign_keys=[platform_id], lazy="joined")
    aims = relationship(CredentialAim, cascade="all, delete-orphan", lazy="selectin")
    recognitions = relationship(Recognition, cascade="all, delete-orphan", lazy="selectin")
    evidence = relationship(FactEvidence, cascade="all, delete-orphan", lazy="selectin")


class AimSet(Base):
    """Each combination of career aims that credentials serve, with how many serve it (for bot.catalogue.search)."""

    __tablename__ = "aim_sets"

    aims_key = Column(String(400), primary_key=True)
    credentials = Column(Integer, nullable=False)


class ExchangeRate(Base):
    """How many US dollars one unit of ``currency`` was worth on ``as_of``."""

    __tablename__ = "exchange_rates"

    currency = Column(String(3), primary_key=True)
    usd_per_unit = Column(Float, nullable=False)
    as_of = Column(Date, nullable=False)
    source = Column(String(300), nullable=False)


def make_engine(url: str, echo: bool = False) -> Engine:
    """Create an engine for ``url``; SQLite files get their folder created and are thread-safe."""
    # the recommendation query has many shapes (which constraints were stated): keep them all compiled
    kwargs: dict = {"echo": echo, "future": True, "query_cache_size": 2000}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            # keep connections (and so SQLite's page cache) between requests instead of reopening the file
            kwargs["poolclass"] = QueuePool
    else:
        kwargs["pool_pre_ping"] = True
        if url.startswith("postgresql"):
            # The app's queries are short indexed lookups: parallel workers cost more to start than the
            # query takes, and random reads are priced as on the SSDs databases run on today.
            kwargs["connect_args"] = {"options": "-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"}
    return create_engine(url, **kwargs)


@contextlib.contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One session per unit of work: committed on success, rolled back on error."""
    session = Session(bind=engine, future=True, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
