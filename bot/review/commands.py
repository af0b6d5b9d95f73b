"""``advisor staff …`` and ``advisor conversations …``: staff accounts, retention and erasure."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.review.service import Review
from bot.review.staff import ROLES, StaffError, add_staff, audit, remove_staff, staff_list
from bot.settings import Settings, load_settings


def _review(settings: Settings) -> Review:
    return Review(settings)


def _password(args) -> str:
    """Typed twice at a terminal, or the first line of standard input: never a command-line argument."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("The same password again: ") != first:
        raise StaffError("The two passwords differ.")
    return first


def cmd_staff_add(args, settings: Settings) -> int:
    review = _review(settings)
    try:
        done = add_staff(review.project, args.email, args.role, _password(args))
    except StaffError as exc:
        print(exc, file=sys.stderr)
        return 2
    audit(review.project, "(command line)", f"staff_{done}", None, f"{args.email.strip().lower()} as {args.role}")
    print(f"{args.email.strip().lower()} {done} as {args.role}.")
    return 0


def cmd_staff_remove(args, settings: Settings) -> int:
    review = _review(settings)
    if not remove_staff(review.project, args.email):
        print(f"There is no account for {args.email}.", file=sys.stderr)
        return 2
    audit(review.project, "(command line)", "staff_removed", None, args.email.strip().lower())
    print(f"{args.email.strip().lower()} removed.")
    return 0


def cmd_staff_list(args, settings: Settings) -> int:
    for row in staff_list(_review(settings).project):
        print(f"{row['email']}\t{row['role']}")
    return 0


def cmd_purge(args, settings: Settings) -> int:
    days = args.days or settings.review_retention_days
    n = _review(settings).purge("(command line)", days)
    print(f"Erased {n} conversation{'s' if n != 1 else ''} with no message in the last {days} days.")
    return 0


def cmd_erase(args, settings: Settings) -> int:
    review = _review(settings)
    events = review.erase(args.sender, "(command line)")
    print(f"Erased the conversation {args.sender} ({events} events) and everything the review app kept of it.")
    return 0


def _with_settings(command):
    return lambda args: command(args, load_settings())


def add_commands(sub: argparse._SubParsersAction) -> None:
    staff = sub.add_parser("staff", help="the review app's staff accounts")
    ssub = staff.add_subparsers(dest="staff_command", required=True)
    add = ssub.add_parser(
        "add", help="add an account or change its role and password (password from the terminal or stdin)"
    )
    add.add_argument("email")
    add.add_argument("--role", choices=ROLES, required=True)
    add.set_defaults(func=_with_settings(cmd_staff_add))
    rm = ssub.add_parser("remove", help="remove an account (its sessions end at once)")
    rm.add_argument("email")
    rm.set_defaults(func=_with_settings(cmd_staff_remove))
    ssub.add_parser("list", help="the accounts and their roles").set_defaults(func=_with_settings(cmd_staff_list))
    conv = sub.add_parser("conversations", help="retention and erasure of conversations")
    csub = conv.add_subparsers(dest="conversations_command", required=True)
    purge = csub.add_parser("purge", help="erase conversations older than REVIEW_RETENTION_DAYS (default 180)")
    purge.add_argument("--days", type=int, help="another retention period, in days")
    purge.set_defaults(func=_with_settings(cmd_purge))
    erase = csub.add_parser("erase", help="erase one conversation everywhere (tracker events, review data)")
    erase.add_argument("sender", help="the conversation id (the review app shows it)")
    erase.set_defaults(func=_with_settings(cmd_erase))
