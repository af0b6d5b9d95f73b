"""The project's own flat CSV and JSON format: export, and import back (all or nothing)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any, Callable, Iterable

from bot.catalogue.importers.common import (
    CSV_COLUMNS,
    ImportResult,
    Rejected,
    _Reject,
)
from bot.catalogue.importers.records import (
    _credential,
    _csv_rows,
    _progress,
)
from bot.catalogue.importers.values import (
    _bool_text,
    _number,
    _read_text,
)
from bot.catalogue.loading import _check_credential, _check_provider
from bot.language.aims import AIM_CODES
from bot.model import CREDENTIAL_FIELDS, CREDENTIAL_TYPES, DELIVERY_MODES, PROVIDER_FIELDS


def _fmt_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _fmt_list(items: list | None) -> str:
    items = list(items or [])
    if any(";" in str(i) for i in items):
        return json.dumps(items, ensure_ascii=False)
    return ";".join(str(i) for i in items)


def _text(v: Any) -> str:
    return "" if v is None else str(v)


def _flatten(c: dict) -> dict[str, str]:
    price = c.get("price") or {}
    credit = c.get("credit") or {}
    assessment = c.get("assessment") or {}
    qa = c.get("quality_assurance") or {}

    last = c.get("last_checked")
    return {
        "id": _text(c.get("id")),
        "title": _text(c.get("title")),
        "provider": _text(c.get("provider")),
        "platform": _text(c.get("platform")),
        "credential_type": _text(c.get("credential_type")),
        "career_aims": _fmt_list(c.get("career_aims")),
        "topics": _fmt_list(c.get("topics")),
        "price_amount": _fmt_number(price.get("amount")),
        "price_currency": _text(price.get("currency")),
        "price_basis": _text(price.get("basis")),
        "free_to_audit": _fmt_number(bool(c.get("free_to_audit"))),
        "certificate_price": _fmt_number(c.get("certificate_price")),
        "duration_weeks": _fmt_number(c.get("duration_weeks")),
        "hours_per_week": _fmt_number(c.get("hours_per_week")),
        "delivery_mode": _text(c.get("delivery_mode")),
        "level_eqf": _fmt_number(c.get("level_eqf")),
        "level": _text(c.get("level")),
        "credit_value": _fmt_number(credit.get("value")),
        "credit_system": _text(credit.get("system")),
        "credit_status": _text(credit.get("status")),
        "credit_note": _text(credit.get("note")),
        "assessment_type": _text(assessment.get("type")),
        "assessment_supervised": _fmt_number(assessment.get("supervised")),
        "qa_type": _text(qa.get("type")),
        "qa_body": _text(qa.get("body")),
        "recognition": json.dumps(c.get("recognition") or [], ensure_ascii=False, default=_json_default)
        if c.get("recognition")
        else "",
        "stackable_into": _text(c.get("stackable_into")),
        "issuer_country": _text(c.get("issuer_country")),
        "language": _text(c.get("language")),
        "source_url": _text(c.get("source_url")),
        "last_checked": last.isoformat() if isinstance(last, dt.date) else _text(last),
        "learning_outcomes": _fmt_list(c.get("learning_outcomes")),
        "workload_hours": _fmt_number(c.get("workload_hours")),
        "prerequisites": _text(c.get("prerequisites")),
        "identity_verified": _fmt_number(assessment.get("identity_verified")),
        "skills": _fmt_list(c.get("skills")),
        "further_information": _text(c.get("further_information")),
        "fields": _fmt_list(c.get("fields")),
        **_flatten_additions(c),
    }


def _flatten_additions(c: dict) -> dict[str, str]:
    """The CSV columns of price scope, credit eligibility, co-providers, access, status and evidence."""
    price, credit = c.get("price") or {}, c.get("credit") or {}

    return {
        "price_scope": _text(price.get("scope")),
        "credit_eligibility": _text(credit.get("eligibility")),
        "co_providers": _fmt_list(c.get("co_providers")),
        "access_weeks": _fmt_number(c.get("access_weeks")),
        "status": _text(c.get("status")),
        "status_note": _text(c.get("status_note")),
        "regions": _fmt_list(c.get("regions")),
        "evidence": json.dumps(c.get("evidence"), ensure_ascii=False, default=_json_default)
        if c.get("evidence")
        else "",
    }


def export_csv(credentials: list[dict], path: Path | str) -> None:
    """Write credentials as the project's flat CSV (UTF-8, one row per credential)."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for c in credentials:
            writer.writerow(_flatten(c))


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def export_json(credentials: list[dict], path: Path | str, providers: list[dict] | None = None) -> None:
    """Write credentials (a list, or {"providers", "credentials"} when providers are given) as JSON."""
    payload: Any = (
        list(credentials) if providers is None else {"providers": list(providers), "credentials": list(credentials)}
    )
    Path(path).write_text(
        json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default) + "\n", encoding="utf-8"
    )


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value)
    return s if s.strip() else None


def _opt_number(value: Any, what: str, *, positive: bool = False) -> int | float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Reject(f"{what} {value!r} is not a number")
    if isinstance(value, (int, float)):
        number = value
    else:
        try:
            number = _number(str(value))
        except ValueError:
            raise _Reject(f"{what} {value!r} is not a number") from None
    if isinstance(number, float) and not math.isfinite(number):
        raise _Reject(f"{what} {value!r} is not a number")
    if number < 0:
        raise _Reject(f"{what} {value!r} is negative")
    if positive and number == 0:
        raise _Reject(f"{what} {value!r} must be more than 0")
    return number


def _opt_bool(value: Any, what: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    return _bool_text(str(value), what)


def _parse_list(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    s = str(value).strip()
    if s.startswith("["):
        try:
            items = json.loads(s)
        except ValueError:
            raise _Reject(f"{what} {s!r} is not a list") from None
        return [str(v) for v in items]
    return [p.strip() for p in s.split(";") if p.strip()]


def _parse_date(value: Any, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        d = value
    else:
        try:
            d = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise _Reject(f"last_checked {value!r} is not a date (YYYY-MM-DD)") from None
    if d > today:
        raise _Reject(f"last_checked {d.isoformat()} is in the future")
    return d


def _levels(raw: dict) -> tuple[int | None, str | None]:
    """(EQF level, beginner/intermediate/advanced), checked; raises _Reject."""
    level_eqf = _opt_number(raw.get("level_eqf"), "level_eqf")
    if level_eqf is not None and (not isinstance(level_eqf, int) or not 1 <= level_eqf <= 8):
        raise _Reject(f"level_eqf {raw.get('level_eqf')!r} is not an EQF level 1-8")
    level = _opt_str(raw.get("level"))
    if level is not None and level not in {"beginner", "intermediate", "advanced"}:
        raise _Reject(f"level {level!r} is not beginner, intermediate or advanced")
    return level_eqf, level


def _check_allowed(record: dict) -> dict:
    """``record`` when its delivery mode, type and aims are allowed values; raises _Reject."""
    if record["delivery_mode"] is not None and record["delivery_mode"] not in DELIVERY_MODES:
        raise _Reject(f"delivery_mode {record['delivery_mode']!r} is not one of {', '.join(sorted(DELIVERY_MODES))}")
    if record["credential_type"] is not None and record["credential_type"] not in CREDENTIAL_TYPES:
        raise _Reject(
            f"credential_type {record['credential_type']!r} is not one of {', '.join(sorted(CREDENTIAL_TYPES))}"
        )
    bad_aims = [a for a in record["career_aims"] if a not in AIM_CODES]
    if bad_aims:
        raise _Reject(f"unknown career aim(s) {', '.join(bad_aims)}")
    return record


def _parts(raw: dict) -> tuple[dict, dict | None, list]:
    """(price, credit, recognition) of a record, each of the right shape; raises _Reject."""
    price = raw.get("price") or {}
    if not isinstance(price, dict):
        raise _Reject("price must be a mapping of amount, currency, basis")
    credit = raw.get("credit")
    if credit is not None and not isinstance(credit, dict):
        raise _Reject("credit must be a mapping or null")
    recognition = raw.get("recognition") or []
    if not isinstance(recognition, list) or not all(isinstance(r, dict) and r.get("by") for r in recognition):
        raise _Reject("recognition must be a list of {by, url}")
    return price, credit, recognition


def _normalise(raw: dict, today: dt.date) -> dict:
    """A credential from the project's CSV/JSON, typed and checked; raises _Reject."""
    title = _opt_str(raw.get("title"))
    if not title:
        raise _Reject("missing title")
    price, credit, recognition = _parts(raw)
    assessment = raw.get("assessment") or {}
    qa = raw.get("quality_assurance") or {}
    level_eqf, level = _levels(raw)
    return _check_allowed(
        _credential(
            id=_opt_str(raw.get("id")),
            title=title,
            provider=_opt_str(raw.get("provider")),
            platform=_opt_str(raw.get("platform")),
            credential_type=_opt_str(raw.get("credential_type")),
            career_aims=_parse_list(raw.get("career_aims"), "career_aims"),
            topics=_parse_list(raw.get("topics"), "topics"),
            price=_price(price),
            free_to_audit=bool(_opt_bool(raw.get("free_to_audit"), "free_to_audit")),
            certificate_price=_opt_number(raw.get("certificate_price"), "certificate_price"),
            duration_weeks=_opt_number(raw.get("duration_weeks"), "duration_weeks", positive=True),
            hours_per_week=_opt_number(raw.get("hours_per_week"), "hours_per_week", positive=True),
            delivery_mode=_opt_str(raw.get("delivery_mode")),
            level_eqf=level_eqf,
            level=level,
            credit=None
            if credit is None
            else {
                "value": _opt_number(credit.get("value"), "credit value"),
                "system": _opt_str(credit.get("system")),
                "status": _opt_str(credit.get("status")),
                "note": _opt_str(credit.get("note")),
                **({"eligibility": _opt_str(credit.get("eligibility"))} if _opt_str(credit.get("eligibility")) else {}),
            },
            assessment={
                "type": _opt_str(assessment.get("type")),
                "supervised": _opt_bool(assessment.get("supervised"), "assessment supervised"),
                "identity_verified": _opt_bool(assessment.get("identity_verified"), "identity_verified"),
            },
            quality_assurance={"type": _opt_str(qa.get("type")), "body": _opt_str(qa.get("body"))},
            recognition=_recognitions(recognition),
            stackable_into=_opt_str(raw.get("stackable_into")),
            issuer_country=_opt_str(raw.get("issuer_country")),
            language=_opt_str(raw.get("language")),
            source_url=_opt_str(raw.get("source_url")),
            last_checked=_parse_date(raw.get("last_checked"), today),
            learning_outcomes=_parse_list(raw.get("learning_outcomes"), "learning_outcomes"),
            workload_hours=_opt_number(raw.get("workload_hours"), "workload_hours", positive=True),
            prerequisites=_opt_str(raw.get("prerequisites")),
            skills=_parse_list(raw.get("skills"), "skills"),
            further_information=_opt_str(raw.get("further_information")),
            fields=_parse_list(raw.get("fields"), "fields"),
            **_additions(raw),
        )
    )


def _price(price: dict) -> dict:
    return {
        "amount": _opt_number(price.get("amount"), "price amount"),
        "currency": _opt_str(price.get("currency")),
        "basis": _opt_str(price.get("basis")) or "one_off",
        **({"scope": _opt_str(price.get("scope"))} if _opt_str(price.get("scope")) else {}),
    }


def _recognitions(recognition: list) -> list[dict]:
    return [
        {
            "by": str(r["by"]),
            "url": _opt_str(r.get("url")),
            **({"evidence": _evidence_dates(r["evidence"])} if r.get("evidence") else {}),
        }
        for r in recognition
    ]


def _additions(raw: dict) -> dict:
    """Co-providers, access, status and the evidence block of a record; raises _Reject."""
    return {
        "co_providers": _parse_list(raw.get("co_providers"), "co_providers"),
        "access_weeks": _opt_number(raw.get("access_weeks"), "access_weeks", positive=True),
        "status": _opt_str(raw.get("status")) or "active",
        "status_note": _opt_str(raw.get("status_note")),
        "regions": _parse_list(raw.get("regions"), "regions"),
        "evidence": _evidence(raw.get("evidence")),
    }


def _evidence(value: Any) -> dict:
    """An evidence block: a mapping (in CSV, as JSON); raises _Reject."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _Reject(f"evidence {value[:60]!r} is not a JSON mapping of fact to evidence") from None
    if not isinstance(value, dict):
        raise _Reject("evidence must be a mapping of fact to evidence")
    return {fact: _evidence_dates(e) for fact, e in value.items()}


def _evidence_dates(e: Any) -> Any:
    """One piece of evidence with its ``checked`` date as a date (JSON and CSV carry it as text)."""
    if isinstance(e, dict) and isinstance(e.get("checked"), str):
        try:
            return {**e, "checked": dt.date.fromisoformat(e["checked"])}
        except ValueError:
            raise _Reject(f"evidence checked {e['checked']!r} is not a date (YYYY-MM-DD)") from None
    return e


def _unflatten(row: dict[str, str]) -> dict:
    def s(key: str) -> str | None:
        value = row.get(key)
        return value if value is not None and value.strip() else None

    recognition: Any = []
    if s("recognition"):
        try:
            recognition = json.loads(row["recognition"])
        except ValueError:
            raise _Reject(f"recognition {row['recognition']!r} is not a JSON list of {{by, url}}") from None
    credit_keys = ("credit_value", "credit_system", "credit_status", "credit_note")
    credit = (
        None
        if not any(s(k) for k in credit_keys)
        else {
            "value": s("credit_value"),
            "system": s("credit_system"),
            "status": s("credit_status"),
            "eligibility": s("credit_eligibility"),
            "note": s("credit_note"),
        }
    )
    return {
        "id": s("id"),
        "title": s("title"),
        "provider": s("provider"),
        "platform": s("platform"),
        "credential_type": s("credential_type"),
        "career_aims": s("career_aims"),
        "topics": s("topics"),
        "price": {key: s(f"price_{key}") for key in ("amount", "currency", "basis", "scope")},
        "free_to_audit": s("free_to_audit"),
        "certificate_price": s("certificate_price"),
        "duration_weeks": s("duration_weeks"),
        "hours_per_week": s("hours_per_week"),
        "delivery_mode": s("delivery_mode"),
        "level_eqf": s("level_eqf"),
        "level": s("level"),
        "credit": credit,
        "assessment": {
            "type": s("assessment_type"),
            "supervised": s("assessment_supervised"),
            "identity_verified": s("identity_verified"),
        },
        "quality_assurance": {"type": s("qa_type"), "body": s("qa_body")},
        "recognition": recognition,
        "stackable_into": s("stackable_into"),
        "issuer_country": s("issuer_country"),
        "language": s("language"),
        "source_url": s("source_url"),
        "last_checked": s("last_checked"),
        "learning_outcomes": s("learning_outcomes"),
        "workload_hours": s("workload_hours"),
        "prerequisites": s("prerequisites"),
        "skills": s("skills"),
        "further_information": s("further_information"),
        "fields": s("fields"),
        **{key: s(key) for key in ("co_providers", "access_weeks", "status", "status_note", "regions", "evidence")},
    }


def _finish_own(
    entries: Iterable[tuple[int, Any]],
    total: int,
    provider_ids: set[str] | None,
    progress: Callable[[int, int], None] | None,
    today: dt.date,
    result: ImportResult,
) -> None:
    seen: dict[str, int] = {}
    for done, (line, raw) in enumerate(entries, start=1):
        try:
            if isinstance(raw, _Reject):
                raise raw
            if not isinstance(raw, dict):
                raise _Reject("expected a mapping of credential fields")
            unknown = set(raw) - set(CREDENTIAL_FIELDS)
            if unknown:
                raise _Reject(f"unknown field(s) {', '.join(sorted(unknown))}")
            cred = _normalise(raw, today)
            known = (
                provider_ids
                if provider_ids is not None
                else {cred["provider"], cred["platform"], *cred["co_providers"]} - {None}
            )
            problems = _check_credential(0, cred, known)
            if problems:
                raise _Reject(
                    "; ".join(
                        p.split(": ", 1)[-1].replace("is not in providers.yml", "is not among the file's providers")
                        for p in problems
                    )
                )
            if cred["id"] in seen:
                raise _Reject(f"duplicate id {cred['id']!r} (first on line {seen[cred['id']]})")
            seen[cred["id"]] = line
            result.credentials.append(cred)
        except _Reject as exc:
            result.rejected.append(Rejected(line, str(exc)))
        _progress(progress, done, total)


def _import_own_csv(path: Path, progress: Callable[[int, int], None] | None, today: dt.date) -> ImportResult:
    records = list(_csv_rows(_read_text(path)))
    if not records:
        raise ValueError(f"{path.name}: the file is empty")
    header = [h.strip().lstrip("\ufeff") for h in records[0][1]]
    missing = [c for c in ("id", "title", "provider", "credential_type") if c not in header]
    if missing:
        raise ValueError(f"{path.name}: not the project's CSV format: missing column(s) {', '.join(missing)}")
    entries: list[tuple[int, Any]] = []
    result = ImportResult()
    for line, cells in records[1:]:
        if [c.strip() for c in cells] == header:
            result.skipped.append(Rejected(line, "repeated header row"))
            continue
        if len(cells) != len(header):
            entries.append((line, _Reject(f"has {len(cells)} cells, the header has {len(header)}")))
            continue
        try:
            entries.append((line, _unflatten(dict(zip(header, cells)))))
        except _Reject as exc:
            entries.append((line, exc))
    _finish_own(entries, len(entries), None, progress, today, result)
    return result


def _import_own_json(path: Path, progress: Callable[[int, int], None] | None, today: dt.date) -> ImportResult:
    try:
        doc = json.loads(_read_text(path))
    except ValueError as exc:
        raise ValueError(f"{path.name}: not valid JSON: {exc}") from None
    result = ImportResult()
    provider_ids: set[str] | None = None
    if isinstance(doc, dict) and "credentials" in doc:
        providers = doc.get("providers") or []
        provider_ids = set()
        for i, p in enumerate(providers):
            problems = _check_provider(i, p)
            if problems:
                result.rejected.append(Rejected(i + 1, "provider entry: " + "; ".join(problems)))
                continue
            if p["id"] in provider_ids:
                continue
            provider_ids.add(p["id"])
            result.providers.append(
                {k: p.get(k) for k in PROVIDER_FIELDS if k != "former_names"}
                | {"legitimacy": p.get("legitimacy", "unverified")}
                | ({"former_names": p["former_names"]} if p.get("former_names") else {})
            )
        doc = doc["credentials"]
    if not isinstance(doc, list):
        raise ValueError(f'{path.name}: expected a list of credentials or {{"providers", "credentials"}}')
    _finish_own(list(enumerate(doc, start=1)), len(doc), provider_ids, progress, today, result)
    return result
