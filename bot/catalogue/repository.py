"""Queries on the credential database, returning plain records for the matcher."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, object_session

from bot.advice.evidence import claims_made
from bot.catalogue.evidence import from_row
from bot.catalogue.models import Credential, CredentialAim, ExchangeRate, Provider, session_scope
from bot.model import CredentialRecord, Rates


def topics_of(row: Credential) -> list[str]:
    return json.loads(row.topics) if row.topics else []


def fields_key(codes) -> str | None:
    """The stored form of a credential's fields, main field first: "|main|other|" (None when untagged)."""
    codes = list(dict.fromkeys(codes))
    return "|" + "|".join(codes) + "|" if codes else None


def fields_of(row) -> list[str]:
    return [f for f in (row.fields_key or "").strip("|").split("|") if f]


def regions_of(row) -> list[str]:
    """Where a credential row is offered, when only there (bot.model.CredentialRecord.regions)."""
    return [r for r in (getattr(row, "regions_key", None) or "").strip("|").split("|") if r]


def rates_in(session: Session) -> Rates:
    rows = session.execute(select(ExchangeRate)).scalars().all()
    return Rates({r.currency: r.usd_per_unit for r in rows}, max((r.as_of for r in rows), default=None))


def _aims_of(row: Credential) -> tuple[str, ...]:
    """Its aims: from the stored ``aims_key`` when the aims rows were not loaded (bot.catalogue.search)."""
    if "aims" not in row.__dict__ and row.aims_key:
        return tuple(a for a in row.aims_key.strip("|").split("|") if a)
    return tuple(sorted(a.aim for a in row.aims))


def _co_provider_names(row: Credential) -> tuple[str, ...]:
    """The names of the bodies that offer it jointly (their ids when the row is not in a session)."""
    ids = json.loads(row.co_providers) if row.co_providers else []
    session = object_session(row)
    if not ids or session is None:
        return tuple(ids)
    names = dict(session.execute(select(Provider.id, Provider.name).where(Provider.id.in_(ids))).all())
    return tuple(names.get(i, i) for i in ids)


def record_of(row: Credential, provider=None, platform=None) -> CredentialRecord:
    """The matcher's record of a row (``provider``/``platform``: given when the row is not loaded)."""
    provider = provider or row.provider
    platform = platform or row.platform
    return claims_made(
        CredentialRecord(
            id=row.id,
            title=row.title,
            provider=provider.name,
            provider_legitimacy=provider.legitimacy,
            platform=platform.name if platform else None,
            credential_type=row.credential_type,
            aims=_aims_of(row),
            topics=tuple(topics_of(row)),
            fields=tuple(fields_of(row)),
            regions=tuple(regions_of(row)),
            price_amount=row.price_amount,
            price_currency=row.price_currency,
            price_basis=row.price_basis or "one_off",
            free_to_audit=bool(row.free_to_audit),
            certificate_price=row.certificate_price,
            duration_weeks=row.duration_weeks,
            hours_per_week=row.hours_per_week,
            delivery_mode=row.delivery_mode,
            level_eqf=row.level_eqf,
            level=row.level,
            credit_value=row.credit_value,
            credit_system=row.credit_system,
            credit_status=row.credit_status,
            credit_note=row.credit_note,
            assessment_type=row.assessment_type,
            assessment_supervised=row.assessment_supervised,
            qa_type=row.qa_type,
            qa_body=row.qa_body,
            recognitions=tuple((r.by, r.url) for r in sorted(row.recognitions, key=lambda r: r.id or 0)),
            stackable_into=row.stackable_into,
            source_url=row.source_url,
            last_checked=row.last_checked,
            provider_kind=provider.kind,
            provider_evidence=provider.legitimacy_evidence,
            learning_outcomes=tuple(json.loads(row.learning_outcomes) if row.learning_outcomes else ()),
            workload_hours=row.workload_hours,
            identity_verified=row.identity_verified,
            prerequisites=row.prerequisites,
            price_scope=row.price_scope,
            access_weeks=row.access_weeks,
            credit_eligibility=row.credit_eligibility,
            co_providers=_co_provider_names(row),
            own_sites=tuple(p.website for p in (provider, platform) if p is not None and p.website),
            status=row.status or "active",
            evidence=tuple(from_row(e) for e in row.evidence),
        )
    )


def credentials_for_aims(engine: Engine, aims: list[str] | tuple[str, ...]) -> list[CredentialRecord]:
    """Every credential that serves at least one of ``aims`` (all credentials when ``aims`` is empty)."""
    with session_scope(engine) as session:
        stmt = select(Credential)
        if aims:
            stmt = stmt.where(
                Credential.id.in_(select(CredentialAim.credential_id).where(CredentialAim.aim.in_(list(aims))))
            )
        rows = session.execute(stmt.order_by(Credential.id)).unique().scalars().all()
        return [record_of(r) for r in rows]


def credentials_in_fields(engine: Engine, fields: list[str] | tuple[str, ...]) -> list[CredentialRecord]:
    """The active credentials tagged with any of ``fields`` (bot.language.fields codes), by id."""
    if not fields:
        return []
    with session_scope(engine) as session:
        tagged = or_(*[Credential.fields_key.contains(f"|{code}|", autoescape=True) for code in fields])
        rows = session.execute(select(Credential).where(tagged).order_by(Credential.id)).unique().scalars().all()
        return [record_of(r) for r in rows if (r.status or "active") == "active"]


def abbreviations(name: str) -> set[str]:
    """A provider's abbreviations as written in its name, in lower case ("Rochester Institute of Technology
    (RIT)": rit; "Massachusetts Institute of Technology (MITx)": mitx, mit); place names are not names."""
    found = set()
    for word in re.findall(r"\b[A-Z]{2,6}x?\b", name):
        found |= {word.lower(), word.rstrip("x").lower()}
    return found


def initials(title: str) -> set[str]:
    """The initials of three or more of a title's capitalised words in a row, in lower case ("saa" and "csaa"
    for "AWS Certified Solutions Architect – Associate"), as people shorten a name."""
    letters = [w[0].lower() for w in re.findall(r"\b[A-Z][a-z]+\b", title)]
    return {"".join(letters[i:j]) for i in range(len(letters)) for j in range(i + 3, len(letters) + 1)}


#: Words in many providers' names that name no one in particular ("college credit" names no college).
INSTITUTION_WORDS = frozenset({"college", "university", "institute", "school", "academy", "centre", "center"})


def credentials_titled(
    engine: Engine, words: list[str], limit: int = 3, referred: Iterable[str] = ()
) -> list[CredentialRecord]:
    """The credentials whose title and provider's abbreviations hold the most of ``words`` (lower case, or in
    capitals for a name written so, which then matches only capitals), best first; at most ``limit`` ("the RIT
    one": the provider is "Rochester Institute of Technology (RIT)"). ``referred``: the words of ``words`` that
    the person used to point at one option ("the Wharton one"): these name a provider by any word of its name."""
    capitals = {w.lower() for w in words if w.isupper()}
    words = [w for w in dict.fromkeys(w.lower() for w in words) if w and w not in INSTITUTION_WORDS]
    if not words:
        return []
    title, provider = func.lower(Credential.title), func.lower(Provider.name)
    former = func.lower(func.coalesce(Provider.former_names, ""))
    with session_scope(engine) as session:
        named = or_(
            *[
                or_(title.contains(w, autoescape=True), provider.contains(w, autoescape=True), former.contains(w))
                for w in words
            ]
        )
        rows = session.execute(select(Credential).join(Provider, Credential.provider_id == Provider.id).where(named))
        found = rows.unique().scalars().all()
        # a renamed provider is still known by its former names ("the ICE course")
        formerly = {r.id: json.loads(r.provider.former_names or "[]") for r in found}
        records = [record_of(r) for r in found]
    titles = {
        r.id: set(re.findall(r"[a-z0-9+][a-z0-9+.-]*[a-z0-9+]|[a-z0-9]", r.title.lower()))
        | abbreviations(r.provider)
        | {a for name in formerly[r.id] for a in abbreviations(name)}
        | initials(r.title)  # "SAA" for AWS Certified Solutions Architect – Associate
        for r in records
    }
    for r in records:  # "WHO" names the World Health Organization, not "Who is your customer?"
        written = {t.lower() for t in re.findall(r"[A-Z0-9+][A-Z0-9+.-]*[A-Z0-9+]", r.title)} | initials(r.title)
        written |= abbreviations(r.provider) | {a for name in formerly[r.id] for a in abbreviations(name)}
        titles[r.id] -= capitals - written
    # several words that together fit only a few ("UC San Diego MicroMasters") name those, whatever each alone
    # (the provider's words count here only: "the weather in Paris" names no Paris provider's course)
    with_provider = {r.id: titles[r.id] | set(re.findall(r"[a-z0-9]{3,}", r.provider.lower())) for r in records}
    hits = {r.id: sum(w in with_provider[r.id] for w in words) for r in records}
    most = max(hits.values(), default=0)
    together = [r for r in records if hits[r.id] == most]
    if most >= 2 and len(together) <= limit:
        return sorted(together, key=lambda r: r.id)
    # whole words only ("you" is not in "your"); a word in many titles ("data") names nothing in particular
    pointed = {w.lower() for w in referred}

    def holds(r: CredentialRecord, w: str) -> bool:
        return w in (with_provider if w in pointed else titles)[r.id]

    distinctive = [w for w in words if 0 < sum(holds(r, w) for r in records) <= limit]
    # a code with a digit ("PL-300", "CS50") names more than a word ("NHS")
    # and so do the words pointing at one option ("the Otago one")
    weight = {w: 2 if re.search(r"\d", w) or w in pointed else 1 for w in distinctive}
    scored = sorted(
        ((sum(weight[w] for w in distinctive if holds(r, w)), r) for r in records), key=lambda x: (-x[0], x[1].id)
    )
    scored = [(score, r) for score, r in scored if score > 0]
    best = scored[0][0] if scored else 0
    return [r for score, r in scored if score == best][:limit]


def credential_count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(Credential)).scalar_one()


def credentials_by_ids(engine: Engine, ids: list[str]) -> list[CredentialRecord]:
    """The credentials with these ids, in the order given (unknown ids are skipped)."""
    if not ids:
        return []
    with session_scope(engine) as session:
        rows = session.execute(select(Credential).where(Credential.id.in_(ids))).unique().scalars().all()
        by_id = {r.id: record_of(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def exchange_rates(engine: Engine) -> Rates:
    with session_scope(engine) as session:
        return rates_in(session)


def count_credentials(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(Credential)).scalar_one()
