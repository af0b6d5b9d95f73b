"""The review app's pages and actions. The login, role and CSRF checks are in :mod:`bot.review.app`."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import defaultdict
from urllib.parse import quote, urlencode

import aiohttp_jinja2
import yaml
from aiohttp import web
from aiohttp_session import get_session, new_session

from bot.channels.guard import clean_text
from bot.review import charts, exports, queries
from bot.review.keys import REVIEW
from bot.review.staff import (
    ROLES,
    StaffError,
    add_staff,
    audit,
    audit_log,
    check_password,
    may,
    remove_staff,
    staff_list,
)
from bot.settings import PROJECT_ROOT

FAILED_FREE = 3  # failed logins before each answer is slowed down
_failures: dict[str, list[float]] = defaultdict(list)
#: the intents a message can be corrected to: the assistant's own (domain.yml)
INTENTS_FOR_CORRECTION = tuple(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"])


def add_routes(app: web.Application) -> None:
    r = app.router
    r.add_get("/healthz", healthz)
    r.add_get("/login", login_form)
    r.add_post("/login", login)
    r.add_post("/logout", logout)
    r.add_get("/", home)
    r.add_get("/conversations", conversation_list)
    r.add_get("/conversations/{sid}", conversation)
    r.add_post("/conversations/{sid}/status", set_status)
    r.add_post("/conversations/{sid}/tags", add_tag)
    r.add_post("/conversations/{sid}/tags/remove", remove_tag)
    r.add_post("/conversations/{sid}/notes", add_note)
    r.add_post("/conversations/{sid}/corrections", correct)
    r.add_post("/conversations/{sid}/erase", erase)
    r.add_get("/charts", charts_page)
    r.add_get("/charts/data", charts_data)
    r.add_get("/exports", exports_page)
    r.add_post("/exports/nlu", export_nlu)
    r.add_post("/exports/stories", export_stories)
    r.add_get("/audit", audit_page)
    r.add_get("/staff", staff_page)
    r.add_post("/staff", staff_add)
    r.add_post("/staff/remove", staff_remove)


def _review(request: web.Request):
    return request.app[REVIEW]


async def home(request: web.Request) -> web.Response:
    raise web.HTTPFound("/conversations")


def _page(request: web.Request, template: str, context: dict, status: int = 200) -> web.Response:
    base = {"me": request.get("email"), "role": request.get("role"), "csrf": request.get("csrf"), "may": may}
    return aiohttp_jinja2.render_template(template, request, {**base, **context}, status=status)


def _require(request: web.Request, what: str) -> None:
    if not may(request.get("role"), what):
        raise web.HTTPForbidden(text=f"Your role ({request.get('role')}) may not do this.")


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


# ---- logging in --------------------------------------------------------------------------------------
async def login_form(request: web.Request) -> web.Response:
    return _page(request, "login.html", {"next": request.query.get("next", "/"), "error": None})


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    # no control characters: no address has them, and PostgreSQL cannot store a NUL (bot.channels.guard)
    email, password = clean_text(str(form.get("email") or "")).strip().lower(), str(form.get("password") or "")
    if len(email) > 254:  # longer than any e-mail address can be (and than the audit log's column)
        email = ""
    target = form.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    who = f"{email}|{request.remote}"
    recent = [t for t in _failures[who] if t > time.time() - 900]
    if len(recent) >= FAILED_FREE:  # slowed down: 1, 2, 4 … up to 30 s a try
        await asyncio.sleep(min(2 ** (len(recent) - FAILED_FREE), 30))
    role = await asyncio.to_thread(check_password, _review(request).project, email, password) if email else None
    if role is None:
        recent.append(time.time())
        _failures[who] = recent
        audit(_review(request).project, email or "(no e-mail)", "login_failed", None, f"from {request.remote}")
        context = {"next": target, "error": "That e-mail address and password do not match an account."}
        return _page(request, "login.html", context, status=401)
    _failures.pop(who, None)
    session = await new_session(request)  # a new session (and cookie) at each login
    session["email"] = email
    session["csrf"] = request["csrf"] = secrets.token_urlsafe(32)
    audit(_review(request).project, email, "login")
    raise web.HTTPSeeOther(target)


async def logout(request: web.Request) -> web.Response:
    session = await get_session(request)
    session.invalidate()
    raise web.HTTPSeeOther("/login")


# ---- the list ----------------------------------------------------------------------------------------
async def conversation_list(request: web.Request) -> web.Response:
    review = _review(request)
    try:
        f = queries.parse(request.query, request.query.getall("flag", []))
    except queries.FilterError as exc:  # the filters stay as they were typed, with the message beside them
        choices = await asyncio.to_thread(review.choices)
        return _page(request, "list.html", _list_context(request, None, None, 0, str(exc), choices), status=400)
    rows, total = await asyncio.to_thread(review.page, f)
    choices = await asyncio.to_thread(review.choices)
    return _page(request, "list.html", _list_context(request, f, rows, total, None, choices))


def _list_context(request, f, rows, total, error, choices) -> dict:
    query = [(k, v) for k, v in request.query.items() if k != "page"]
    pages = max(1, -(-total // queries.PAGE_SIZE))
    return {
        "f": f or queries.Filters(),
        "q": request.query,
        "flags_on": request.query.getall("flag", []),
        "rows": rows,
        "total": total,
        "error": error,
        "choices": choices,
        "flag_names": queries.FLAGS,
        "channels": queries.CHANNELS,
        "statuses": queries.STATUSES,
        "pages": pages,
        "page_link": lambda n: "/conversations?" + urlencode([*query, ("page", n)]),
        "back": urlencode(list(request.query.items())),
        "when": _when,
        "quote": lambda s: quote(s, safe=""),
    }


def _when(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts)) if ts else ""


# ---- one conversation ----------------------------------------------------------------------------------
async def conversation(request: web.Request) -> web.Response:
    review, sid = _review(request), request.match_info["sid"]
    summary = await asyncio.to_thread(review.summary, sid)
    if summary is None:
        return _page(
            request,
            "error.html",
            {"message": "There is no such conversation (it may have been erased).", "status": 404},
            404,
        )
    turns = await asyncio.to_thread(review.transcript, sid)
    return _page(
        request,
        "conversation.html",
        {
            "s": summary,
            "sid": sid,
            "turns": turns,
            "when": _when,
            "statuses": queries.STATUSES,
            "intents": INTENTS_FOR_CORRECTION,
            "quote": lambda s: quote(s, safe=""),
            "done": DONE.get(request.query.get("done", "")),
            "back": _back(request.query.get("back", "")),
            "back_query": request.query.get("back", ""),
        },
    )


#: what the page says after a change was saved (?done=…)
DONE = {
    "status": "The review status is saved.",
    "tag": "The tag is added.",
    "untag": "The tag is removed.",
    "note": "The note is saved.",
    "correct": "The correction is saved: it will be in the next NLU export.",
}


def _back(query: str) -> str:
    """The list the reviewer came from, with its filters (only a query string of the list is accepted)."""
    return "/conversations" + ("?" + query if query and "/" not in query and "\\" not in query else "")


async def _annotate(request: web.Request, done: str, work) -> web.Response:
    """Save a change, then show the conversation again where the reviewer was, saying what was saved."""
    _require(request, "annotate")
    sid = request.match_info["sid"]
    form = await request.post()
    try:
        await asyncio.to_thread(work, _review(request), sid, form, request["email"])
    except ValueError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None
    back = urlencode({"done": done, "back": form.get("back") or ""})
    anchor = f"#m{form['event']}" if form.get("event") else ""
    raise web.HTTPSeeOther(f"/conversations/{quote(sid, safe='')}?{back}{anchor}")


async def set_status(request):
    return await _annotate(request, "status", lambda r, sid, form, me: r.set_status(sid, form.get("status", ""), me))


async def add_tag(request):
    return await _annotate(request, "tag", lambda r, sid, form, me: r.add_tag(sid, form.get("tag", ""), me))


async def remove_tag(request):
    return await _annotate(request, "untag", lambda r, sid, form, me: r.remove_tag(sid, form.get("tag", ""), me))


async def add_note(request):
    return await _annotate(request, "note", lambda r, sid, form, me: r.add_note(sid, form.get("note", ""), me))


def _correct(review, sid, form, me) -> None:
    intent = form.get("intent", "")
    if intent not in INTENTS_FOR_CORRECTION:
        raise ValueError("Choose the right intent first (one of the assistant's intents, or out_of_scope).")
    try:
        event_id = int(form.get("event", ""))
    except ValueError:
        raise ValueError("Which message? The form lost its message number; reload the page.") from None
    review.correct(sid, event_id, intent, me)


async def correct(request):
    return await _annotate(request, "correct", _correct)


async def erase(request: web.Request) -> web.Response:
    _require(request, "erase")
    sid = request.match_info["sid"]
    form = await request.post()
    if form.get("confirm") != "erase":
        raise web.HTTPBadRequest(text="Tick the box to confirm the erasure first.")
    await asyncio.to_thread(_review(request).erase, sid, request["email"])
    raise web.HTTPSeeOther("/conversations?erased=1")


# ---- charts, exports, audit ----------------------------------------------------------------------------
async def charts_page(request: web.Request) -> web.Response:
    return _page(request, "charts.html", {"smallest": charts.SMALLEST_GROUP})


async def charts_data(request: web.Request) -> web.Response:
    review = _review(request)
    await asyncio.to_thread(review.sync)
    return web.json_response(await asyncio.to_thread(charts.report, review.project))


async def exports_page(request: web.Request) -> web.Response:
    return _page(request, "exports.html", {})


def _download(body: str, name: str) -> web.Response:
    return web.Response(
        text=body, content_type="application/x-yaml", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


async def export_nlu(request: web.Request) -> web.Response:
    _require(request, "export")
    body, _ = await asyncio.to_thread(exports.nlu_yaml, _review(request), request["email"])
    return _download(body, "corrected_nlu.yml")


async def export_stories(request: web.Request) -> web.Response:
    _require(request, "export")
    form = await request.post()
    review = _review(request)
    ids = [i for i in form.getall("sid", []) if i]
    if not ids and form.get("status") in queries.STATUSES:
        f = queries.Filters(status=form["status"])
        ids = []
        while True:
            rows, total = await asyncio.to_thread(review.page, f)
            ids += [r["sender_id"] for r in rows]
            if len(ids) >= total or not rows or len(ids) >= 500:
                break
            f.page += 1
    if not ids:
        raise web.HTTPBadRequest(
            text="No conversation to export: tick some in the list, or choose a review status that some conversation has."
        )
    body, _ = await asyncio.to_thread(exports.stories_yaml, review, ids, request["email"])
    return _download(body, "test_stories.yml")


async def audit_page(request: web.Request) -> web.Response:
    _require(request, "staff")
    rows = await asyncio.to_thread(audit_log, _review(request).project)
    return _page(request, "audit.html", {"rows": rows, "when": _when})


# ---- staff accounts (admins) -----------------------------------------------------------------------------
STAFF_DONE = {"added": "The account is added.", "updated": "The account's role and password are changed.",
              "removed": "The account is removed; its session has ended."}  # fmt: skip


async def staff_page(request: web.Request, error: str | None = None, status: int = 200):
    _require(request, "staff")
    rows = await asyncio.to_thread(staff_list, _review(request).project)
    done = STAFF_DONE.get(request.query.get("done", ""))
    return _page(request, "staff.html", {"rows": rows, "roles": ROLES, "error": error, "done": done}, status)


async def staff_add(request: web.Request) -> web.Response:
    _require(request, "staff")
    form = await request.post()
    email, role = (form.get("email") or "").strip().lower(), form.get("role") or ""
    if email == request["email"] and role != "admin":
        return await staff_page(request, error="You cannot take the admin role from your own account.", status=400)
    exists = any(row["email"] == email for row in await asyncio.to_thread(staff_list, _review(request).project))
    if exists and form.get("change") != "yes":
        error = f"{email} already has an account: tick 'Change an existing account' to change its role and password."
        return await staff_page(request, error=error, status=400)
    try:
        done = await asyncio.to_thread(add_staff, _review(request).project, email, role, form.get("password") or "")
    except StaffError as exc:
        return await staff_page(request, error=str(exc), status=400)
    audit(_review(request).project, request["email"], f"staff_{done}", None, f"{email} as {role}")
    raise web.HTTPSeeOther(f"/staff?done={done}")


async def staff_remove(request: web.Request) -> web.Response:
    _require(request, "staff")
    form = await request.post()
    email = (form.get("email") or "").strip().lower()
    if email == request["email"]:
        return await staff_page(request, error="You cannot remove your own account.", status=400)
    if form.get("confirm") != "remove":
        return await staff_page(request, error=f"Tick the box beside {email} to confirm the removal.", status=400)
    if not await asyncio.to_thread(remove_staff, _review(request).project, email):
        return await staff_page(request, error=f"There is no account for {email}.", status=404)
    audit(_review(request).project, request["email"], "staff_removed", None, email)
    raise web.HTTPSeeOther("/staff?done=removed")
