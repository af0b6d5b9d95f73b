"""Load the readable catalogue files (``data/catalog/*.yml``) into the credential database.

Loading is all or nothing: the files are checked first, every problem is reported with the entry
that has it, and nothing is written unless every entry is valid. Loading again updates entries in
place by ``id``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from bot.catalogue.derived import derived_values, refresh_aim_sets, refresh_costs_in_usd, refresh_rows
from bot.catalogue.evidence import as_date, evidence_value, fact_checks, from_row, row_values
from bot.catalogue.evidence import check_entry as check_evidence
from bot.catalogue.migrate import create_schema
from bot.catalogue.models import (
    SEARCH_COPIES,
    Credential,
    CredentialAim,
    ExchangeRate,
    FactEvidence,
    Provider,
    Recognition,
    session_scope,
)
from bot.catalogue.repository import fields_key, fields_of, rates_in, record_of, regions_of, topics_of
from bot.language.aims import AIM_CODES
from bot.language.fields import FIELD_BY_CODE
from bot.model import (
    CREDENTIAL_FIELDS,
    CREDENTIAL_STATUSES,
    CREDENTIAL_TYPES,
    CREDIT_STATUSES,
    CREDIT_SYSTEMS,
    DELIVERY_MODES,
    EVIDENCE_FACTS,
    PRICE_SCOPES,
    PROVIDER_KINDS,
    REGIONS_OFFERED,
    is_web_url,
)

log = logging.getLogger(__name__)


#: Every key a credential entry may have (docs/catalog-format.md).
KNOWN_FIELDS = frozenset(CREDENTIAL_FIELDS)


class CatalogError(ValueError):
    """The catalogue files have problems; ``problems`` lists each one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the catalogue:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass
class LoadReport:
    providers: int
    credentials: int
    rates: int


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise CatalogError([f"{path.name}: file not found"]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([f"{path.name}: not valid YAML: {exc}"]) from None


def _check_provider(i: int, p: Any) -> list[str]:
    where = f"providers.yml entry {i + 1}"
    if not isinstance(p, dict):
        return [f"{where}: expected a mapping"]
    out = []
    for key in ("id", "name", "kind"):
        if not p.get(key):
            out.append(f"{where} ({p.get('id')}): missing {key}")
    if p.get("kind") and p["kind"] not in PROVIDER_KINDS:
        out.append(f"{where} ({p.get('id')}): unknown kind {p['kind']!r}")
    if p.get("legitimacy", "unverified") not in {"verified", "unverified"}:
        out.append(f"{where} ({p.get('id')}): legitimacy must be verified or unverified")
    if p.get("website") and not is_web_url(p["website"]):
        out.append(f"{where} ({p.get('id')}): website must be an http or https address")
    names = p.get("former_names")
    if names is not None and not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        out.append(f"{where} ({p.get('id')}): former_names must be a list of names")
    return out


def _check_links(where: str, c: dict) -> list[str]:
    """Links are stored and drawn as links: only ``http``/``https`` addresses are accepted."""
    out = []
    if c.get("source_url") and not is_web_url(c["source_url"]):
        out.append(f"{where}: source_url must be an http or https address")
    for r in c.get("recognition") or []:
        if isinstance(r, dict) and r.get("url") and not is_web_url(r["url"]):
            out.append(f"{where}: recognition url must be an http or https address")
    return out


def _check_additions(where: str, c: dict, provider_ids: set[str]) -> list[str]:
    """Access, status, co-providers, credit eligibility, regions and the evidence block."""
    out = []
    v = c.get("access_weeks")
    if v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0):
        out.append(f"{where}: access_weeks must be a positive number or null")
    if c.get("status", "active") not in CREDENTIAL_STATUSES:
        out.append(f"{where}: status must be one of {', '.join(CREDENTIAL_STATUSES)}")
    for pid in c.get("co_providers") or []:
        if pid not in provider_ids:
            out.append(f"{where}: co-provider {pid!r} is not in providers.yml")
    credit = c.get("credit")
    if (
        isinstance(credit, dict)
        and credit.get("eligibility") is not None
        and not isinstance(credit["eligibility"], str)
    ):
        out.append(f"{where}: credit eligibility must be a text")
    regions = c.get("regions") or []
    for code in regions if isinstance(regions, list) else []:
        if code not in REGIONS_OFFERED:
            out.append(f"{where}: unknown region {code!r} (one of {', '.join(REGIONS_OFFERED)})")
    return out + check_evidence(where, c)


def _check_credential(i: int, c: Any, provider_ids: set[str]) -> list[str]:
    if not isinstance(c, dict):
        return [f"credentials.yml entry {i + 1}: expected a mapping"]
    where = f"credentials.yml entry {i + 1} ({c.get('id')})"
    out = []
    for key in ("id", "title", "provider", "credential_type", "source_url", "last_checked"):
        if not c.get(key):
            out.append(f"{where}: missing {key}")
    out += _check_links(where, c)
    if c.get("provider") and c["provider"] not in provider_ids:
        out.append(f"{where}: provider {c['provider']!r} is not in providers.yml")
    if c.get("platform") and c["platform"] not in provider_ids:
        out.append(f"{where}: platform {c['platform']!r} is not in providers.yml")
    if c.get("credential_type") and c["credential_type"] not in CREDENTIAL_TYPES:
        out.append(f"{where}: unknown credential_type {c['credential_type']!r}")
    aims = c.get("career_aims") or []
    if not aims:
        out.append(f"{where}: career_aims is empty")
    for aim in aims:
        if aim not in AIM_CODES:
            out.append(f"{where}: unknown career aim {aim!r}")
    price = c.get("price") or {}
    amount = price.get("amount")
    if amount is not None and (not isinstance(amount, (int, float)) or amount < 0):
        out.append(f"{where}: price amount must be a number >= 0 or null")
    if amount is not None and not (isinstance(price.get("currency"), str) and len(price["currency"]) == 3):
        out.append(f"{where}: price currency must be an ISO 4217 code")
    if price.get("basis", "one_off") not in {"one_off", "per_month"}:
        out.append(f"{where}: price basis must be one_off or per_month")
    if price.get("scope") is not None and price["scope"] not in PRICE_SCOPES:
        out.append(f"{where}: price scope must be one of {', '.join(PRICE_SCOPES)}")
    out += _check_additions(where, c, provider_ids)
    for key in ("duration_weeks", "hours_per_week"):
        v = c.get(key)
        if v is not None and (not isinstance(v, (int, float)) or v <= 0):
            out.append(f"{where}: {key} must be a positive number or null")
    if c.get("delivery_mode") and c["delivery_mode"] not in DELIVERY_MODES:
        out.append(f"{where}: unknown delivery_mode {c['delivery_mode']!r}")
    credit = c.get("credit")
    if credit:
        if credit.get("system") not in CREDIT_SYSTEMS:
            out.append(f"{where}: credit system must be one of {sorted(CREDIT_SYSTEMS)}")
        if credit.get("status") not in CREDIT_STATUSES:
            out.append(f"{where}: credit status must be one of {sorted(CREDIT_STATUSES)}")
    if c.get("last_checked") and as_date(c["last_checked"]) is None:
        out.append(f"{where}: last_checked must be a date (YYYY-MM-DD)")
    for code in c.get("fields") or []:
        if code not in FIELD_BY_CODE:
            out.append(f"{where}: unknown field {code!r} (the codes are in data/fields.yml)")
    for key in ("learning_outcomes", "skills", "topics", "fields", "regions"):
        v = c.get(key)
        if v is not None and not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
            out.append(f"{where}: {key} must be a list of texts")
    v = c.get("workload_hours")
    if v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0):
        out.append(f"{where}: workload_hours must be a positive number or null")
    unknown = set(c) - KNOWN_FIELDS
    if unknown:
        out.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    return out


def _credential_row(c: dict) -> Credential:
    price = c.get("price") or {}
    credit = c.get("credit") or {}
    assessment = c.get("assessment") or {}
    qa = c.get("quality_assurance") or {}
    row = Credential(
        id=c["id"],
        title=c["title"].strip(),
        provider_id=c["provider"],
        platform_id=c.get("platform") or None,
        credential_type=c["credential_type"],
        topics=json.dumps([t.strip().lower() for t in (c.get("topics") or [])], ensure_ascii=False),
        price_amount=float(price["amount"]) if price.get("amount") is not None else None,
        price_currency=(price.get("currency") or None),
        price_basis=price.get("basis") or "one_off",
        free_to_audit=bool(c.get("free_to_audit")),
        certificate_price=float(c["certificate_price"]) if c.get("certificate_price") is not None else None,
        duration_weeks=c.get("duration_weeks"),
        hours_per_week=c.get("hours_per_week"),
        delivery_mode=c.get("delivery_mode"),
        level_eqf=c.get("level_eqf"),
        level=c.get("level"),
        credit_value=credit.get("value"),
        credit_system=credit.get("system"),
        credit_status=credit.get("status"),
        credit_note=credit.get("note"),
        assessment_type=assessment.get("type"),
        assessment_supervised=assessment.get("supervised"),
        qa_type=qa.get("type"),
        qa_body=qa.get("body"),
        stackable_into=c.get("stackable_into"),
        issuer_country=c.get("issuer_country"),
        language=c.get("language"),
        source_url=c["source_url"],
        last_checked=as_date(c["last_checked"]),
        learning_outcomes=json.dumps([t.strip() for t in (c.get("learning_outcomes") or [])], ensure_ascii=False),
        workload_hours=c.get("workload_hours"),
        prerequisites=c.get("prerequisites"),
        identity_verified=assessment.get("identity_verified"),
        skills=json.dumps([t.strip().lower() for t in (c.get("skills") or [])], ensure_ascii=False),
        further_information=c.get("further_information"),
        fields_key=fields_key(c.get("fields") or ()),
        regions_key=fields_key(c.get("regions") or ()),
        price_scope=price.get("scope"),
        access_weeks=c.get("access_weeks"),
        credit_eligibility=credit.get("eligibility"),
        co_providers=json.dumps(list(c.get("co_providers") or [])),
        status=c.get("status") or "active",
        status_note=c.get("status_note"),
    )
    # a retired programme is kept but serves no aim: it is never recommended
    row.aims = [] if row.status == "retired" else [CredentialAim(aim=a) for a in dict.fromkeys(c["career_aims"])]
    row.recognitions = [
        Recognition(id=i + 1, by=r["by"], url=r.get("url"))
        for i, r in enumerate(c.get("recognition") or [])
        if r and r.get("by")
    ]
    row.evidence = [FactEvidence(**row_values(row.id, e)) for e in fact_checks(c)]
    return row


def check_entries(providers: list, credentials: list, known_provider_ids: set[str] = frozenset()) -> list[str]:
    """Every problem in these entries (empty when all are valid)."""
    problems: list[str] = []
    for i, p in enumerate(providers):
        problems += _check_provider(i, p)
    provider_ids = {p.get("id") for p in providers if isinstance(p, dict)} | set(known_provider_ids)
    seen: set[str] = set()
    for i, c in enumerate(credentials):
        problems += _check_credential(i, c, provider_ids)
        if isinstance(c, dict):
            if c.get("id") in seen:
                problems.append(f"credentials.yml entry {i + 1}: duplicate id {c.get('id')!r}")
            seen.add(c.get("id"))
    return problems


def write_entries(
    session, providers: list[dict], credentials: list[dict], keep_verified_providers: bool = False, progress=None
) -> None:
    """Insert or update providers and credentials by id, in the caller's transaction.

    With ``keep_verified_providers``, a provider already recorded as verified is left as it is
    (an imported listing never downgrades what was checked by hand). Credentials already present
    are replaced whole; ``progress(done, total)`` follows the writing.
    """
    for p in providers:
        existing = session.get(Provider, p["id"])
        if existing is not None and keep_verified_providers and existing.legitimacy == "verified":
            continue
        session.merge(Provider(**_provider_values(p)))
    session.flush()
    ids = [c["id"] for c in credentials]
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        for table, key in (
            (CredentialAim, CredentialAim.credential_id),
            (Recognition, Recognition.credential_id),
            (FactEvidence, FactEvidence.credential_id),
            (Credential, Credential.id),
        ):
            session.execute(delete(table).where(key.in_(part)).execution_options(synchronize_session=False))
    session.expunge_all()
    _insert_credentials(session, credentials, progress=progress)
    # the derived columns of the provider's other credentials follow its details (legitimacy, kind)
    if providers:
        others = set(
            session.execute(
                select(Credential.id).where(Credential.provider_id.in_([p["id"] for p in providers]))
            ).scalars()
        ) - set(ids)
        refresh_rows(session, sorted(others))
    refresh_aim_sets(session)


def bulk_insert(session, providers: list[dict], credentials: list[dict], progress=None) -> None:
    """Insert new providers and credentials (none of these ids may be present yet)."""
    session.execute(Provider.__table__.insert(), [_provider_values(p) for p in providers])
    _insert_credentials(session, credentials, progress=progress)
    refresh_aim_sets(session)


def _provider_values(p: dict) -> dict:
    return {
        "id": p["id"],
        "name": p["name"],
        "kind": p["kind"],
        "country": p.get("country"),
        "website": p.get("website"),
        "legitimacy": p.get("legitimacy", "unverified"),
        "legitimacy_evidence": p.get("legitimacy_evidence"),
        "former_names": json.dumps(list(p.get("former_names") or []), ensure_ascii=False),
    }


def _insert_credentials(session, credentials: list[dict], chunk: int = 2000, progress=None) -> None:
    """Insert credentials with their aims, recognitions and derived columns, many rows a statement."""

    rates = rates_in(session).usd_per_unit
    needed = sorted({c["provider"] for c in credentials} | {c["platform"] for c in credentials if c.get("platform")})
    provider_rows = {}
    for start in range(0, len(needed), 500):
        provider_rows.update(
            {
                p.id: p
                for p in session.execute(select(Provider).where(Provider.id.in_(needed[start : start + 500]))).scalars()
            }
        )
    columns = [c.name for c in Credential.__table__.columns]
    for start in range(0, len(credentials), chunk):
        cred_values, aim_values, recognition_values, evidence_values = [], [], [], []
        for c in credentials[start : start + chunk]:
            row = _credential_row(c)
            record = record_of(
                row, provider_rows[row.provider_id], provider_rows.get(row.platform_id) if row.platform_id else None
            )
            values = {name: getattr(row, name) for name in columns}
            values.update(derived_values(record, rates))
            values["free_to_audit"] = bool(values["free_to_audit"])
            cred_values.append(values)
            copies = {name: values[name] for name in SEARCH_COPIES}
            aim_values += [{"credential_id": row.id, "aim": a.aim, **copies} for a in row.aims]
            recognition_values += [{"credential_id": row.id, "by": r.by, "url": r.url} for r in row.recognitions]
            evidence_values += [row_values(row.id, from_row(e)) for e in row.evidence]
        if cred_values:
            session.execute(Credential.__table__.insert(), cred_values)
            session.execute(CredentialAim.__table__.insert(), aim_values)
        if recognition_values:
            session.execute(Recognition.__table__.insert(), recognition_values)
        if evidence_values:
            session.execute(FactEvidence.__table__.insert(), evidence_values)
        if progress:
            progress(min(start + chunk, len(credentials)), len(credentials))


def credential_to_dict(row: Credential) -> dict:
    """A credential row in the catalogue file format (the inverse of loading it)."""
    return {
        "id": row.id,
        "title": row.title,
        "provider": row.provider_id,
        "platform": row.platform_id,
        "credential_type": row.credential_type,
        "career_aims": sorted(a.aim for a in row.aims),
        "topics": topics_of(row),
        "price": {
            "amount": row.price_amount,
            "currency": row.price_currency,
            "basis": row.price_basis or "one_off",
            "scope": row.price_scope,
        },
        "free_to_audit": bool(row.free_to_audit),
        "certificate_price": row.certificate_price,
        "duration_weeks": row.duration_weeks,
        "hours_per_week": row.hours_per_week,
        "delivery_mode": row.delivery_mode,
        "level_eqf": row.level_eqf,
        "level": row.level,
        "credit": None
        if not row.credit_system
        else {
            "value": row.credit_value,
            "system": row.credit_system,
            "status": row.credit_status,
            "eligibility": row.credit_eligibility,
            "note": row.credit_note,
        },
        "assessment": {
            "type": row.assessment_type,
            "supervised": row.assessment_supervised,
            "identity_verified": row.identity_verified,
        },
        "quality_assurance": {"type": row.qa_type, "body": row.qa_body},
        "recognition": _recognition_dicts(row),
        "stackable_into": row.stackable_into,
        "issuer_country": row.issuer_country,
        "language": row.language,
        "source_url": row.source_url,
        "last_checked": row.last_checked,
        "learning_outcomes": json.loads(row.learning_outcomes) if row.learning_outcomes else [],
        "workload_hours": row.workload_hours,
        "prerequisites": row.prerequisites,
        "skills": json.loads(row.skills) if row.skills else [],
        "further_information": row.further_information,
        "fields": fields_of(row),
        "regions": regions_of(row),
        "co_providers": json.loads(row.co_providers) if row.co_providers else [],
        "access_weeks": row.access_weeks,
        "status": row.status or "active",
        "status_note": row.status_note,
        "evidence": _evidence_dict(row),
    }


def _evidence_dict(row: Credential) -> dict:
    by_fact = {e.fact: evidence_value(from_row(e)) for e in row.evidence if e.fact != "recognition"}
    return {fact: by_fact[fact] for fact in EVIDENCE_FACTS if fact in by_fact}


def _recognition_dicts(row: Credential) -> list[dict]:
    claims = [{"by": r.by, "url": r.url} for r in sorted(row.recognitions, key=lambda r: r.id or 0)]
    for e in row.evidence:
        if e.fact == "recognition" and (e.item or 0) < len(claims):
            claims[e.item or 0]["evidence"] = evidence_value(from_row(e))
    return claims


def provider_to_dict(row: Provider) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "country": row.country,
        "website": row.website,
        "legitimacy": row.legitimacy,
        "legitimacy_evidence": row.legitimacy_evidence,
        "former_names": json.loads(row.former_names) if row.former_names else [],
    }


def load_catalog(engine: Engine, catalog_dir: Path) -> LoadReport:
    """Check and load ``providers.yml``, ``credentials.yml`` and ``exchange_rates.yml``."""
    providers = _read_yaml(catalog_dir / "providers.yml") or []
    credentials = _read_yaml(catalog_dir / "credentials.yml") or []
    rates = _read_yaml(catalog_dir / "exchange_rates.yml") or {}
    problems: list[str] = []
    if not isinstance(providers, list):
        problems.append("providers.yml: expected a list of providers")
        providers = []
    if not isinstance(credentials, list):
        problems.append("credentials.yml: expected a list of credentials")
        credentials = []
    problems += check_entries(providers, credentials)
    as_of = as_date(rates.get("as_of"))
    if rates and as_of is None:
        problems.append("exchange_rates.yml: as_of must be a date")
    if problems:
        raise CatalogError(problems)

    create_schema(engine)
    with session_scope(engine) as session:
        for code, value in (rates.get("rates") or {}).items():
            session.merge(
                ExchangeRate(
                    currency=code.upper(), usd_per_unit=float(value), as_of=as_of, source=rates.get("source", "")
                )
            )
        session.flush()
        write_entries(session, providers, credentials)
        refresh_costs_in_usd(session)
    log.info("catalogue loaded: %d providers, %d credentials", len(providers), len(credentials))
    return LoadReport(len(providers), len(credentials), len(rates.get("rates") or {}))
