"""How the web server and the Slack relay sign what they send Rasa's relay channel (:mod:`bot.channels.relay`):
HMAC-SHA256 over the timestamp and the body, with the key both read from the same place (``RELAY_KEY``, or
a random key kept in the var directory); the channel refuses a request whose signature does not match or
whose timestamp is more than 5 minutes away. (Kept apart from the channel so the web server need not
import Rasa.)"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from pathlib import Path

from bot.settings import Settings

SIGNATURE, TIMESTAMP = "X-Relay-Signature", "X-Relay-Timestamp"
WINDOW_SECONDS = 300


def signature(key: str, timestamp: str, raw: bytes) -> str:
    return "v1=" + hmac.new(key.encode(), timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()


def verify(key: str, headers, raw: bytes, now: float | None = None) -> bool:
    """Whether ``raw`` was signed with ``key`` less than 5 minutes ago (either way)."""
    timestamp = headers.get(TIMESTAMP, "")
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    given = headers.get(SIGNATURE, "")
    return age <= WINDOW_SECONDS and hmac.compare_digest(given.encode(), signature(key, timestamp, raw).encode())


class RelaySigner:
    """Posts JSON to Rasa's relay channel, signed with the relay key (unsigned when there is none)."""

    def __init__(self, key: str | None):
        self.key = key

    def post(self, session, url: str, body: dict):
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.key:
            timestamp = str(int(time.time()))
            headers.update({TIMESTAMP: timestamp, SIGNATURE: signature(self.key, timestamp, raw)})
        return session.post(url, data=raw, headers=headers)


def relay_key(settings: Settings) -> str:
    """``RELAY_KEY``, or a random key kept (readable by this user only) in the var directory."""
    if settings.relay_key:
        return settings.relay_key
    path = Path(settings.var_dir) / "relay_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()
