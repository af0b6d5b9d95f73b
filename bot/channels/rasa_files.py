"""The channel and endpoint files a Rasa server of this project is started with.

``credentials.yml`` and ``endpoints.yml`` as they are, or copies written into the var directory when a
setting changes them: ``REST_CHANNEL=off`` leaves the REST channel out; ``REDACT_AT_STORAGE=on`` puts the
redacting tracker store in; ``LOCK_STORE_URL`` (``redis://host:port/db``) puts a Redis lock store (:mod:`bot.channels.lock_store`) in place
of the in-memory one, which several Rasa servers cannot share; ``EVENT_BROKER_URL``
(``amqp://user:password@host:port/vhost``) publishes every event to RabbitMQ, on the queue
:data:`EVENT_QUEUE`. Unset, none of these is there: one Rasa server, SQLite, no broker.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from bot.settings import PROJECT_ROOT, Settings

REDACTING_STORE = "bot.channels.tracker_store.RedactingSQLTrackerStore"
REST_CHANNELS = ("rest", "bot.channels.rest.CheckedRestInput")
#: the RabbitMQ queue every Rasa server publishes its events to (EVENT_BROKER_URL)
EVENT_QUEUE = "advisor_events"


def credentials_file(settings: Settings) -> str:
    """The channels Rasa opens: credentials.yml, without the REST channel when ``REST_CHANNEL=off``."""
    if settings.rest_channel:
        return "credentials.yml"
    channels = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text()) or {}
    for name in REST_CHANNELS:
        channels.pop(name, None)
    return _write(settings, "credentials.yml", "REST_CHANNEL=off", channels)


def lock_store(url: str) -> dict:
    """Rasa's Redis lock store for ``redis://[:password@]host[:port][/db]``."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError(f"LOCK_STORE_URL must look like redis://host:6379/1 (it is {url!r}).")
    store = {
        "type": "bot.channels.lock_store.AtomicRedisLockStore",
        "url": parts.hostname,
        "port": parts.port or 6379,
        "db": int(parts.path.strip("/") or 1),
        "key_prefix": "advisor",
        "use_ssl": parts.scheme == "rediss",
    }
    if parts.password:
        store["password"] = unquote(parts.password)
    if parts.username:
        store["username"] = unquote(parts.username)
    return store


def event_broker(url: str) -> dict:
    """Rasa's RabbitMQ (pika) event broker for ``amqp://user:password@host:port/vhost``."""
    parts = urlsplit(url)
    if parts.scheme not in ("amqp", "amqps") or not parts.hostname:
        raise ValueError(f"EVENT_BROKER_URL must look like amqp://guest:guest@127.0.0.1:5672/ (it is {url!r}).")
    port = parts.port or (5671 if parts.scheme == "amqps" else 5672)
    return {
        "type": "pika",
        "url": f"{parts.scheme}://{parts.hostname}:{port}{parts.path if parts.path not in ('', '/') else ''}",
        "port": port,
        "username": unquote(parts.username or "guest"),
        "password": unquote(parts.password or "guest"),
        "queues": [EVENT_QUEUE],
    }


def endpoints_file(settings: Settings) -> str:
    """Rasa's endpoints: endpoints.yml, or a copy with the redacting tracker store, the Redis lock store and
    the event broker that the settings ask for (README, "Configuration" and "A cluster")."""
    if not (settings.redact_at_storage or settings.lock_store_url or settings.event_broker_url):
        return "endpoints.yml"
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text()) or {}
    why = []
    if settings.redact_at_storage:
        endpoints["tracker_store"]["type"] = REDACTING_STORE
        why.append("REDACT_AT_STORAGE=on")
    if settings.lock_store_url:
        endpoints["lock_store"] = lock_store(settings.lock_store_url)
        why.append("LOCK_STORE_URL")
    if settings.event_broker_url:
        endpoints["event_broker"] = event_broker(settings.event_broker_url)
        why.append("EVENT_BROKER_URL")
    return _write(settings, "endpoints.yml", ", ".join(why), endpoints)


def _write(settings: Settings, name: str, why: str, content: dict) -> str:
    path = Path(settings.var_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"# Written by `make run` from {name}: {why}.\n" + yaml.safe_dump(content, sort_keys=False)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it may hold a password
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    return str(path)
