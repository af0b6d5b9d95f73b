"""The website widget's server side: ``/widget.js``, conversations the server owns, history and erasure.

- ``POST /widget/conversations`` starts a conversation: the server chooses its id and signs a token
  bound to it (HMAC-SHA256 with ``WIDGET_SECRET``), valid for ``WIDGET_SESSION_DAYS``.
- ``GET /widget/conversations/{id}/messages?after=N`` returns the messages after sequence number N.
- ``POST /widget/conversations/{id}/messages`` sends one message, named by the client's own id for it:
  a message sent again (after a dropped connection) is never passed to the assistant twice.
- ``DELETE /widget/conversations/{id}`` erases the conversation, its tracker events included.

Every call but the first needs ``Authorization: Bearer <token>`` for that very conversation. Only the
server's own origin and those in ``WIDGET_ORIGINS`` may call from a browser: a request from any other
origin is refused here, not only by the browser. The history is read from the tracker store itself
(each event's row id is its sequence number), so what is shown is what the assistant kept, once each.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import Column, MetaData, String, Table, Text, create_engine, delete, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from bot.channels import guard
from bot.channels.handoff import HandoffStore, conversation_events
from bot.channels.relay_key import RelaySigner
from bot.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

WIDGET_DIR = PROJECT_ROOT / "web" / "widget"
MAX_MESSAGE_CHARS = 2000
CLIENT_ID_CHARS = 64
CHANNEL_NAME = "widget"

_meta = MetaData()
#: the client ids of the messages each conversation has passed on (a resend is recognised by its id), and
#: the words the person saw on a button they pressed (the tracker keeps the button's payload)
SENT = Table(
    "widget_sent",
    _meta,
    Column("conversation_id", String(64), primary_key=True),
    Column("client_id", String(CLIENT_ID_CHARS), primary_key=True),
    Column("sent_text", Text, nullable=False),
    Column("shown_text", Text, nullable=False),
    Column("created", String(32), nullable=False),
)


class WidgetError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


# ------------------------------------------------------------------------------------------------
# Tokens
# ------------------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def sign(secret: bytes, conversation_id: str, expires: int) -> str:
    body = f"{conversation_id}.{expires}"
    mac = hmac.new(secret, body.encode(), hashlib.sha256).digest()
    return f"{_b64(body.encode())}.{_b64(mac)}"


def verify(secret: bytes, token: str, conversation_id: str, now: float | None = None) -> None:
    """Raise :class:`WidgetError` unless ``token`` was signed here for ``conversation_id`` and is unexpired."""
    try:
        body_b64, mac_b64 = token.split(".", 1)
        body = _unb64(body_b64).decode()
        mac = _unb64(mac_b64)
        token_id, expires = body.rsplit(".", 1)
        expires_at = int(expires)
    except (ValueError, UnicodeDecodeError):
        raise WidgetError(401, "This conversation's key is not valid: start a new conversation.") from None
    good = hmac.new(secret, body.encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(mac, good) or not hmac.compare_digest(token_id.encode(), conversation_id.encode()):
        raise WidgetError(403, "This key belongs to another conversation.")
    if expires_at < (time.time() if now is None else now):
        raise WidgetError(401, "This conversation has expired: start a new conversation.")


def widget_secret(settings: Settings) -> bytes:
    """``WIDGET_SECRET``, or a random one kept (readable by this user only) in the var directory."""
    if settings.widget_secret:
        return settings.widget_secret.encode()
    path = Path(settings.var_dir) / "widget_secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()


# ------------------------------------------------------------------------------------------------
# The conversation store (the tracker store's own table, read and erased; the sent-ids table beside it)
# ------------------------------------------------------------------------------------------------


@dataclass
class Store:
    engine: Engine

    @classmethod
    def open(cls, url: str) -> Store:
        args = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, pool_pre_ping=True, **args)
        _meta.create_all(engine, checkfirst=True)
        return cls(engine)

    def claim(self, conversation_id: str, client_id: str, sent_text: str, shown_text: str) -> bool:
        """Record that this message is being passed on; False when it was already (a resend)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(SENT).values(
                        conversation_id=conversation_id,
                        client_id=client_id,
                        sent_text=sent_text,
                        shown_text=shown_text,
                        created=f"{time.time():020.6f}",  # (sorts as text)
                    )
                )
            return True
        except IntegrityError:
            return False

    def release(self, conversation_id: str, client_id: str) -> None:
        """The assistant never got the message: let the person send it again."""
        with self.engine.begin() as conn:
            conn.execute(delete(SENT).where(SENT.c.conversation_id == conversation_id, SENT.c.client_id == client_id))

    def messages(self, conversation_id: str, after: int = 0) -> list[dict]:
        """The person's and the assistant's messages after sequence number ``after``, oldest first."""
        with self.engine.connect() as conn:
            try:
                rows = conversation_events(conn, conversation_id, after, ("user", "bot"))
            except (OperationalError, ProgrammingError):  # no conversation has been kept yet
                return []
            shown = _shown_texts(conn, conversation_id) if rows else {}
        return [m for m in (_message(row, shown) for row in rows) if m]

    def erase(self, conversation_id: str) -> int:
        """Delete the conversation's tracker events and sent ids; how many events went."""
        with self.engine.begin() as conn:
            try:
                n = conn.execute(text("DELETE FROM events WHERE sender_id = :sid"), {"sid": conversation_id}).rowcount
            except (OperationalError, ProgrammingError):
                n = 0
            conn.execute(delete(SENT).where(SENT.c.conversation_id == conversation_id))
        return n

    def events_of(self, conversation_id: str) -> int:
        with self.engine.connect() as conn:
            try:
                return conn.execute(
                    text("SELECT COUNT(*) FROM events WHERE sender_id = :sid"), {"sid": conversation_id}
                ).scalar_one()
            except (OperationalError, ProgrammingError):
                return 0


def _shown_texts(conn, conversation_id: str) -> dict[int, str]:
    """What the person saw as their message where it differs from what was sent (the words on a button,
    not its payload), by the tracker event's id: each message sent, in order, is the next user event
    with its text."""
    sent = conn.execute(
        select(SENT.c.sent_text, SENT.c.shown_text)
        .where(SENT.c.conversation_id == conversation_id)
        .order_by(SENT.c.created)
    ).all()
    if all(row.sent_text == row.shown_text for row in sent):
        return {}
    users = conn.execute(
        text("SELECT id, data FROM events WHERE sender_id = :sid AND type_name = 'user' ORDER BY id"),
        {"sid": conversation_id},
    ).all()
    out, next_sent = {}, 0
    for event in users:
        said = json.loads(event.data or "{}").get("text") or ""
        for k in range(next_sent, len(sent)):
            if sent[k].sent_text == said:
                if sent[k].shown_text != said:
                    out[event.id] = sent[k].shown_text
                next_sent = k + 1
                break
    return out


def _message(row, shown: dict[int, str]) -> dict | None:
    data = json.loads(row.data or "{}")
    if row.type_name == "user":  # a button pressed shows the words on it, not its payload
        return {"seq": row.id, "role": "user", "text": shown.get(row.id, data.get("text") or "")}
    body = data.get("data") or {}
    out = {"seq": row.id, "role": "bot", "text": data.get("text") or ""}
    if body.get("buttons"):
        out["buttons"] = [{"title": b.get("title", ""), "payload": b.get("payload", "")} for b in body["buttons"]]
    if isinstance(body.get("custom"), dict):
        out["custom"] = body["custom"]
    return out if (out["text"] or len(out) > 3) else None


# ------------------------------------------------------------------------------------------------
# HTTP
# ------------------------------------------------------------------------------------------------

SETTINGS = web.AppKey("widget_settings", Settings)
STORE = web.AppKey("widget_store", Store)
SECRET = web.AppKey("widget_secret", bytes)
LOCKS = web.AppKey("widget_locks", dict)
RELAY = web.AppKey("widget_relay", dict)
CLOSING = web.AppKey("widget_closing", asyncio.Event)
HANDOFFS = web.AppKey("widget_handoffs", HandoffStore)


def _own_origin(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def _allowed(request: web.Request) -> str | None:
    """The request's origin when it may call (no Origin header: not a cross-site browser call)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    if origin == _own_origin(request) or origin in request.app[SETTINGS].widget_origins:
        return origin
    raise WidgetError(403, "This website is not allowed to use the assistant.")


def _cors(origin: str | None, resp: web.StreamResponse) -> web.StreamResponse:
    if origin:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
        resp.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS"
        resp.headers["Access-Control-Max-Age"] = "600"
    resp.headers["Vary"] = "Origin"
    resp.headers["Cache-Control"] = "no-store"
    return resp


@web.middleware
async def widget_middleware(request: web.Request, handler):
    if not request.path.startswith("/widget/"):
        return await handler(request)
    try:
        origin = _allowed(request)
        if request.method == "OPTIONS":
            return _cors(origin, web.Response(status=204))
        return _cors(origin, await handler(request))
    except WidgetError as exc:
        # a refused origin gets no CORS header: the browser hides the answer from that page as well
        try:
            origin = _allowed(request)
        except WidgetError:
            origin = None
        return _cors(origin, web.json_response({"error": exc.message}, status=exc.status))


def _conversation(request: web.Request) -> str:
    cid = request.match_info["cid"]
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        raise WidgetError(401, "This conversation's key is missing: start a new conversation.")
    verify(request.app[SECRET], auth[len("Bearer ") :].strip(), cid)
    return cid


async def start(request: web.Request) -> web.StreamResponse:
    refused = guard.too_many(request, "address:" + guard.who(request))
    if refused is not None:
        return refused
    settings = request.app[SETTINGS]
    cid = "w-" + secrets.token_hex(16)
    expires = int(time.time() + settings.widget_session_days * 86400)
    return web.json_response(
        {"conversation": cid, "token": sign(request.app[SECRET], cid, expires), "expires": expires}, status=201
    )


def _after(request: web.Request) -> int:
    try:
        return max(0, int(request.query.get("after", "0")))
    except ValueError:
        raise WidgetError(400, "'after' must be a whole number.") from None


#: the longest a history request may wait for a new message (``wait`` seconds, for messages that come from
#: elsewhere: another tab of the same conversation, or a person taking the conversation over)
MAX_WAIT_SECONDS = 25
POLL_SECONDS = 0.5


async def history(request: web.Request) -> web.Response:
    cid = _conversation(request)
    after = _after(request)
    try:
        wait = min(max(float(request.query.get("wait", "0")), 0.0), MAX_WAIT_SECONDS)
    except ValueError:
        raise WidgetError(400, "'wait' must be a number of seconds.") from None
    deadline = time.monotonic() + wait
    while True:
        messages = await asyncio.to_thread(request.app[STORE].messages, cid, after)
        if messages or time.monotonic() >= deadline or request.app[CLOSING].is_set():
            return web.json_response({"messages": messages})
        if request.transport is None or request.transport.is_closing():  # the browser went away
            return web.json_response({"messages": []})
        await asyncio.sleep(POLL_SECONDS)


async def _body(request: web.Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        raise WidgetError(400, "The request body must be JSON.") from None
    if not isinstance(body, dict):
        raise WidgetError(400, "The request body must be a JSON object.")
    return body


def _message_fields(body: dict) -> tuple[str, str, str]:
    said, client_id = body.get("text"), body.get("id")
    said = guard.clean_text(said) if isinstance(said, str) else None
    shown = guard.clean_text(body["shown"]) if isinstance(body.get("shown"), str) else said
    if not said or not said.strip():
        raise WidgetError(400, guard.EMPTY)
    if len(said) > MAX_MESSAGE_CHARS or len(shown) > MAX_MESSAGE_CHARS:
        raise WidgetError(400, f"Messages are limited to {MAX_MESSAGE_CHARS} characters.")
    if (
        not isinstance(client_id, str)
        or not 8 <= len(client_id) <= CLIENT_ID_CHARS
        or guard.clean_text(client_id) != client_id
    ):
        raise WidgetError(400, "Each message needs its own id (8 to 64 characters).")
    return said, shown, client_id


async def send(request: web.Request) -> web.StreamResponse:
    cid = _conversation(request)
    said, shown, client_id = _message_fields(await _body(request))
    refused = guard.too_many(request, "conversation:" + cid)
    if refused is not None:
        return refused
    after = _after(request)
    store = request.app[STORE]
    lock = request.app[LOCKS].setdefault(cid, asyncio.Lock())
    async with lock:  # one message of a conversation at a time, in the order they came
        if await asyncio.to_thread(store.claim, cid, client_id, said, shown):
            try:
                await _relay(request.app, cid, said)
            except WidgetError:
                await asyncio.to_thread(store.release, cid, client_id)
                raise
    messages = await asyncio.to_thread(store.messages, cid, after)
    return web.json_response({"messages": messages})


async def _relay(app: web.Application, cid: str, said: str) -> None:
    relay = app[RELAY]
    body = {"sender": cid, "message": said, "input_channel": CHANNEL_NAME}
    url = relay["url"]
    if await asyncio.to_thread(app[HANDOFFS].with_adviser, cid):  # an adviser has it: kept for them, not answered
        url = url.rsplit("/", 1)[0] + "/log"
    try:
        async with relay["signer"].post(relay["client"], url, body) as resp:
            if resp.status != 200:
                log.warning("assistant answered HTTP %s", resp.status)
                raise WidgetError(502, "The assistant had a problem; please try again.")
            await resp.read()
    except asyncio.TimeoutError:
        raise WidgetError(503, "The assistant is taking too long to answer; please try again shortly.") from None
    except (aiohttp.ClientError, OSError):
        raise WidgetError(503, "The assistant is not reachable right now; please try again shortly.") from None


async def erase(request: web.Request) -> web.Response:
    cid = _conversation(request)
    async with request.app[LOCKS].setdefault(cid, asyncio.Lock()):
        n = await asyncio.to_thread(request.app[STORE].erase, cid)
    request.app[LOCKS].pop(cid, None)
    return web.json_response({"erased": True, "events": n})


async def script(request: web.Request) -> web.Response:
    code = (WIDGET_DIR / "widget.js").read_text(encoding="utf-8")
    code = code.replace("__SESSION_DAYS__", str(request.app[SETTINGS].widget_session_days))
    return web.Response(
        text=code,
        content_type="text/javascript",
        charset="utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )


async def demo(request: web.Request) -> web.Response:
    """A university careers page that embeds the widget as the README tells a university to."""
    page = (WIDGET_DIR / "demo.html").read_text(encoding="utf-8")
    src = f"{_own_origin(request)}/widget.js"
    return web.Response(
        text=page.replace("{{WIDGET_SRC}}", src), content_type="text/html", headers={"Cache-Control": "no-store"}
    )


def setup(app: web.Application, settings: Settings, rasa_url: str, signer: RelaySigner | None = None) -> None:
    """Add the widget's routes to the web server's ``app``."""
    app[SETTINGS] = settings
    app[SECRET] = widget_secret(settings)
    app[STORE] = Store.open(settings.tracker_store_url)
    app[HANDOFFS] = HandoffStore(engine=app[STORE].engine)
    app[LOCKS] = {}
    app[CLOSING] = asyncio.Event()

    async def stop_waiting(app_: web.Application) -> None:  # waiting history requests answer at once
        app_[CLOSING].set()

    app.on_shutdown.append(stop_waiting)
    relay = {"url": rasa_url, "signer": signer or RelaySigner(None), "client": None}
    app[RELAY] = relay

    async def client_ctx(app_: web.Application):
        relay["client"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=settings.relay_timeout))
        yield
        await relay["client"].close()
        app_[STORE].engine.dispose()

    app.cleanup_ctx.append(client_ctx)
    app.middlewares.append(widget_middleware)
    app.router.add_get("/widget.js", script)
    app.router.add_get("/demo", demo)
    app.router.add_post("/widget/conversations", start)
    app.router.add_route("OPTIONS", "/widget/{tail:.*}", lambda request: web.Response(status=204))
    app.router.add_get("/widget/conversations/{cid}/messages", history)
    app.router.add_post("/widget/conversations/{cid}/messages", send)
    app.router.add_delete("/widget/conversations/{cid}", erase)
