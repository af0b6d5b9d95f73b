"""The key the web server shows Rasa's relay channel (:mod:`bot.channels.relay`), read by both from the
same place: ``RELAY_KEY``, or a random key kept in the var directory. (Kept apart from the channel so the
web server need not import Rasa.)"""

from __future__ import annotations

import secrets
from pathlib import Path

from bot.settings import Settings

HEADER = "X-Relay-Key"


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
