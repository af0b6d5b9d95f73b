"""Keeping the catalogue true: the facts due for checking, as a worksheet staff work through and import back.

``advisor catalog recheck WORKSHEET.csv`` writes one row per fact that no source confirms, or whose
confirmation is older than its staleness limit (exam fees and subscription prices: PRICE_STALE_AFTER_DAYS;
programme facts: STALE_AFTER_DAYS), most shown to people first, then oldest. Staff fill in ``new_source``,
``new_says``, ``checked_by`` (and ``new_value`` when the figure changed) and run
``advisor catalog recheck --import WORKSHEET.csv``: each filled row becomes the fact's evidence (and value).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, select, text

from bot.catalogue.derived import refresh_rows
from bot.catalogue.evidence import check_one
from bot.catalogue.models import Credential, FactEvidence
from bot.model import EVIDENCE_FACTS

COLUMNS = (
    "credential_id",
    "title",
    "fact",
    "item",
    "current_value",
    "why",
    "checked",
    "source",
    "times_shown",
    "new_value",
    "new_source",
    "new_says",
    "checked_by",
)
#: The facts whose value a worksheet may change, and the column each one is stored in.
VALUE_COLUMNS = {
    "price": "price_amount",
    "certificate_price": "certificate_price",
    "duration": "duration_weeks",
    "workload": "hours_per_week",
    "credit": "credit_value",
}


@dataclass
class Staleness:
    programme_days: int = 365
    price_days: int = 183


def _value(row: Credential, fact: str, item: int) -> str:
    if fact == "recognition":
        claims = sorted(row.recognitions, key=lambda r: r.id or 0)
        return claims[item].by if item < len(claims) else ""
    if fact == "quality_assurance":
        return row.qa_body or ""
    value = getattr(row, VALUE_COLUMNS[fact])
    if fact == "price" and value is not None:
        return f"{value:g} {row.price_currency or ''} {'a month' if row.price_basis == 'per_month' else ''}".strip()
    return "" if value is None else f"{value:g}"


def _stated(row: Credential) -> list[tuple[str, int]]:
    facts = [
        ("price", row.price_amount is not None),
        ("certificate_price", row.certificate_price is not None),
        ("duration", row.duration_weeks is not None),
        ("workload", row.hours_per_week is not None or row.workload_hours is not None),
        ("credit", bool(row.credit_value or row.credit_status)),
        ("quality_assurance", bool(row.qa_body)),
    ]
    return [(f, 0) for f, stated in facts if stated] + [("recognition", i) for i in range(len(row.recognitions))]


def _limit(row: Credential, fact: str, s: Staleness) -> int:
    volatile = row.credential_type == "certification_exam" or row.price_basis == "per_month"
    return s.price_days if fact == "price" and volatile else s.programme_days


def times_shown(tracker_store_url: str | None) -> Counter:
    """How often each credential was shown to people, from the conversation store (empty when there is none)."""
    shown: Counter = Counter()
    if not tracker_store_url:
        return shown
    try:
        engine = create_engine(tracker_store_url)
    except Exception:  # noqa: BLE001 - an unusable address means no usage figures, not a failed worksheet
        return shown
    try:
        if "events" not in inspect(engine).get_table_names():
            return shown
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT data FROM events WHERE type_name = 'slot' AND data LIKE '%shown_ids%'"))
            for (data,) in rows:
                event = json.loads(data)
                if event.get("name") == "shown_ids":
                    shown.update(event.get("value") or [])
    except Exception:  # noqa: BLE001 - a store of another shape: no usage figures
        return Counter()
    finally:
        engine.dispose()
    return shown


def worksheet(session, today: dt.date, staleness: Staleness, shown: Counter) -> list[dict]:
    """The facts due for checking, most shown first, then oldest (never checked first)."""
    rows = []
    for c in session.execute(select(Credential).where(Credential.status != "retired")).unique().scalars():
        evidence = {(e.fact, e.item or 0): e for e in c.evidence}
        for fact, item in _stated(c):
            e = evidence.get((fact, item))
            if e is None or not e.confirmed:
                why = "no evidence recorded" if e is None else "not confirmed by a source"
            elif e.checked is None or (today - e.checked).days > _limit(c, fact, staleness):
                why = f"confirmed over {_limit(c, fact, staleness)} days ago"
            else:
                continue
            checked = e.checked if e is not None and e.confirmed and e.checked else None
            rows.append(
                {
                    "credential_id": c.id,
                    "title": c.title,
                    "fact": fact,
                    "item": item,
                    "current_value": _value(c, fact, item),
                    "why": why,
                    "checked": checked.isoformat() if checked else "",
                    "source": (e.source or "") if e is not None and e.confirmed else "",
                    "times_shown": shown.get(c.id, 0),
                    **{k: "" for k in ("new_value", "new_source", "new_says", "checked_by")},
                }
            )
    return sorted(rows, key=lambda r: (-r["times_shown"], r["checked"] or "0000", r["credential_id"], r["fact"]))


def write_worksheet(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def apply_worksheet(session, path: Path, today: dt.date) -> tuple[int, list[str]]:
    """Record each filled row as its fact's evidence (and new value); (rows applied, problems by line).
    Rows with problems are left out and reported; the rest are applied."""
    applied, problems, touched = 0, [], set()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"credential_id", "fact", "item", "new_source", "new_says", "checked_by"} - set(
            reader.fieldnames or ()
        )
        if missing:
            raise ValueError(f"not a recheck worksheet: missing column(s) {', '.join(sorted(missing))}")
        for line, r in enumerate(reader, start=2):
            if not (r.get("new_source") or "").strip():
                continue  # not worked on yet
            problem = _apply_row(session, r, today)
            if problem:
                problems.append(f"line {line}: {problem}")
            else:
                applied += 1
                touched.add(r["credential_id"])
    session.flush()
    refresh_rows(session, sorted(touched))
    return applied, problems


def _apply_row(session, r: dict, today: dt.date) -> str | None:
    c = session.get(Credential, r["credential_id"])
    fact, source = r["fact"], r["new_source"].strip()
    if c is None:
        return f"no credential {r['credential_id']!r}"
    if fact not in (*EVIDENCE_FACTS, "recognition"):
        return f"unknown fact {fact!r}"
    try:
        item = int(r.get("item") or 0)
    except ValueError:
        return f"item {r.get('item')!r} is not a number"
    piece = {"source": source, "says": r.get("new_says") or None, "checked": today, "by": r.get("checked_by")}
    bad = check_one("evidence", piece)
    if bad:
        return "; ".join(p.split(": ", 1)[-1] for p in bad)
    new_value = (r.get("new_value") or "").strip()
    if new_value:
        if fact not in VALUE_COLUMNS:
            return f"the {fact} of a credential is changed in the catalogue file, not here"
        try:
            setattr(c, VALUE_COLUMNS[fact], float(new_value))
        except ValueError:
            return f"new_value {new_value!r} is not a number"
    for e in [e for e in c.evidence if e.fact == fact and (e.item or 0) == item]:
        c.evidence.remove(e)
    c.evidence.append(
        FactEvidence(
            fact=fact,
            item=item,
            confirmed=True,
            source=source,
            says=piece["says"],
            checked=today,
            checked_by=piece["by"],
        )
    )
    return None
