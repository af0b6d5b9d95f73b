"""The one place that reads settings from the environment (README, "Configuration").

Nothing else in the project reads ``os.environ``: callers ask for a :class:`Settings` and pass it on.
Nothing here opens a connection. A value that cannot be used (a port that is not a number) stops
with a message naming the variable.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"
#: the sentences the assistant says (bot.language.messages), which staff may edit
DEFAULT_MESSAGES_FILE = PROJECT_ROOT / "data" / "messages.yml"
DEFAULT_CONTACT = "your university careers service (see the Careers pages of your university website)"
DEFAULT_REFERRAL = (
    "If you are not a student or graduate of this university, the public careers service where you live can "
    "help (for example the National Careers Service in England, Skills Development Scotland, or your "
    "country's public employment service)."
)


class SettingsError(ValueError):
    """An environment variable holds a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    tracker_store_url: str
    catalog_dir: Path
    careers_contact: str = DEFAULT_CONTACT
    #: who else can help people who are not students here (workers, career changers, the public)
    referral: str = DEFAULT_REFERRAL
    default_currency: str | None = None
    #: facts checked longer ago than this many days carry a warning
    stale_after_days: int = 365
    #: exam fees and subscription prices change faster: their confirmations age after this many days
    price_stale_after_days: int = 183
    max_results: int = 5
    #: seconds a recommendation read from the catalogue is reused for the same question (0: never); an
    #: import or recheck shows in answers within this time
    catalogue_cache_seconds: int = 60
    var_dir: Path = DEFAULT_VAR_DIR
    messages_file: Path = DEFAULT_MESSAGES_FILE
    tracker_store_dialect: str = "sqlite"
    #: the interface every server of `make run` listens on
    bind_host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int = 8080
    action_endpoint_url: str = "http://127.0.0.1:5055/webhook"
    #: seconds the chat page waits for the assistant before telling the person to try again
    relay_timeout: float = 60.0
    # for the parts to come: the website widget, the Slack relay, the review app, the cluster
    widget_origins: tuple[str, ...] = ()
    #: how long a widget conversation (and its key in the browser) lasts
    widget_session_days: int = 30
    #: signs the widget's conversation keys (unset: a random one kept in the var directory)
    widget_secret: str | None = field(default=None, repr=False)
    #: Rasa's REST channel, open to whoever reaches Rasa's port (the web server does not need it)
    rest_channel: bool = True
    #: the key the web server shows Rasa's relay channel (unset: a random one kept in the var directory)
    relay_key: str | None = field(default=None, repr=False)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_port: int = 3000
    slack_api_url: str | None = None
    #: the Slack channel where requests for a person are posted for an adviser to take
    slack_handoff_channel: str | None = None
    review_port: int = 8090
    #: conversations older than this many days are purged (review app, `advisor conversations purge`)
    review_retention_days: int = 180
    #: signs and encrypts the review app's session cookies (unset: a random one kept in the var directory)
    review_secret: str | None = field(default=None, repr=False)
    #: the review app is served over HTTPS (behind a proxy): its session cookie is then sent only over HTTPS
    review_https: bool = False
    #: the tracker store keeps messages with e-mail addresses, phone numbers and student ids redacted
    redact_at_storage: bool = False
    #: what a student id looks like in this university (redacted like e-mail addresses and phone numbers)
    student_id_pattern: str = r"\b[A-Za-z]{0,2}\d{7,9}\b"
    lock_store_url: str | None = None
    event_broker_url: str | None = field(default=None, repr=False)
    #: the largest request body an entry point takes (413 past it)
    max_body_kb: int = 64
    #: messages one client may send per ``rate_limit_seconds`` (429 past it; 0: no limit)
    rate_limit_messages: int = 60
    rate_limit_seconds: int = 60
    #: proxies (addresses) whose X-Forwarded-For names the client, e.g. the cluster's balancer
    trusted_proxies: tuple[str, ...] = ()
    #: the PostgreSQL database of `make run-cluster` (catalogue and conversations), created if missing
    cluster_database_url: str = "postgresql://postgres@127.0.0.1:5432/advisor_cluster"
    # tests and benchmarks
    ci: bool = False
    test_postgres_url: str = "postgresql://postgres@127.0.0.1:5432/test"
    bench_postgres_url: str = "postgresql://postgres@127.0.0.1:5432/test"


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _int(env: dict[str, str], name: str, default: int, low: int = 0, high: int | None = None) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a whole number (it is {raw!r}).") from None
    if value < low or (high is not None and value > high):
        raise SettingsError(f"{name} must be between {low} and {high} (it is {value}).")
    return value


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds (it is {raw!r}).") from None
    if value <= 0:
        raise SettingsError(f"{name} must be more than 0 (it is {raw}).")
    return value


def _switch(env: dict[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in {"on", "true", "1", "yes"}:
        return True
    if raw in {"off", "false", "0", "no"}:
        return False
    raise SettingsError(f"{name} must be on or off (it is {env.get(name)!r}).")


def _pattern(env: dict[str, str], name: str, default: str) -> str:
    raw = env.get(name) or default
    try:
        re.compile(raw)
    except re.error as exc:
        raise SettingsError(f"{name} is not a regular expression Python can read ({exc}).") from None
    return raw


def _dialect(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0]


def messages_file(env: dict[str, str] | None = None) -> Path:
    """The messages file (``MESSAGES_FILE``): read on its own, because the messages are loaded when
    :mod:`bot.language.messages` is imported, before any :class:`Settings` is passed on."""
    env = os.environ if env is None else env
    return Path(env.get("MESSAGES_FILE") or DEFAULT_MESSAGES_FILE)


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    var_dir = Path(env.get("ADVISOR_VAR_DIR") or DEFAULT_VAR_DIR)
    database_url = env.get("DATABASE_URL") or _sqlite_url(var_dir / "credentials.db")
    tracker_url = env.get("TRACKER_STORE_URL") or _sqlite_url(var_dir / "conversations.db")
    actions_port = _int(env, "ACTIONS_PORT", 5055, 1, 65535)
    bind_host = env.get("BIND_HOST") or "127.0.0.1"
    return Settings(
        database_url=database_url,
        tracker_store_url=tracker_url,
        catalog_dir=Path(env.get("CATALOG_DIR") or PROJECT_ROOT / "data" / "catalog"),
        careers_contact=env.get("CAREERS_CONTACT") or DEFAULT_CONTACT,
        referral=env.get("REFERRAL_TEXT") or DEFAULT_REFERRAL,
        # an amount said without a currency is read in this one (and the reply says so);
        # unset, the assistant asks which currency with buttons
        default_currency=(env.get("DEFAULT_CURRENCY") or "").strip().upper() or None,
        stale_after_days=_int(env, "STALE_AFTER_DAYS", 365, 1),
        price_stale_after_days=_int(env, "PRICE_STALE_AFTER_DAYS", 183, 1),
        catalogue_cache_seconds=_int(env, "CATALOGUE_CACHE_SECONDS", 60, 0, 3600),
        var_dir=var_dir,
        messages_file=messages_file(env),
        tracker_store_dialect=env.get("TRACKER_STORE_DIALECT") or _dialect(tracker_url),
        bind_host=bind_host,
        rasa_port=_int(env, "RASA_PORT", 5005, 1, 65535),
        actions_port=actions_port,
        web_port=_int(env, "WEB_PORT", 8080, 1, 65535),
        action_endpoint_url=env.get("ACTION_ENDPOINT_URL") or f"http://127.0.0.1:{actions_port}/webhook",
        relay_timeout=_float(env, "RELAY_TIMEOUT_SECONDS", 60.0),
        widget_origins=tuple(o.strip().rstrip("/") for o in (env.get("WIDGET_ORIGINS") or "").split(",") if o.strip()),
        widget_session_days=_int(env, "WIDGET_SESSION_DAYS", 30, 1, 3650),
        widget_secret=env.get("WIDGET_SECRET") or None,
        rest_channel=_switch(env, "REST_CHANNEL", True),
        relay_key=env.get("RELAY_KEY") or None,
        slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        slack_app_token=env.get("SLACK_APP_TOKEN") or None,
        slack_port=_int(env, "SLACK_PORT", 3000, 1, 65535),
        slack_api_url=env.get("SLACK_API_URL") or None,
        slack_handoff_channel=env.get("SLACK_HANDOFF_CHANNEL") or None,
        review_port=_int(env, "REVIEW_PORT", 8090, 1, 65535),
        review_retention_days=_int(env, "REVIEW_RETENTION_DAYS", 180, 1, 36500),
        review_secret=env.get("REVIEW_SECRET") or None,
        review_https=_switch(env, "REVIEW_HTTPS", False),
        redact_at_storage=_switch(env, "REDACT_AT_STORAGE", False),
        student_id_pattern=_pattern(env, "STUDENT_ID_PATTERN", r"\b[A-Za-z]{0,2}\d{7,9}\b"),
        lock_store_url=env.get("LOCK_STORE_URL") or None,
        event_broker_url=env.get("EVENT_BROKER_URL") or None,
        max_body_kb=_int(env, "MAX_BODY_KB", 64, 1, 10240),
        rate_limit_messages=_int(env, "RATE_LIMIT_MESSAGES", 60, 0),
        rate_limit_seconds=_int(env, "RATE_LIMIT_SECONDS", 60, 1, 86400),
        trusted_proxies=tuple(p.strip() for p in (env.get("TRUSTED_PROXIES") or "").split(",") if p.strip()),
        cluster_database_url=env.get("CLUSTER_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/advisor_cluster",
        ci=(env.get("CI") or "").strip().lower() in {"1", "true", "yes"},
        test_postgres_url=env.get("TEST_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/test",
        bench_postgres_url=env.get("BENCH_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/test",
    )


def environment(**overrides: str) -> dict[str, str]:
    """This process's environment with ``overrides`` on top (for :func:`load_settings`)."""
    return {**os.environ, **overrides}


def child_environment(settings: Settings, base: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
    """The environment for a server this project starts: ``base`` (this process's own by default),
    with the settings that Rasa's ``endpoints.yml`` reads filled in, and ``extra`` on top."""
    env = dict(os.environ if base is None else base)
    env.update(
        ACTION_ENDPOINT_URL=settings.action_endpoint_url,
        TRACKER_STORE_URL=settings.tracker_store_url,
        TRACKER_STORE_DIALECT=settings.tracker_store_dialect,
    )
    env.update(extra)
    return env
