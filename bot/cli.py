"""The ``advisor`` command: catalogue tasks for careers services.

advisor catalog import PATH [--format auto|csv|json|ctdl|futurelearn|edx|coursera|udemy] [--dry-run]
advisor catalog export PATH [--format csv|json]
advisor catalog stats
advisor catalog check [--strict]
advisor catalog recheck WORKSHEET.csv [--import]
advisor seed            (load the default catalogue in data/catalog/)
advisor db upgrade      (apply the schema migrations)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import logging
import re
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from tqdm import tqdm

from bot.catalogue.evidence import faults as evidence_faults
from bot.catalogue.evidence import stats as evidence_stats
from bot.catalogue.importers import export_csv, export_json, import_file
from bot.catalogue.loading import (
    CatalogError,
    check_entries,
    credential_to_dict,
    load_catalog,
    provider_to_dict,
    write_entries,
)
from bot.catalogue.migrate import create_schema, current_revision, head_revision, upgrade
from bot.catalogue.models import Credential, CredentialAim, Provider, make_engine, session_scope
from bot.catalogue.recheck import Staleness, apply_worksheet, times_shown, worksheet, write_worksheet
from bot.language.fields import FIELD_BY_CODE
from bot.review.commands import add_commands as add_review_commands
from bot.settings import load_settings

IMPORT_FORMATS = ("auto", "csv", "json", "ctdl", "futurelearn", "edx", "coursera", "udemy")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.I)


class Progress:
    """Progress of a long import on stderr (a tqdm bar), fed with (rows done, rows in all)."""

    def __init__(self, label: str):
        self.label = label
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = tqdm(
                total=total, desc=self.label, unit=" rows", file=sys.stderr, mininterval=0.5, dynamic_ncols=True
            )
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()


def _engine():
    settings = load_settings()
    return settings, make_engine(settings.database_url)


def cmd_seed(args) -> int:
    settings, engine = _engine()
    try:
        report = load_catalog(engine, settings.catalog_dir)
    except CatalogError as exc:
        print(f"Catalogue not loaded, nothing was written.\n{exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        f"Credential database ready: {report.credentials} credentials from {report.providers} providers, "
        f"{report.rates} exchange rates."
    )
    return 0


def cmd_import(args) -> int:
    path = Path(args.path)
    if not path.exists():
        print(f"{path}: no such file or folder", file=sys.stderr)
        return 2
    try:
        result = import_file(path, args.format, progress=Progress(f"Reading {path.name}"))
    except ValueError as exc:
        print(f"{path}: {exc}. Nothing was written.", file=sys.stderr)
        return 2
    if args.verbose:
        for s in result.skipped:
            print(f"skipped line {s.line}: {s.reason}", file=sys.stderr)
    elif result.skipped:
        reasons = Counter(re.sub(r"\d+", "N", s.reason) for s in result.skipped)
        print(
            "skipped rows (--verbose lists them): " + "; ".join(f"{r} ({n})" for r, n in reasons.most_common()),
            file=sys.stderr,
        )
    settings, engine = _engine()
    try:
        create_schema(engine)
        with session_scope(engine) as session:
            known = set(session.execute(select(Provider.id)).scalars())
            existing = set(session.execute(select(Credential.id)).scalars())
        if args.skip_bad_rows:
            _skip_bad_rows(result, known, Path(args.skip_bad_rows))
        problems = check_entries(result.providers, result.credentials, known)
        if result.rejected or problems:
            for r in result.rejected:
                print(f"rejected line {r.line}: {r.reason}", file=sys.stderr)
            for p in problems:
                print(f"rejected: {p}", file=sys.stderr)
            print(f"{len(result.rejected) + len(problems)} row(s) rejected: nothing was written.", file=sys.stderr)
            return 1
        new = sum(c["id"] not in existing for c in result.credentials)
        summary = (
            f"{len(result.credentials)} credentials ({new} new, {len(result.credentials) - new} updated), "
            f"{len(result.skipped)} rows skipped"
        )
        if args.dry_run:
            print(f"Dry run: would import {summary}. Nothing was written.")
            return 0
        with session_scope(engine) as session:  # one transaction: all or nothing
            write_entries(
                session,
                result.providers,
                result.credentials,
                keep_verified_providers=True,
                progress=Progress(f"Writing {len(result.credentials)} credentials"),
            )
        print(f"Imported {summary}.")
        return 0
    finally:
        engine.dispose()


def _skip_bad_rows(result, known: set[str], rejects: Path) -> None:
    """Keep the good rows; write the rejected ones (line, id, title, reason) to ``rejects`` as CSV."""
    provider_ids = known | {p["id"] for p in result.providers}
    good, bad = [], [(r.line, "", "", r.reason) for r in result.rejected]
    for c in result.credentials:
        problems = check_entries([], [c], provider_ids)
        if problems:
            bad.append(("", c.get("id") or "", c.get("title") or "", "; ".join(p.split(": ", 1)[-1] for p in problems)))
        else:
            good.append(c)
    with rejects.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["line", "id", "title", "reason"])
        writer.writerows(bad)
    print(f"{len(bad)} bad row(s) skipped and written to {rejects} with their line and reason.", file=sys.stderr)
    result.credentials, result.rejected = good, []
    result.providers = [
        p for p in result.providers if p["id"] in {c["provider"] for c in good} | {c.get("platform") for c in good}
    ]


def _all_credentials(engine) -> tuple[list[dict], list[dict]]:
    with session_scope(engine) as session:
        creds = [
            credential_to_dict(c)
            for c in session.execute(select(Credential).order_by(Credential.id)).unique().scalars()
        ]
        provs = [provider_to_dict(p) for p in session.execute(select(Provider).order_by(Provider.id)).scalars()]
    return creds, provs


def cmd_export(args) -> int:
    _settings, creds, provs = _catalogue()
    path = Path(args.path)
    fmt = args.format or ("csv" if path.suffix.lower() == ".csv" else "json")
    if fmt == "csv":
        export_csv(creds, path)
    else:
        export_json(creds, path, providers=provs)
    print(f"Exported {len(creds)} credentials to {path} ({fmt}).")
    return 0


def _catalogue():
    """(settings, credentials, providers) as catalogue dicts, read in one go."""
    settings, engine = _engine()
    try:
        creds, provs = _all_credentials(engine)
    finally:
        engine.dispose()
    return settings, creds, provs


def cmd_stats(args) -> int:
    settings, creds, provs = _catalogue()
    today = dt.date.today()
    print(f"{len(creds)} credentials from {len(provs)} providers")
    print(
        "by career aim:   "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(a for c in creds for a in c["career_aims"]).items()))
    )
    print(
        "by type:         "
        + ", ".join(f"{k} {v}" for k, v in Counter(c["credential_type"] for c in creds).most_common())
    )
    print(
        "by currency:     "
        + ", ".join(
            f"{k} {v}"
            for k, v in Counter(
                (
                    c["price"]["currency"]
                    if c["price"]["amount"]
                    else ("free" if c["price"]["amount"] == 0 else "unknown")
                )
                for c in creds
            ).most_common()
        )
    )
    print(f"with credit:     {sum(1 for c in creds if c['credit'])}")
    print(f"with recognition claims: {sum(1 for c in creds if c['recognition'])}")
    print("evidence per fact (stated facts: confirmed by a source / marked unconfirmed / neither):")
    for kind, stated, confirmed, unconfirmed in evidence_stats(creds):
        covered = 100 * (confirmed + unconfirmed) / stated if stated else 100.0
        print(
            f"  {kind + ':':<23}{stated:>4} stated, {confirmed:>4} confirmed ({100 * confirmed / max(1, stated):.0f}%), "
            f"{unconfirmed:>4} unconfirmed, {stated - confirmed - unconfirmed:>3} neither: {covered:.0f}% accounted for"
        )
    fields = Counter(f for c in creds if c.get("status", "active") == "active" for f in c["fields"])
    thin = [f"{code} {fields[code]}" for code in FIELD_BY_CODE if fields[code] < 3]
    print("fields served by fewer than three: " + (", ".join(thin) if thin else "none"))
    stale = sum(1 for c in creds if (today - c["last_checked"]).days > settings.stale_after_days)
    print(
        f"facts checked over {settings.stale_after_days} days ago (STALE_AFTER_DAYS): {stale} "
        f"({100 * stale / max(1, len(creds)):.0f}%)"
    )
    return 0


#: EU Council Recommendation (2022/C 243/02) Annex I elements a catalogue entry can carry, and how to
#: tell that one is missing. Learner identification and date of issue belong to an issued credential,
#: not to a catalogue entry; EQF level is "if applicable", so it is counted but not required.
EU_ELEMENTS = (
    ("learning outcomes", lambda c: not c["learning_outcomes"]),
    (
        "notional workload",
        lambda c: c["workload_hours"] is None and (c["duration_weeks"] is None or c["hours_per_week"] is None),
    ),
    ("type of assessment", lambda c: not c["assessment"]["type"]),
    ("form of participation", lambda c: not c["delivery_mode"]),
    ("type of quality assurance", lambda c: not c["quality_assurance"]["type"]),
    ("issuer country", lambda c: not c["issuer_country"]),
)


def cmd_check(args) -> int:
    settings, creds, _provs = _catalogue()
    today = dt.date.today()
    issues: list[str] = []
    eu_missing: Counter = Counter()
    seen_urls: dict[str, str] = {}
    for c in creds:
        age = (today - c["last_checked"]).days
        if age > settings.stale_after_days:
            issues.append(f"{c['id']}: facts last checked {c['last_checked']} ({age // 30} months ago)")
        if not URL_RE.match(c["source_url"] or ""):
            issues.append(f"{c['id']}: source URL is not a valid link: {c['source_url']!r}")
        elif c["source_url"] in seen_urls:
            issues.append(f"{c['id']}: same source URL as {seen_urls[c['source_url']]}: {c['source_url']}")
        else:
            seen_urls[c["source_url"]] = c["id"]
        for r in c["recognition"]:
            if r.get("url") and not URL_RE.match(r["url"]):
                issues.append(f"{c['id']}: recognition link is not a valid link: {r['url']!r}")
            if not r.get("url"):
                issues.append(f"{c['id']}: recognition by {r['by']!r} has no link to its evidence")
        missing = [
            name
            for name, value in (
                ("price", c["price"]["amount"]),
                ("duration", c["duration_weeks"]),
                ("weekly hours", c["hours_per_week"]),
                ("level", c["level"]),
            )
            if value is None
        ]
        if missing:
            issues.append(f"{c['id']}: missing {', '.join(missing)}")
        eu = [name for name, is_missing in EU_ELEMENTS if is_missing(c)]
        eu_missing.update(eu)
        if eu:
            issues.append(f"{c['id']}: missing EU micro-credential elements: {', '.join(eu)}")
    faults = [f"{c['id']}: {fault}" for c in creds for fault in evidence_faults(c)]
    faults += [f"{cid}: retired, but still offered for career aims" for cid in _retired_but_offered(settings)]
    for line in issues:
        print(line)
    for line in faults:
        print("FAULT " + line)
    if creds:
        print(
            "EU elements present: "
            + ", ".join(f"{name} {100 * (len(creds) - eu_missing[name]) / len(creds):.0f}%" for name, _ in EU_ELEMENTS)
        )
    print(
        f"{len(issues)} warning(s) and {len(faults)} fault(s) in {len(creds)} credentials. "
        "Links are checked for form only, not fetched. --strict fails on faults: a fact with neither evidence "
        "nor an 'unconfirmed' mark, a recognition link to a front page, a retired programme still offered."
    )
    return 1 if faults and args.strict else 0


def _retired_but_offered(settings) -> list[str]:
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            rows = session.execute(
                select(Credential.id)
                .join(CredentialAim, CredentialAim.credential_id == Credential.id)
                .where(Credential.status == "retired")
                .distinct()
            )
            return sorted(rows.scalars())
    finally:
        engine.dispose()


def cmd_recheck(args) -> int:
    """Write the worksheet of facts due for checking, or import a worked one back (--import)."""
    settings, engine = _engine()
    path = Path(args.path)
    try:
        create_schema(engine)
        today = dt.date.today()
        if args.import_:
            if not path.exists():
                print(f"{path}: no such file", file=sys.stderr)
                return 2
            try:
                with session_scope(engine) as session:
                    applied, problems = apply_worksheet(session, path, today)
            except ValueError as exc:
                print(f"{path}: {exc}. Nothing was written.", file=sys.stderr)
                return 2
            for p in problems:
                print(f"not applied: {p}", file=sys.stderr)
            print(f"Recorded evidence for {applied} fact(s) from {path}; {len(problems)} row(s) not applied.")
            return 1 if problems else 0
        staleness = Staleness(settings.stale_after_days, settings.price_stale_after_days)
        with session_scope(engine) as session:
            rows = worksheet(session, today, staleness, times_shown(settings.tracker_store_url))
        write_worksheet(path, rows)
        kinds = Counter(r["why"] for r in rows)
        print(
            f"Wrote {len(rows)} fact(s) due for checking to {path}: " + ", ".join(f"{k} {n}" for k, n in kinds.items())
        )
        print("Fill in new_source, new_says and checked_by (and new_value when the figure changed), then run")
        print(f"  advisor catalog recheck --import {path}")
        return 0
    finally:
        engine.dispose()


def cmd_db_upgrade(args) -> int:
    settings, engine = _engine()
    try:
        before = current_revision(engine)
        upgrade(engine)
        print(f"Database schema at revision {head_revision()} (was {before or 'empty'}).")
    finally:
        engine.dispose()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="advisor", description="Micro-credential adviser: catalogue, staff and conversation tasks."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed", help="create the tables and load data/catalog (updates in place)").set_defaults(
        func=cmd_seed
    )
    db = sub.add_parser("db", help="the database schema")
    dsub = db.add_subparsers(dest="db_command", required=True)
    dsub.add_parser("upgrade", help="apply the schema migrations (Alembic) up to the newest").set_defaults(
        func=cmd_db_upgrade
    )
    catalog = sub.add_parser("catalog", help="import, export, count and check the credential catalogue")
    csub = catalog.add_subparsers(dest="catalog_command", required=True)
    imp = csub.add_parser("import", help="import a file: all rows or none (unless --skip-bad-rows)")
    imp.add_argument("path")
    imp.add_argument("--format", choices=IMPORT_FORMATS, default="auto")
    imp.add_argument("--dry-run", action="store_true", help="report what would change without writing")
    imp.add_argument("--verbose", action="store_true", help="list every skipped row")
    imp.add_argument(
        "--skip-bad-rows",
        metavar="REJECTS.csv",
        help="import the good rows and write the rejected ones, with their line and reason, to this CSV",
    )
    imp.set_defaults(func=cmd_import)
    exp = csub.add_parser("export", help="export the catalogue (re-importable)")
    exp.add_argument("path")
    exp.add_argument("--format", choices=("csv", "json"))
    exp.set_defaults(func=cmd_export)
    csub.add_parser("stats", help="counts by aim, type and currency").set_defaults(func=cmd_stats)
    chk = csub.add_parser("check", help="evidence per fact, stale facts, missing elements, malformed links")
    chk.add_argument("--strict", action="store_true", help="exit 1 when there are faults in the evidence")
    chk.set_defaults(func=cmd_check)
    rck = csub.add_parser("recheck", help="the facts due for checking, as a CSV worksheet (or --import it back)")
    rck.add_argument("path")
    rck.add_argument("--import", dest="import_", action="store_true", help="record the worked worksheet's evidence")
    rck.set_defaults(func=cmd_recheck)
    add_review_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING)
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (OperationalError, ProgrammingError) as exc:  # no database, or one without the catalogue's tables
        cause = str(getattr(exc, "orig", exc)).splitlines()[0]
        print(f"Cannot read the catalogue database: {cause}. Create it with `advisor seed` (make db).", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
