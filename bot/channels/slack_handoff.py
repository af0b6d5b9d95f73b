"""The warm handoff: a student (on the website or in Slack) asks for a person; the Slack relay posts a
short, redacted summary to ``SLACK_HANDOFF_CHANNEL`` with a button to take it. Whoever takes it has the
conversation: the assistant stops answering it, what the student writes appears in the summary's thread,
what the adviser writes there reaches the student, and "hand back" returns the student to the assistant.
The student is told at each step."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.handoff import HandoffStore, redact
from bot.channels.slack_blocks import escape
from bot.language.messages import say

log = logging.getLogger(__name__)

TAKE_ACTION = "handoff-take"
HAND_BACK = {"hand back", "handback", "hand it back", "hand back."}
POLL_SECONDS = 1.0


def _where(sender: str) -> str:
    if sender.startswith("w-"):
        return "the website widget"
    if sender.startswith("slack:"):
        return "Slack"
    return "the chat page"


def summary_blocks(sender: str, slots: dict) -> list[dict]:
    """What the adviser needs to decide, and nothing that identifies the student."""
    budget = (slots.get("budget") or {}).get("text") or "not said"
    weeks, hours = slots.get("weeks"), slots.get("hours_per_week")
    time_ = ", ".join(p for p in (weeks and f"{weeks:g} weeks", hours and f"{hours:g} h a week") if p) or "not said"
    aims = ", ".join([*(slots.get("career_aim") or []), *(slots.get("fields") or [])]) or "not said"
    shortlisted = ", ".join((slots.get("shown_ids") or [])[:5]) or "nothing yet"
    lines = [
        f"*A student asks for an adviser* (on {_where(sender)})",
        f"Aim: {aims}",
        f"Budget: {budget}",
        f"Time: {time_}",
        f"Shortlisted: {shortlisted}",
    ]
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(redact("\n".join(lines)))}},
        {
            "type": "actions",
            "block_id": "handoff",
            "elements": [
                {
                    "type": "button",
                    "action_id": TAKE_ACTION,
                    "style": "primary",
                    "text": {"type": "plain_text", "text": "Take this conversation"},
                    "value": sender,
                }
            ],
        },
    ]


class HandoffDesk:
    def __init__(self, relay, channel: str):
        self.relay = relay
        self.channel = channel
        self.store = HandoffStore(engine=relay.seen.engine)
        self.say_url = relay.url.rsplit("/", 1)[0] + "/say"
        self.watermark: int | None = None

    async def tell_student(self, client: AsyncWebClient, sender: str, text: str) -> None:
        if sender.startswith("slack:"):  # a student in Slack: in their own thread
            _slack, _team, _user, channel, thread = sender.split(":", 4)
            await client.chat_postMessage(channel=channel, thread_ts=thread, text=escape(text))
            return
        await self.relay.post(self.say_url, {"sender": sender, "text": text})

    async def watch(self, client: AsyncWebClient) -> None:
        """Every second: new requests for a person, and what students with an adviser wrote."""
        while True:
            try:
                await self.poll(client)
            except Exception:  # keep watching whatever one round met
                log.exception("handoff: a round of watching failed")
            await asyncio.sleep(POLL_SECONDS)

    async def poll(self, client: AsyncWebClient) -> None:
        store = self.store
        if self.watermark is None:  # requests made before the relay started are not posted again
            self.watermark = await asyncio.to_thread(store.last_event_id)
            return
        for event_id, sender in await asyncio.to_thread(store.requests_after, self.watermark):
            self.watermark = max(self.watermark, event_id)
            if await self.relay.first(f"handoff:{event_id}"):
                slots = await asyncio.to_thread(store.slots, sender)
                await client.chat_postMessage(
                    channel=self.channel, text="A student asks for an adviser", blocks=summary_blocks(sender, slots)
                )
                await self.tell_student(client, sender, say("handoff.passed_on"))
        for handoff in await asyncio.to_thread(store.taken):
            said = await asyncio.to_thread(store.student_messages, handoff.conversation_id, handoff.forwarded_upto)
            for event_id, text in said:
                if await self.relay.first(f"forward:{event_id}"):
                    await client.chat_postMessage(
                        channel=handoff.channel, thread_ts=handoff.thread_ts, text=f"Student: {escape(redact(text))}"
                    )
            if said:
                await asyncio.to_thread(store.forwarded, handoff.conversation_id, said[-1][0])

    async def take(self, body: dict, action: dict, client: AsyncWebClient) -> None:
        message, channel = body.get("message") or {}, (body.get("channel") or {}).get("id", "")
        if not await self.relay.first(f"take:{channel}:{message.get('ts')}"):
            return  # taken already (a second click, or another adviser a moment later)
        sender, adviser = action.get("value") or "", body["user"]["id"]
        upto = await asyncio.to_thread(self.store.last_event_id)
        await asyncio.to_thread(self.store.take, sender, channel, message["ts"], adviser, upto)
        kept = [b for b in message.get("blocks") or [] if b.get("type") != "actions"]
        taken = {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Taken by <@{adviser}>"}]}
        await client.chat_update(channel=channel, ts=message["ts"], text="Taken", blocks=[*kept, taken])
        await client.chat_postMessage(
            channel=channel,
            thread_ts=message["ts"],
            text="You have this conversation. What you write in this thread goes to the student; "
            "write *hand back* to return them to the assistant.",
        )
        await self.tell_student(client, sender, say("handoff.joined"))

    async def from_adviser(self, event: dict, body: dict, client: AsyncWebClient) -> bool:
        """A message in the thread of a conversation an adviser has taken: to the student (True), or not
        such a message (False)."""
        thread = event.get("thread_ts")
        if not thread or event.get("bot_id") or event.get("subtype"):
            return False
        handoff = await asyncio.to_thread(self.store.by_thread, event.get("channel", ""), thread)
        if handoff is None or handoff.state != "taken":
            return False
        if not await self.relay.first(f"event:{body.get('team_id')}:{body.get('event_id')}"):
            return True
        text = (event.get("text") or "").strip()
        if text.lower() in HAND_BACK:
            await asyncio.to_thread(self.store.hand_back, handoff.conversation_id)
            await self.tell_student(client, handoff.conversation_id, say("handoff.handed_back"))
            await client.chat_postMessage(
                channel=handoff.channel, thread_ts=thread, text="Handed back to the assistant."
            )
        else:
            await self.tell_student(client, handoff.conversation_id, text)
        return True
