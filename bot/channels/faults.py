"""What a Rasa server of this project does when something it depends on fails (README, "A cluster").

:func:`install` changes three things in Rasa 3.6, before it starts (``bot.rasa_server``):

- **The action server down: an apology with the careers contact.** Rasa logs a failed action call and
  carries on without the action's events, so the person gets no answer, or half of one. Here a call
  that cannot reach the action servers (refused, broken, a 5xx, a time-out), for a custom action or for
  a form's validation, is answered with :data:`ACTIONS_DOWN` (``CAREERS_CONTACT`` filled in), once per
  message, and the turn ends there (the action's events are lost, as Rasa's are, so the conversation is
  where it was); the next message tries the action servers again, and gets normal answers once they are back.
- **A conversation that cannot be read or saved is an error, not a copy in memory.** Rasa's
  ``FailSafeTrackerStore`` saves a tracker it could not write into this process's memory (lost from the
  database and from every other server) and treats a tracker it could not read as a new conversation.
  Here the error goes on to the channel, which answers 503 (:mod:`bot.channels.rest`), and the client
  sends the message again; the tracker store itself first retries a dropped database connection
  (:mod:`bot.channels.tracker_store`).
- **A retried message is answered from the record.** A message carrying the client's id
  (:class:`bot.channels.rest.IdentifiedMessage`) whose id the conversation already holds was processed
  before (its answer was lost on the way back): the replies recorded after it are sent again and nothing
  is processed or recorded twice. The check runs while the conversation's lock is held, so a retry that
  arrives while the first attempt is still running waits for it and then finds it.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from typing import Any

import aiohttp
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import BotUttered, Event, FollowupAction, UserUttered
from rasa.shared.exceptions import RasaException

from bot.channels.rest import IdentifiedMessage
from bot.settings import load_settings

log = logging.getLogger(__name__)

ACTIONS_DOWN = (
    "Sorry, part of the assistant is not responding right now, so I can't look up options or answer that "
    "properly. Please try again in a few minutes; if it keeps happening, contact {contact}."
)


def actions_down_text() -> str:
    return ACTIONS_DOWN.format(contact=load_settings().careers_contact)


def apologised_this_turn(tracker, text: str) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.text == text:
            return True
    return False


#: the action calls of the action being run that could not reach the action servers
_FAILED_CALLS: contextvars.ContextVar[list | None] = contextvars.ContextVar("failed_action_calls", default=None)


def noting_failures(run):
    """``RemoteAction.run``, noting a call that could not reach the action servers (then failing as before)."""

    async def run_noted(self: RemoteAction, output_channel, nlg, tracker, domain) -> list[Event]:
        try:
            return await run(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise  # (the action's own refusal: the policies predict something else)
        except (RasaException, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            failed = _FAILED_CALLS.get()
            if failed is not None:
                failed.append(self.name())
            log.error("action %s failed (%s): the person is told to try again later", self.name(), type(exc).__name__)
            raise

    run_noted.notes_failures = True
    return run_noted


def apologising(run_action):
    """``MessageProcessor._run_action``: when the action (a custom action, or a form validated by one) could
    not reach the action servers, the apology is said (once per message) and the turn ends."""

    async def run_or_apologise(self: MessageProcessor, action, tracker, output_channel, nlg, prediction) -> bool:
        token = _FAILED_CALLS.set([])
        try:
            go_on = await run_action(self, action, tracker, output_channel, nlg, prediction)
            failed = _FAILED_CALLS.get()
        finally:
            _FAILED_CALLS.reset(token)
        if not failed:
            return go_on
        text = actions_down_text()
        if not apologised_this_turn(tracker, text):
            apology = BotUttered(text)
            tracker.update(apology)
            await output_channel.send_response(tracker.sender_id, apology.message())
        tracker.update(FollowupAction(ACTION_LISTEN_NAME))  # (the next action predicted: listen)
        return True

    run_or_apologise.apologises = True
    return run_or_apologise


async def recorded_replies(store, sender_id: str, message_id: str) -> list[dict[str, Any]] | None:
    """The replies recorded after the message ``message_id`` of the conversation (as Rasa sends them to a
    channel), or None when the conversation holds no such message."""
    store = getattr(store, "_tracker_store", store)  # (inside Rasa's FailSafeTrackerStore)
    if hasattr(store, "events_after_message"):
        events = await store.events_after_message(sender_id, message_id)
    else:
        tracker = await store.retrieve_full_tracker(sender_id)
        events = _after(tracker.events if tracker else [], message_id)
    if events is None:
        return None
    return [e.message() for e in events if isinstance(e, BotUttered)]


def _after(events, message_id: str) -> list[Event] | None:
    for i, event in enumerate(events):
        if isinstance(event, UserUttered) and event.message_id == message_id:
            rest = events[i + 1 :]
            end = next((j for j, e in enumerate(rest) if isinstance(e, UserUttered)), len(rest))
            return list(rest[:end])
    return None


def answering_retries(handle_message):
    """``MessageProcessor.handle_message``, answering a message already recorded from the record."""

    async def handle_once(self: MessageProcessor, message):
        if isinstance(message, IdentifiedMessage):
            replies = await recorded_replies(self.tracker_store, message.sender_id, message.message_id)
            if replies is not None:
                log.warning("a message sent again was answered from the record")
                for reply in replies:
                    await message.output_channel.send_response(message.sender_id, dict(reply))
                channel = message.output_channel
                return channel.messages if isinstance(channel, CollectingOutputChannel) else None
        return await handle_message(self, message)

    handle_once.answers_retries = True
    return handle_once


async def _save(self: FailSafeTrackerStore, tracker) -> None:
    await self._tracker_store.save(tracker)


async def _retrieve(self: FailSafeTrackerStore, sender_id: str):
    return await self._tracker_store.retrieve(sender_id)


async def _retrieve_full(self: FailSafeTrackerStore, sender_id: str):
    return await self._tracker_store.retrieve_full_tracker(sender_id)


def install() -> None:
    if not getattr(RemoteAction.run, "notes_failures", False):
        RemoteAction.run = noting_failures(RemoteAction.run)
    if not getattr(MessageProcessor._run_action, "apologises", False):
        MessageProcessor._run_action = apologising(MessageProcessor._run_action)
    if not getattr(MessageProcessor.handle_message, "answers_retries", False):
        MessageProcessor.handle_message = answering_retries(MessageProcessor.handle_message)
    FailSafeTrackerStore.save = _save
    FailSafeTrackerStore.retrieve = _retrieve
    FailSafeTrackerStore.retrieve_full_tracker = _retrieve_full
