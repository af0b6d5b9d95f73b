"""The local chat page: serves ``web/`` and relays messages to the Rasa REST channel.

The page and the relay share one origin, so the browser needs no CORS exception on Rasa.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid

import aiohttp
from aiohttp import web

from bot.channels import guard, widget
from bot.channels.relay_key import RelaySigner, relay_key
from bot.channels.serving import run_server
from bot.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

WEB_DIR = PROJECT_ROOT / "web"
RASA_URL = web.AppKey("rasa_url", str)
CLIENT = web.AppKey("client", aiohttp.ClientSession)
TIMEOUT = web.AppKey("timeout", float)
RELAY = web.AppKey("relay", RelaySigner)
RELAY_PATH = "/webhooks/relay/webhook"
UNREACHABLE = "The assistant is not reachable right now; please try again shortly."
SLOW = "The assistant is taking too long to answer; please try again shortly."
MAX_MESSAGE_CHARS = 2000
SENDER_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-store"})


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def message(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except ValueError:
        return web.json_response({"error": "The request body must be JSON."}, status=400)
    text = body.get("message") if isinstance(body, dict) else None
    sender = body.get("sender") if isinstance(body, dict) else None
    if not isinstance(text, str) or not guard.clean_text(text).strip():
        return web.json_response({"error": guard.EMPTY}, status=400)
    text = guard.clean_text(text)
    if len(text) > MAX_MESSAGE_CHARS:
        return web.json_response({"error": f"Messages are limited to {MAX_MESSAGE_CHARS} characters."}, status=400)
    refused = guard.too_many(request, "address:" + guard.who(request))
    if refused is not None:
        return refused
    if not isinstance(sender, str) or not SENDER_RE.match(sender):
        sender = uuid.uuid4().hex
    url = request.app[RASA_URL].rstrip("/") + RELAY_PATH
    body = {"sender": sender, "message": text}
    try:
        async with request.app[RELAY].post(request.app[CLIENT], url, body) as resp:
            if resp.status != 200:
                log.warning("assistant answered HTTP %s", resp.status)
                return web.json_response({"error": "The assistant had a problem; please try again."}, status=502)
            replies = await resp.json()
    except asyncio.TimeoutError:  # aiohttp 3.9 raises asyncio's, which is not the built-in on Python 3.10
        log.warning("assistant did not answer within %.0f s", request.app[TIMEOUT])
        return web.json_response({"error": SLOW}, status=503)
    except (aiohttp.ClientError, OSError) as exc:
        log.warning("assistant unreachable: %s", exc.__class__.__name__)
        return web.json_response({"error": UNREACHABLE}, status=503)
    return web.json_response({"sender": sender, "replies": replies})


async def _client_ctx(app: web.Application):
    app[CLIENT] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=app[TIMEOUT]))
    yield
    await app[CLIENT].close()


def init_app(rasa_url: str, timeout: float = 60.0, settings: Settings | None = None) -> web.Application:
    """The web server: the local chat page (``/``), and with ``settings`` the website widget (``/widget.js``,
    ``/demo``, ``/widget/…``: :mod:`bot.channels.widget`)."""
    limit = guard.body_limit(settings) if settings is not None else 64 * 1024
    app = web.Application(client_max_size=limit)
    if settings is not None:  # 413, 400 and 429 with a clear message (bot.channels.guard)
        guard.install(app, settings, limit)
    app[RASA_URL] = rasa_url
    # Rasa's relay channel, which answers only the web server (bot.channels.relay)
    app[RELAY] = RelaySigner(relay_key(settings) if settings is not None else None)
    app[TIMEOUT] = timeout
    app.cleanup_ctx.append(_client_ctx)
    app.router.add_get("/", index)
    app.router.add_get("/healthz", health)
    app.router.add_post("/api/message", message)
    app.router.add_static("/static/", WEB_DIR / "static", show_index=False)
    if settings is not None:
        widget.setup(app, settings, rasa_url.rstrip("/") + RELAY_PATH, app[RELAY])
    return app


def main(argv: list[str] | None = None) -> None:
    run_server(
        "web",
        "Serve the website widget and the chat page, and relay messages to Rasa.",
        lambda settings: settings.web_port,
        lambda settings, rasa_url: init_app(rasa_url, settings.relay_timeout, settings),
        argv,
    )


if __name__ == "__main__":
    main()
