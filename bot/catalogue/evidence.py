"""Evidence per fact: what confirms a credential's price, duration, workload, credit, quality assurance and
each recognition claim, or an explicit mark that nothing does (docs/catalog-format.md, "Evidence").

A catalogue entry carries an ``evidence`` mapping (fact → evidence, or the word ``unconfirmed``), and
each recognition claim its own ``evidence``. One piece of evidence::

    {source: https://…, says: "£1,650", checked: 2026-12-03, by: desk check of a stored public page}

``source`` is the page's address, or for an imported listing the file (with ``line``, its row).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from bot.model import EVIDENCE_FACTS, FactCheck, is_web_url

UNCONFIRMED = "unconfirmed"
EVIDENCE_KEYS = frozenset({"source", "says", "checked", "by", "line", "page_date"})

#: The fact each stored value belongs to, and how to tell the catalogue states it (so that it needs evidence).
STATED = {
    "price": lambda c: (c.get("price") or {}).get("amount") is not None,
    "certificate_price": lambda c: c.get("certificate_price") is not None,
    "duration": lambda c: c.get("duration_weeks") is not None,
    "workload": lambda c: c.get("hours_per_week") is not None or c.get("workload_hours") is not None,
    "credit": lambda c: bool(c.get("credit")),
    "quality_assurance": lambda c: bool((c.get("quality_assurance") or {}).get("body")),
}

#: Path segments that name an index page rather than a record ("/Pages/default.aspx", "/en/").
_INDEX_SEGMENTS = {"pages", "default.aspx", "index.html", "index.htm", "index.php", "home", "en", "en-us", "en-gb"}


def is_home_page(url: str | None) -> bool:
    """Whether a link goes to a site's (or a section's) front page rather than a record: no query, and at
    most one short path segment without an id once index names are dropped ("https://www.acenet.edu/National-Guide/Pages/
    default.aspx" is the ACE guide's front page, not a programme's record)."""
    if not url or not is_web_url(url):
        return False
    parts = urlsplit(url.strip())
    if parts.query:
        return False
    segments = [s for s in parts.path.split("/") if s and s.lower() not in _INDEX_SEGMENTS]
    if not segments:
        return True
    # one short word ("/uk/", "/National-Guide/"): a section's front page; a record has an id or a longer path
    return len(segments) == 1 and not any(ch.isdigit() for ch in segments[0]) and len(segments[0]) <= 24


def as_date(value: Any) -> dt.date | None:
    """A date, or its ISO text, as a date (None when it is neither)."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def check_one(where: str, value: Any) -> list[str]:
    """Problems with one piece of evidence (``unconfirmed`` is fine)."""
    if value == UNCONFIRMED:
        return []
    if not isinstance(value, dict):
        return [f"{where}: expected a mapping (source, says, checked, by) or the word {UNCONFIRMED!r}"]
    out = []
    unknown = set(value) - EVIDENCE_KEYS
    if unknown:
        out.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    source = value.get("source")
    if not source:
        out.append(f"{where}: missing source")
    elif value.get("line") is None and not is_web_url(source):
        out.append(f"{where}: source must be an http or https address (or a listing file with its line)")
    if value.get("line") is not None and (not isinstance(value["line"], int) or value["line"] < 1):
        out.append(f"{where}: line must be a row number (1 or more)")
    checked = as_date(value.get("checked"))
    if checked is None:
        out.append(f"{where}: checked must be a date (YYYY-MM-DD)")
    elif checked > dt.date.today():
        out.append(f"{where}: checked {checked.isoformat()} is in the future")
    if not value.get("by"):
        out.append(f"{where}: missing by (who checked it)")
    return out


def check_entry(where: str, c: dict) -> list[str]:
    """Problems with a catalogue entry's evidence block and its recognition claims' evidence."""
    out = []
    block = c.get("evidence")
    if block is not None and not isinstance(block, dict):
        return [f"{where}: evidence must be a mapping of fact to evidence"]
    for fact, value in (block or {}).items():
        if fact not in EVIDENCE_FACTS:
            out.append(f"{where}: evidence for unknown fact {fact!r} (one of {', '.join(EVIDENCE_FACTS)})")
            continue
        out += check_one(f"{where}: evidence for {fact}", value)
    for i, r in enumerate(c.get("recognition") or []):
        if isinstance(r, dict) and r.get("evidence") is not None:
            out += check_one(f"{where}: evidence for recognition {i + 1}", r["evidence"])
    return out


def _fact_check(fact: str, value: Any, item: int = 0) -> FactCheck:
    if value == UNCONFIRMED or not isinstance(value, dict):
        return FactCheck(fact=fact, confirmed=False, item=item)
    return FactCheck(
        fact=fact,
        confirmed=True,
        source=str(value.get("source")),
        says=(str(value["says"]) if value.get("says") is not None else None),
        checked=as_date(value.get("checked")),
        by=value.get("by"),
        item=item,
        line=value.get("line"),
        page_date=(str(value["page_date"]) if value.get("page_date") is not None else None),
    )


def fact_checks(c: dict) -> list[FactCheck]:
    """The evidence an entry records, fact by fact (facts it says nothing about are left out)."""
    out = [_fact_check(fact, value) for fact, value in (c.get("evidence") or {}).items() if fact in EVIDENCE_FACTS]
    for i, r in enumerate(c.get("recognition") or []):
        if isinstance(r, dict) and r.get("evidence") is not None:
            out.append(_fact_check("recognition", r["evidence"], i))
    return out


def evidence_value(e: FactCheck) -> Any:
    """One piece of evidence in the catalogue file format (the inverse of reading it)."""
    if not e.confirmed:
        return UNCONFIRMED
    out: dict[str, Any] = {"source": e.source, "says": e.says, "checked": e.checked, "by": e.by}
    if e.line is not None:
        out["line"] = e.line
    if e.page_date:
        out["page_date"] = e.page_date
    return out


def row_values(credential_id: str, e: FactCheck) -> dict:
    """The ``fact_evidence`` row of one piece of evidence."""
    return {
        "credential_id": credential_id,
        "fact": e.fact,
        "item": e.item,
        "confirmed": e.confirmed,
        "source": e.source,
        "line": e.line,
        "says": e.says,
        "checked": e.checked,
        "checked_by": e.by,
        "page_date": e.page_date,
    }


def from_row(row) -> FactCheck:
    return FactCheck(
        fact=row.fact,
        confirmed=bool(row.confirmed),
        source=row.source,
        says=row.says,
        checked=row.checked,
        by=row.checked_by,
        item=row.item or 0,
        line=row.line,
        page_date=row.page_date,
    )


def stated_facts(c: dict) -> list[tuple[str, int]]:
    """The facts an entry states, as (fact, item): the ones that need evidence or an "unconfirmed" mark."""
    out = [(fact, 0) for fact in EVIDENCE_FACTS if STATED[fact](c)]
    out += [("recognition", i) for i, _ in enumerate(c.get("recognition") or [])]
    return out


def evidence_of(c: dict, fact: str, item: int = 0) -> Any:
    """What an entry records for one fact: a mapping, ``unconfirmed``, or None when it records nothing."""
    if fact == "recognition":
        claims = c.get("recognition") or []
        return claims[item].get("evidence") if item < len(claims) and isinstance(claims[item], dict) else None
    return (c.get("evidence") or {}).get(fact)


def faults(c: dict) -> list[str]:
    """What ``advisor catalog check --strict`` refuses in one catalogue entry (as exported): a stated fact
    with neither evidence nor an "unconfirmed" mark, a recognition or credit claim without either, a
    recognition link to a site's front page."""
    out = []
    for fact, item in stated_facts(c):
        if evidence_of(c, fact, item) is None:
            what = f"recognition claim {item + 1}" if fact == "recognition" else fact.replace("_", " ")
            out.append(f"{what}: neither evidence nor marked {UNCONFIRMED}")
    for r in c.get("recognition") or []:
        if is_home_page(r.get("url")):
            out.append(f"recognition by {r.get('by')!r} links to a front page, not this programme's record: {r['url']}")
    return out


#: The kinds ``advisor catalog stats`` counts, and the facts each covers.
STAT_KINDS = (
    ("price", ("price", "certificate_price")),
    ("duration and workload", ("duration", "workload")),
    ("credit", ("credit",)),
    ("recognition", ("recognition",)),
    ("quality assurance", ("quality_assurance",)),
)


def stats(credentials: list[dict]) -> list[tuple[str, int, int, int]]:
    """Per kind of fact: (kind, stated, with evidence, marked unconfirmed)."""
    rows = []
    for kind, facts in STAT_KINDS:
        stated_n = confirmed_n = unconfirmed_n = 0
        for c in credentials:
            for fact, item in stated_facts(c):
                if fact not in facts:
                    continue
                stated_n += 1
                value = evidence_of(c, fact, item)
                confirmed_n += isinstance(value, dict)
                unconfirmed_n += value == UNCONFIRMED
        rows.append((kind, stated_n, confirmed_n, unconfirmed_n))
    return rows
