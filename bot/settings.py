"""The one place that reads settings from the environment.

Nothing here opens a connection: callers ask for a :class:`Settings` and pass it on.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"


@dataclass(frozen=True)
class Settings:
    database_url: str
    tracker_store_url: str
    catalog_dir: Path
    careers_contact: str
    default_currency: str | None
    stale_after_days: int = 365
    max_results: int = 5
    extra: dict = field(default_factory=dict)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    var_dir = Path(env.get("ADVISOR_VAR_DIR", DEFAULT_VAR_DIR))
    database_url = env.get("DATABASE_URL") or _sqlite_url(var_dir / "credentials.db")
    tracker_url = env.get("TRACKER_STORE_URL") or _sqlite_url(var_dir / "conversations.db")
    return Settings(
        database_url=database_url,
        tracker_store_url=tracker_url,
        catalog_dir=Path(env.get("CATALOG_DIR", PROJECT_ROOT / "data" / "catalog")),
        careers_contact=env.get(
            "CAREERS_CONTACT",
            "your university careers service (see the Careers pages of your university website)",
        ),
        # an amount said without a currency is read in this one (and the reply says so);
        # unset, the assistant asks which currency with buttons
        default_currency=(env.get("DEFAULT_CURRENCY") or "").upper() or None,
        stale_after_days=int(env.get("STALE_AFTER_DAYS", "365")),
    )
