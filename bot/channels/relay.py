"""Rasa's REST channel for this project's own web server only.

Rasa's REST channel lets whoever reaches it choose the conversation (``sender``) it writes into. The web
server (the website widget, the local chat page) talks to Rasa through this channel instead, at
``/webhooks/relay/webhook``, with the relay key that both read from the same place (``RELAY_KEY``, or a
random key kept in the var directory): a request without it is refused. With ``REST_CHANNEL=off`` the
REST channel is not opened at all.

Two more routes serve a conversation handed to an adviser (:mod:`bot.channels.handoff`): ``/log`` keeps a
student's message without answering it, ``/say`` adds a message from the careers service.
"""

from __future__ import annotations

import logging

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import BotUttered
from sanic import response

from bot.channels.relay_key import relay_key, verify
from bot.channels.rest import CheckedRestInput
from bot.settings import load_settings

log = logging.getLogger(__name__)


class RelayInput(CheckedRestInput):
    """The REST channel, answering only requests that carry the relay key (and checked as the REST channel is)."""

    def __init__(self, key: str | None = None) -> None:
        self.key = key or relay_key(load_settings())

    @classmethod
    def name(cls) -> str:
        return "relay"

    @classmethod
    def from_credentials(cls, credentials: dict | None) -> RelayInput:
        return cls((credentials or {}).get("key"))

    def blueprint(self, on_new_message):
        bp = super().blueprint(on_new_message)

        @bp.middleware("request")
        async def needs_the_key(request):
            if not verify(self.key, request.headers, request.body or b""):
                log.warning("relay: a request not signed with the relay key was refused")
                return response.json({"error": "This channel is only for the assistant's own web server."}, 403)
            return None

        @bp.route("/log", methods=["POST"])
        async def log_only(request):
            """A student's message while an adviser has the conversation: kept, not answered."""
            sender, said = request.json.get("sender"), request.json.get("message")
            agent = request.app.ctx.agent
            async with agent.lock_store.lock(sender):
                message = UserMessage(
                    said, CollectingOutputChannel(), sender, input_channel=request.json.get("input_channel")
                )
                await agent.processor.log_message(message)
            return response.json({"logged": True})

        @bp.route("/say", methods=["POST"])
        async def say_to_student(request):
            """A message from the careers service (an adviser, or the relay telling what happens), added to
            the conversation as the assistant's side of it."""
            sender, said = request.json.get("sender"), request.json.get("text")
            agent = request.app.ctx.agent
            async with agent.lock_store.lock(sender):
                tracker = await agent.processor.fetch_tracker_with_initial_session(sender)
                tracker.update(BotUttered(said, metadata={"from": request.json.get("from") or "careers_service"}))
                await agent.tracker_store.save(tracker)
            return response.json({"said": True})

        return bp
