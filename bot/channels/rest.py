"""Rasa's REST channel (``/webhooks/rest/webhook``), checking what comes in before Rasa reads it.

Rasa's own REST channel takes any body: a 1 MB message goes to the language model, a number or a list
where text belongs ends in a 500, a NUL in the text or a sender id over 255 characters cannot be stored in
PostgreSQL. This channel answers those with 400 or 413 and a clear JSON message (:mod:`bot.channels.guard`)
and passes on everything else exactly as Rasa's does, right-to-left text and emoji included. It is named
``rest``, so its address, and the channel recorded with each message, stay Rasa's.

Rate limits belong to what stands in front of it (the cluster's balancer); a server of its own counts
nothing, so that benchmarks and tests from one address are never refused.

Two changes to what Rasa's channel answers, so that a client can send a message again safely:

- a message may carry the client's own id, ``"message_id"`` (1 to 64 letters, digits, ``-`` or ``_``),
  kept as the id of the message's user event. A message with an id the conversation already holds is a
  retry (the client did not get the first answer: a server stopped, a connection broke): it is not
  processed again but answered with the replies recorded for it (:mod:`bot.channels.faults`), so a
  retried message is recorded once and answered once;
- a message that could not be handled (the database or the lock store unreachable, a server error, no
  model loaded) is answered 503 with a JSON message, not 200 with an empty list as Rasa's channel does: the client knows
  to send it again.
"""

from __future__ import annotations

import inspect
import json
import logging
import math
import re
from asyncio import CancelledError

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response

from bot.channels import guard
from bot.settings import load_settings

#: the tracker store's sender_id column
MAX_SENDER_CHARS = 255
SHAPE = 'The request body must be a JSON object: {"sender": "…", "message": "…"}.'
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
NOT_ANSWERED = "The assistant could not answer this message just now; please send it again."

log = logging.getLogger(__name__)


class IdentifiedMessage(UserMessage):
    """A message that carries the client's own id: the same id again in one conversation is a retry."""


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
    message_id = data.get("message_id")
    if message_id is not None and not (isinstance(message_id, str) and MESSAGE_ID.match(message_id)):
        return 400, '"message_id" must be text of 1 to 64 letters, digits, "-" or "_".'
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
        """Rasa's REST routes (``/`` and ``/webhook``, ``?stream=true`` as Rasa's), with the body checked
        first, the client's message id kept, and 503 for a message that could not be handled."""
        module = inspect.getmodule(self)
        bp = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)
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

        @bp.route("/", methods=["GET"])
        async def health(request):
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request):
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():  # (Rasa would answer 200 with nothing: no model loaded)
                log.error("a message came while no model is loaded")
                return response.json({"error": NOT_ANSWERED}, 503)
            sender, text = await self._extract_sender(request), self._extract_message(request)
            channel, metadata = self._extract_input_channel(request), self.get_metadata(request)
            if bool_arg(request, "stream", default=False):
                stream = self.stream_response(on_new_message, text, sender, channel, metadata)
                return response.stream(stream, content_type="text/event-stream")
            collector = CollectingOutputChannel()
            message_id = request.json.get("message_id")
            kind = IdentifiedMessage if message_id else UserMessage
            message = kind(text, collector, sender, input_channel=channel, metadata=metadata, message_id=message_id)
            try:
                await on_new_message(message)
            except CancelledError:
                log.warning("a message was not answered: the request was cancelled")
                return response.json({"error": NOT_ANSWERED}, 503)
            except Exception as exc:  # noqa: BLE001 (whatever failed, the client is told to send it again)
                # (the class only: a database error's message can hold what the person wrote)
                log.error(
                    "a message could not be handled: %s",
                    exc.__class__.__name__,
                    exc_info=log.isEnabledFor(logging.DEBUG),
                )
                return response.json({"error": NOT_ANSWERED}, 503)
            return response.json(collector.messages)

        return bp
