"""Staff accounts: e-mail, role and an Argon2 password hash; the audit log of what staff did."""

from __future__ import annotations

import re
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from bot.review.tables import AUDIT, STAFF

ROLES = ("viewer", "annotator", "admin")
#: what each role may do beyond reading
MAY = {
    "viewer": set(),
    "annotator": {"annotate", "export"},
    "admin": {"annotate", "export", "erase", "staff"},
}
MIN_PASSWORD = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
# compared against when the e-mail is unknown, so an unknown address takes as long as a wrong password
_DUMMY = _hasher.hash("not a password of anyone")


class StaffError(ValueError):
    """A staff account that cannot be made as asked; the message says why."""


def may(role: str | None, what: str) -> bool:
    return what in MAY.get(role or "", set())


def add_staff(engine: Engine, email: str, role: str, password: str) -> str:
    """Create the account, or change its role and password; 'added' or 'updated'."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise StaffError(f"{email!r} is not an e-mail address.")
    if role not in ROLES:
        raise StaffError(f"The role must be one of {', '.join(ROLES)} (it is {role!r}).")
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"The password must have at least {MIN_PASSWORD} characters.")
    digest = _hasher.hash(password)
    with engine.begin() as conn:
        done = conn.execute(
            update(STAFF).where(STAFF.c.email == email).values(role=role, password_hash=digest)
        ).rowcount
        if not done:
            conn.execute(insert(STAFF).values(email=email, role=role, password_hash=digest, created=time.time()))
    return "updated" if done else "added"


def remove_staff(engine: Engine, email: str) -> bool:
    with engine.begin() as conn:
        return conn.execute(delete(STAFF).where(STAFF.c.email == email.strip().lower())).rowcount > 0


def staff_list(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(STAFF.c.email, STAFF.c.role).order_by(STAFF.c.email)).mappings()]


def check_password(engine: Engine, email: str, password: str) -> str | None:
    """The account's role when the password is right, else None (in about the same time either way)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(STAFF.c.role, STAFF.c.password_hash).where(STAFF.c.email == email.strip().lower())
        ).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    return row.role if row else None


def role_of(engine: Engine, email: str) -> str | None:
    """The account's current role (None once it is removed): read on every request, so a change counts at once."""
    with engine.connect() as conn:
        return conn.execute(select(STAFF.c.role).where(STAFF.c.email == email)).scalar()


def audit(engine: Engine, actor: str, action: str, target: str | None = None, detail: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(insert(AUDIT).values(at=time.time(), actor=actor, action=action, target=target, detail=detail))


def audit_log(engine: Engine, limit: int = 200) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(AUDIT).order_by(AUDIT.c.id.desc()).limit(limit)).mappings()]
