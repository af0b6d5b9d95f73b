"""The staff review app (aiohttp): logins, roles, CSRF tokens and security headers around the views.

Every route needs a login except the login form itself, the stylesheet and scripts, and ``/healthz``
(:data:`PUBLIC`); every POST needs the session's CSRF token; the role is read from the database on each
request, so removing an account or changing its role counts at once.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import secrets
import time
from pathlib import Path
from urllib.parse import quote

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp_session import get_session, session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from bot.channels import guard
from bot.review import views
from bot.review.keys import REVIEW
from bot.review.service import Review
from bot.review.staff import role_of
from bot.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

STATIC = PROJECT_ROOT / "web" / "review"
CHART_JS = PROJECT_ROOT / ".cache" / "node" / "node_modules" / "chart.js" / "dist" / "chart.umd.js"
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/healthz")}
PUBLIC_PREFIX = "/static/"
SESSION_HOURS = 8
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def cookie_key(settings: Settings) -> bytes:
    """32 bytes for the session cookie's encryption: from REVIEW_SECRET, or a random one kept in var/."""
    if settings.review_secret:
        return hashlib.sha256(settings.review_secret.encode()).digest()
    path = Path(settings.var_dir) / "review_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return base64.urlsafe_b64decode(path.read_text().strip())


def is_public(request: web.Request) -> bool:
    return (request.method, request.path) in PUBLIC or (
        request.method == "GET" and request.path.startswith(PUBLIC_PREFIX)
    )


@web.middleware
async def headers_middleware(request: web.Request, handler):
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if not request.path.startswith(PUBLIC_PREFIX):
        response.headers["Cache-Control"] = "no-store"
    if isinstance(response, web.HTTPException):
        raise response
    return response


@web.middleware
async def auth_middleware(request: web.Request, handler):
    session = await get_session(request)
    request["csrf"] = session.get("csrf") or session.setdefault("csrf", secrets.token_urlsafe(32))
    if request.method == "POST" and not await _csrf_ok(request, session):
        return _refuse(
            request, 403, "This form has expired or did not come from the review app. Reload the page and try again."
        )
    email = session.get("email")
    role = role_of(request.app[REVIEW].project, email) if email else None
    if email and role is None:  # the account was removed
        session.invalidate()
    request["email"], request["role"] = (email, role) if role else (None, None)
    if role is None and not is_public(request):
        if request.method == "GET" and "json" not in request.headers.get("Accept", ""):
            raise web.HTTPFound("/login?next=" + _safe_next(request.path_qs))
        return _refuse(request, 401, "Log in first.")
    return await handler(request)


async def _csrf_ok(request: web.Request, session) -> bool:
    sent = request.headers.get("X-CSRF-Token")
    if sent is None and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sent = (await request.post()).get("csrf")
    expected = session.get("csrf")
    return bool(sent and expected and hmac.compare_digest(str(sent), expected))


@web.middleware
async def login_limit_middleware(request: web.Request, handler):
    """Login attempts from one address are limited like messages (429 with the login page's message)."""
    if request.method == "POST" and request.path == "/login":
        refused = guard.too_many(request, "login:" + guard.who(request), _refuse)
        if refused is not None:
            return refused
    return await handler(request)


def _refuse(request: web.Request, status: int, message: str) -> web.Response:
    if "json" in request.headers.get("Accept", ""):
        return web.json_response({"error": message}, status=status)
    return aiohttp_jinja2.render_template("error.html", request, {"message": message, "status": status}, status=status)


def _safe_next(path: str) -> str:
    return quote(path if path.startswith("/") and not path.startswith("//") else "/", safe="")


async def _purge_daily(app: web.Application) -> None:
    review = app[REVIEW]
    while True:
        try:
            n = await asyncio.to_thread(review.purge, "retention (daily)")
            log.info("purged %d conversations older than %d days", n, review.settings.review_retention_days)
        except Exception:  # noqa: BLE001 - the next day tries again; the app keeps serving
            log.exception("the daily purge failed")
        await asyncio.sleep(86400)


async def _start_purge(app: web.Application):
    task = asyncio.create_task(_purge_daily(app))
    yield
    task.cancel()


def init_app(settings: Settings, review: Review | None = None, purge: bool = True) -> web.Application:
    storage = EncryptedCookieStorage(
        cookie_key(settings),
        cookie_name="review_session",
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="Strict",
        secure=settings.review_https,
    )
    app = web.Application(
        middlewares=[headers_middleware, login_limit_middleware, session_middleware(storage), auth_middleware],
        client_max_size=guard.body_limit(settings),
    )
    guard.install(app, settings, refuse=_refuse, position=1)  # 413 past MAX_BODY_KB, 400 for a form that is not UTF-8
    app[REVIEW] = review or Review(settings)
    env = aiohttp_jinja2.setup(
        app, loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")), autoescape=True
    )
    env.globals["static_version"] = str(int(time.time()))
    views.add_routes(app)
    app.router.add_get("/static/chart.umd.js", _chart_js)
    app.router.add_static("/static/", STATIC)
    if purge:
        app.cleanup_ctx.append(_start_purge)
    return app


async def _chart_js(request: web.Request) -> web.StreamResponse:
    if not CHART_JS.exists():
        raise web.HTTPNotFound(text="Chart.js is not installed: run make install.")
    return web.FileResponse(CHART_JS)
