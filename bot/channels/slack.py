"""Careers services in Slack: the relay between Slack and the assistant, a process of its own
(``python -m bot.channels.slack``; ``make run`` starts it when ``SLACK_BOT_TOKEN`` and
``SLACK_SIGNING_SECRET`` are set).

Built on ``slack_bolt``'s async app, which checks Slack's v0 request signatures (5-minute window) and
acknowledges each request at once; the answer is posted afterwards, in the thread of the message.
Direct messages and mentions reach the assistant through Rasa's relay channel
(:mod:`bot.channels.relay`) as the conversation ``slack:TEAM:USER:CHANNEL:THREAD``, so two threads never
share what was said. Slack redelivers an event it thinks was missed (``X-Slack-Retry-Num``) and people
click twice: each event and each message's buttons are answered once, remembered in a table of the
tracker store's database that every relay process shares. ``/credentials data science under £500``
answers a member of staff with matching credentials, visible to them only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from urllib.parse import parse_qs

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Column, Float, MetaData, String, Table, create_engine, delete, insert
from sqlalchemy.exc import IntegrityError

from bot.channels import guard
from bot.channels.relay_key import RelaySigner, relay_key
from bot.channels.serving import run_server
from bot.channels.slack_blocks import CHOICE_ACTION, chosen_blocks, reply_blocks
from bot.channels.slack_handoff import TAKE_ACTION, HandoffDesk
from bot.settings import Settings

log = logging.getLogger(__name__)

RELAY_PATH = "/webhooks/relay/webhook"
#: how long an event or a click is remembered (Slack retries within minutes; at least an hour)
REMEMBER_SECONDS = 24 * 3600
SORRY = "Sorry, the assistant is not answering right now. Please try again in a few minutes."
SLOW_DOWN = (
    "You are sending messages faster than I can answer. Please wait {seconds} seconds, then send your message again."
)
#: Slack's own payloads stay far below this (a message holds at most 50 blocks)
MAX_BODY_BYTES = 512 * 1024

_meta = MetaData()
SEEN = Table("slack_seen", _meta, Column("key", String(200), primary_key=True), Column("at", Float, nullable=False))


class Seen:
    """Events and clicks already answered, in a table every relay process shares."""

    def __init__(self, url: str):
        args = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
        self.engine = create_engine(url, pool_pre_ping=True, **args)
        _meta.create_all(self.engine, checkfirst=True)
        self._pruned = 0.0

    def first(self, key: str) -> bool:
        """True the first time ``key`` is seen; False for a redelivery or a second click."""
        now = time.time()
        try:
            with self.engine.begin() as conn:
                if now - self._pruned > 600:
                    conn.execute(delete(SEEN).where(SEEN.c.at < now - REMEMBER_SECONDS))
                    self._pruned = now
                conn.execute(insert(SEEN).values(key=key[:200], at=now))
            return True
        except IntegrityError:
            return False


def sender_of(team: str, user: str, channel: str, thread: str) -> str:
    return f"slack:{team}:{user}:{channel}:{thread}"


_MENTION = re.compile(r"<@[A-Z0-9]+>\s*")


class Relay:
    """What the Slack listeners share: the assistant's address, the store of what was answered."""

    def __init__(self, settings: Settings, rasa_url: str):
        self.settings = settings
        self.url = rasa_url.rstrip("/") + RELAY_PATH
        self.signer = RelaySigner(relay_key(settings))
        self.seen = Seen(settings.tracker_store_url)
        self.http: aiohttp.ClientSession | None = None
        channel = settings.slack_handoff_channel
        self.desk: HandoffDesk | None = HandoffDesk(self, channel) if channel else None
        # messages each person may send (RATE_LIMIT_MESSAGES per RATE_LIMIT_SECONDS); past it they are told
        # once in that time, and the messages are not passed on
        self.limiter = guard.limiter(settings)
        self.warned = guard.RateLimiter(1, settings.rate_limit_seconds)

    async def first(self, key: str) -> bool:
        return await asyncio.to_thread(self.seen.first, key)

    async def post(self, url: str, body: dict):
        """POST ``body`` to Rasa's relay channel; its JSON answer, or None when it is slow or down."""
        if self.http is None:
            self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.settings.relay_timeout))
        try:
            async with self.signer.post(self.http, url, body) as resp:
                if resp.status != 200:
                    log.warning("assistant answered HTTP %s", resp.status)
                    return None
                return await resp.json()
        except (asyncio.TimeoutError, aiohttp.ClientError, OSError) as exc:
            log.warning("assistant unreachable: %s", exc.__class__.__name__)
            return None

    async def ask(self, sender: str, text: str) -> list[dict] | None:
        """The assistant's replies, or None when it is slow or down."""
        return await self.post(self.url, {"sender": sender, "message": text, "input_channel": "slack"})

    async def answer(self, client: AsyncWebClient, channel: str, thread: str, sender: str, text: str) -> None:
        """Pass ``text`` to the assistant and post its replies in the thread (an apology when it is down)."""
        replies = await self.ask(sender, text)
        if replies is None:
            await client.chat_postMessage(channel=channel, thread_ts=thread, text=SORRY)
            return
        for message in replies:
            fallback, blocks = reply_blocks(message)
            if blocks:
                await client.chat_postMessage(channel=channel, thread_ts=thread, text=fallback, blocks=blocks)

    async def from_person(self, event: dict, body: dict, client: AsyncWebClient) -> None:
        """A direct message or a mention: answered once, in its thread."""
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return  # edits, joins and bots' own messages are not people talking
        if not all(isinstance(event.get(k), str) for k in ("user", "channel", "ts")):
            return  # not an event Slack sends
        if not await self.first(f"event:{body.get('team_id')}:{body.get('event_id')}"):
            return  # a redelivery (X-Slack-Retry-Num): answered already
        thread = event.get("thread_ts") or event["ts"]
        wait = self.limiter.wait(f"{body.get('team_id')}:{event['user']}")
        if wait:
            if not self.warned.wait(f"{body.get('team_id')}:{event['user']}"):
                text = SLOW_DOWN.format(seconds=int(wait) + 1)
                await client.chat_postMessage(channel=event["channel"], thread_ts=thread, text=text)
            return
        sender = sender_of(body.get("team_id", ""), event["user"], event["channel"], thread)
        said = event.get("text") if isinstance(event.get("text"), str) else ""
        text = guard.clean_text(_MENTION.sub("", said)).strip()
        if self.desk is not None and await asyncio.to_thread(self.desk.store.with_adviser, sender):
            # an adviser has this conversation: kept for them (the desk passes it on), not answered
            await self.post(
                self.url.rsplit("/", 1)[0] + "/log", {"sender": sender, "message": text, "input_channel": "slack"}
            )
            return
        await self.answer(client, event["channel"], thread, sender, text or "hello")


def build_app(settings: Settings, relay: Relay) -> AsyncApp:
    """The Bolt app: direct messages, mentions, suggested-answer clicks and the slash command."""
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url or AsyncWebClient.BASE_URL)
    app = AsyncApp(signing_secret=settings.slack_signing_secret, client=client)

    @app.event("message")
    async def on_message(event: dict, body: dict, client: AsyncWebClient) -> None:
        if event.get("channel_type") == "im":
            await relay.from_person(event, body, client)
        elif relay.desk is not None:  # an adviser writing in the thread of a conversation they took
            await relay.desk.from_adviser(event, body, client)

    @app.action(TAKE_ACTION)
    async def on_take(ack, body: dict, action: dict, client: AsyncWebClient) -> None:
        await ack()
        if relay.desk is not None:
            await relay.desk.take(body, action, client)

    @app.event("app_mention")
    async def on_mention(event: dict, body: dict, client: AsyncWebClient) -> None:
        await relay.from_person(event, body, client)

    @app.action(re.compile(f"^{CHOICE_ACTION}-"))
    async def on_choice(ack, body: dict, action: dict, client: AsyncWebClient) -> None:
        await ack()
        message, channel = body.get("message") or {}, (body.get("channel") or {}).get("id", "")
        team = (body.get("team") or {}).get("id", "")
        if not await relay.first(f"choice:{team}:{channel}:{message.get('ts')}"):
            return  # a second click: the first one was answered
        option = action.get("selected_option") or action
        label = (option.get("text") or {}).get("text", "")
        value = option.get("value") or label
        await client.chat_update(
            channel=channel,
            ts=message["ts"],
            text=message.get("text") or label,
            blocks=chosen_blocks(message.get("blocks") or [], label),
        )
        thread = message.get("thread_ts") or message["ts"]
        await relay.answer(client, channel, thread, sender_of(team, body["user"]["id"], channel, thread), value)

    @app.command("/credentials")
    async def on_command(ack, command: dict, client: AsyncWebClient) -> None:
        await ack()
        text = (command.get("text") or "").strip()
        sender = sender_of(
            command.get("team_id", ""),
            command.get("user_id", ""),
            command.get("channel_id", ""),
            f"cmd{time.time():.6f}",
        )
        replies = await relay.ask(sender, text or "hello")
        for message in replies or [{"text": SORRY}]:
            fallback, blocks = reply_blocks(message)
            await client.chat_postEphemeral(
                channel=command["channel_id"], user=command["user_id"], text=fallback, blocks=blocks
            )

    return app


NOT_SLACK = "This is not a request Slack sends: a JSON object, or a form (with a JSON object as its payload)."


def slack_shaped(body: str, content_type: str) -> bool:
    """Whether ``body`` has the shape of Slack's requests, which Bolt reads without checking (a body that is
    not JSON, or JSON that is not an object, made it fail with a 500)."""
    try:
        if content_type == "application/json":
            return isinstance(json.loads(body), dict)
        payload = parse_qs(body).get("payload")
        return payload is None or isinstance(json.loads(payload[0]), dict)
    except ValueError:
        return False


def web_app(settings: Settings, rasa_url: str) -> web.Application:
    relay = Relay(settings, rasa_url)
    bolt = build_app(settings, relay)

    async def events(request: web.Request) -> web.Response:
        if not slack_shaped(await request.text(), request.content_type):
            return web.json_response({"error": NOT_SLACK}, status=400)
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def close(app: web.Application) -> None:
        if relay.http is not None:
            await relay.http.close()
        relay.seen.engine.dispose()

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    guard.install(app, settings, MAX_BODY_BYTES)  # 413 past the size, 400 for a body that is not UTF-8
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", health)
    app.on_cleanup.append(close)
    if relay.desk is not None:
        watching: list[asyncio.Task] = []

        async def start_watching(app_: web.Application) -> None:
            watching.append(asyncio.create_task(relay.desk.watch(bolt.client)))

        async def stop_watching(app_: web.Application) -> None:
            for task in watching:
                task.cancel()

        app.on_startup.append(start_watching)
        app.on_cleanup.insert(0, stop_watching)
    if settings.slack_app_token:  # Socket Mode: Slack's events come over a WebSocket the relay opens
        socket_mode(app, bolt, settings)
    return app


def socket_mode(app: web.Application, bolt: AsyncApp, settings: Settings) -> None:
    """Connect to Slack in Socket Mode (``SLACK_APP_TOKEN``) when the relay starts; no public URL needed.
    Each envelope is acknowledged over the socket at once, and answered like an HTTP event."""
    handlers: list[AsyncSocketModeHandler] = []

    async def connect(app_: web.Application) -> None:
        # made here, inside the server's running loop (the socket client binds to the loop it is made in)
        handler = AsyncSocketModeHandler(
            bolt,
            settings.slack_app_token,
            web_client=AsyncWebClient(base_url=settings.slack_api_url or AsyncWebClient.BASE_URL),
        )
        handlers.append(handler)
        await handler.connect_async()
        log.info("connected to Slack in Socket Mode")

    async def disconnect(app_: web.Application) -> None:
        for handler in handlers:
            await handler.close_async()

    app.on_startup.append(connect)
    app.on_cleanup.append(disconnect)


def main(argv: list[str] | None = None) -> None:
    run_server(
        "slack",
        "Relay Slack events to the assistant and its answers back.",
        lambda settings: settings.slack_port,
        web_app,
        argv,
        missing=lambda settings: (
            None
            if settings.slack_bot_token and settings.slack_signing_secret
            else "The Slack relay needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see 'Add the assistant to Slack')."
        ),
    )


if __name__ == "__main__":
    main()
