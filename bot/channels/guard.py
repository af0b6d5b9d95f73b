"""What every public entry point refuses, and says so clearly (README, "Limits on what comes in").

- **Bodies over a size** (``MAX_BODY_KB``, 64 KB): 413 with a message, before anything is parsed.
- **Text that is not text**: a body that is not UTF-8 gets 400; control characters (NUL, escape
  sequences) and lone surrogates are taken out of a message, which PostgreSQL could not store and no
  person types; what is left, if anything, is the message.
- **Too many messages from one client** (``RATE_LIMIT_MESSAGES`` per ``RATE_LIMIT_SECONDS``, 60 a
  minute): 429 with ``Retry-After`` and a message saying how long to wait. A client is its address,
  or behind a proxy listed in ``TRUSTED_PROXIES`` the address that proxy saw (``X-Forwarded-For``).

The limits here are per process; behind the cluster's balancer, HAProxy counts Rasa's REST channel
for all servers at once (:mod:`bot.cluster`).
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from aiohttp import web

from bot.settings import Settings

TOO_LARGE = "This request is too large: messages are limited to {kb} KB."
NOT_UTF8 = "The request body is not valid UTF-8 text."
TOO_MANY = "Too many requests in a short time: please wait {seconds} seconds and try again."
EMPTY = "Type a message first."

#: C0 and C1 control characters but tab, newline and carriage return, and lone UTF-16 surrogates
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` without control characters and lone surrogates (right-to-left text, emoji and every
    other printable character stay as they were)."""
    return _NOT_TEXT.sub("", text)


class RateLimiter:
    """At most ``limit`` events per ``seconds`` for each key (a sliding window); ``limit`` 0 allows all.
    At most ``max_keys`` keys are remembered, the least recently seen forgotten first."""

    def __init__(
        self, limit: int, seconds: float, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ):
        self.limit, self.seconds, self.max_keys, self.clock = limit, seconds, max_keys, clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def wait(self, key: str) -> float:
        """0 when an event of ``key`` may happen now (and it is counted); otherwise the seconds to wait."""
        if self.limit <= 0:
            return 0.0
        now = self.clock()
        times = self._seen.pop(key, None) or deque()
        while times and times[0] <= now - self.seconds:
            times.popleft()
        self._seen[key] = times
        if len(self._seen) > self.max_keys:
            self._seen.popitem(last=False)
        if len(times) >= self.limit:
            return max(times[0] + self.seconds - now, 0.001)
        times.append(now)
        return 0.0


def limiter(settings: Settings) -> RateLimiter:
    return RateLimiter(settings.rate_limit_messages, settings.rate_limit_seconds)


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[str, ...]) -> str:
    """Who sent a request: the peer, or when the peer is a trusted proxy, the nearest address in
    ``X-Forwarded-For`` that is not a trusted proxy (the left of the header is the client's to write)."""
    address = peer or "unknown"
    if address in trusted and forwarded_for:
        for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
            address = hop
            if hop not in trusted:
                break
    return address


# ------------------------------------------------------------------------------------------------
# aiohttp: the web server, the Slack relay, the review app
# ------------------------------------------------------------------------------------------------

Refuse = Callable[[web.Request, int, str], web.StreamResponse]
SETTINGS = web.AppKey("guard_settings", Settings)
LIMITER = web.AppKey("guard_limiter", RateLimiter)


def json_refusal(request: web.Request, status: int, message: str) -> web.StreamResponse:
    return web.json_response({"error": message}, status=status)


def body_limit(settings: Settings) -> int:
    """The largest body a server takes, in bytes: give it to ``web.Application(client_max_size=…)`` too."""
    return settings.max_body_kb * 1024


def install(
    app: web.Application,
    settings: Settings,
    max_bytes: int | None = None,
    refuse: Refuse = json_refusal,
    position: int | None = None,
) -> None:
    """Refuse bodies over ``max_bytes`` (``MAX_BODY_KB`` unless given) and bodies that are not UTF-8 on
    every route of ``app``, with ``refuse``'s clear message; keep a rate limiter for :func:`too_many`.
    The check goes last among the middlewares, or at ``position``: before any middleware that reads the body."""
    limit = max_bytes or body_limit(settings)
    app[SETTINGS] = settings
    app[LIMITER] = limiter(settings)
    message = TOO_LARGE.format(kb=math.ceil(limit / 1024))

    @web.middleware
    async def guard(request: web.Request, handler):
        if request.content_length is not None and request.content_length > limit:
            return refuse(request, 413, message)
        try:
            return await handler(request)
        except web.HTTPRequestEntityTooLarge:  # a body without a length that turned out too long
            return refuse(request, 413, message)
        except UnicodeDecodeError:
            return refuse(request, 400, NOT_UTF8)

    if position is None:
        app.middlewares.append(guard)
    else:
        app.middlewares.insert(position, guard)


def who(request: web.Request) -> str:
    trusted = request.app[SETTINGS].trusted_proxies if SETTINGS in request.app else ()
    return client_address(request.remote, request.headers.get("X-Forwarded-For"), trusted)


def too_many(request: web.Request, key: str, refuse: Refuse = json_refusal) -> web.StreamResponse | None:
    """A 429 answer when ``key`` (a client, a conversation) has used up its messages; None otherwise."""
    if LIMITER not in request.app:
        return None
    wait = request.app[LIMITER].wait(key)
    if not wait:
        return None
    seconds = math.ceil(wait)
    resp = refuse(request, 429, TOO_MANY.format(seconds=seconds))
    resp.headers["Retry-After"] = str(seconds)
    return resp
