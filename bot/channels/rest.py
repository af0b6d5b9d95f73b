"""Rasa's REST channel (``/webhooks/rest/webhook``), checking what comes in before Rasa reads it.

Rasa's own REST channel takes any body: a 1 MB message goes to the language model, a number or a list
where text belongs ends in a 500, a NUL in the text or a sender id over 255 characters cannot be stored in
PostgreSQL. This channel answers those with 400 or 413 and a clear JSON message (:mod:`bot.channels.guard`)
and passes on everything else exactly as Rasa's does, right-to-left text and emoji included. It is named
``rest``, so its address, and the channel recorded with each message, stay Rasa's.

Rate limits belong to what stands in front of it (the cluster's balancer); a server of its own counts
nothing, so that benchmarks and tests from one address are never refused.
"""

from __future__ import annotations

import json
import math

from rasa.core.channels.rest import RestInput
from sanic import response

from bot.channels import guard
from bot.settings import load_settings

#: the tracker store's sender_id column
MAX_SENDER_CHARS = 255
SHAPE = 'The request body must be a JSON object: {"sender": "…", "message": "…"}.'


def check(body: bytes, max_bytes: int) -> tuple[int, str] | dict:
    """The request's JSON with its message cleaned, or the status and message that refuse it."""
    if len(body) > max_bytes:
        return 413, guard.TOO_LARGE.format(kb=math.ceil(max_bytes / 1024))
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return 400, guard.NOT_UTF8
    except ValueError:
        return 400, SHAPE
    if not isinstance(data, dict):
        return 400, SHAPE
    message, sender = data.get("message"), data.get("sender")
    if not isinstance(message, str):
        return 400, '"message" must be text.'
    if sender is not None and (
        not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS or guard.clean_text(sender) != sender
    ):
        return 400, f'"sender" must be text of 1 to {MAX_SENDER_CHARS} printable characters.'
    for name, kind in (("metadata", dict), ("input_channel", str)):
        if data.get(name) is not None and not isinstance(data[name], kind):
            return 400, f'"{name}" must be {"an object" if kind is dict else "text"}.'
    message = guard.clean_text(message)
    if not message.strip():
        return 400, guard.EMPTY
    return {**data, "message": message}


class CheckedRestInput(RestInput):
    """Rasa's REST channel, refusing bodies that are too large, not JSON objects, or not text."""

    max_bytes: int | None = None

    def body_limit(self) -> int:
        if self.max_bytes is None:
            self.max_bytes = guard.body_limit(load_settings())
        return self.max_bytes

    def blueprint(self, on_new_message):
        bp = super().blueprint(on_new_message)
        limit = self.body_limit()

        @bp.middleware("request")
        async def checked(request):
            if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
                return None
            checked_body = check(request.body or b"", limit)
            if isinstance(checked_body, tuple):
                status, message = checked_body
                return response.json({"error": message}, status)
            request.parsed_json = checked_body  # what Rasa's channel reads as request.json
            return None

        return bp
