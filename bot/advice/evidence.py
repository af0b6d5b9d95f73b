"""What the catalogue's evidence lets the assistant say about each fact: confirmed where and when, or
not confirmed; which recognition claims may be made; which confirmations are too old to lean on.

Pure: takes a :class:`CredentialRecord` and returns plain data and sentences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import urlsplit

from bot.language.messages import say
from bot.model import CredentialRecord, FactCheck
from bot.settings import load_settings

#: The facts a card speaks of, in the order it names them, with the words used for them.
CARD_FACTS = ("price", "duration", "credit")
FACT_WORDS = {"price": "price", "duration": "length", "workload": "weekly hours", "credit": "credit"}

#: Programme facts are rechecked after a year; exam fees and subscription prices change faster
#: (STALE_AFTER_DAYS and PRICE_STALE_AFTER_DAYS in bot/settings.py).
_SETTINGS = load_settings()
PROGRAMME_STALE_DAYS = _SETTINGS.stale_after_days
VOLATILE_PRICE_STALE_DAYS = _SETTINGS.price_stale_after_days


def stated(r: CredentialRecord, fact: str) -> bool:
    """Whether the catalogue states the fact at all (an unknown price needs no evidence)."""
    if fact == "price":
        return r.price_amount is not None
    if fact == "duration":
        return r.duration_weeks is not None
    if fact == "workload":
        return r.hours_per_week is not None or r.workload_hours is not None
    if fact == "credit":
        return bool(r.credit_value or r.credit_status)
    return False


def confirmed(r: CredentialRecord, fact: str, item: int = 0) -> FactCheck | None:
    """The evidence that confirms a fact (None when nothing does)."""
    e = r.fact_check(fact, item)
    return e if e is not None and e.confirmed else None


def price_unconfirmed(r: CredentialRecord) -> bool:
    """A stated price that nothing confirms, on a credential whose evidence is recorded: a budget is never
    called met on it without saying so."""
    return bool(r.evidence) and r.price_amount is not None and confirmed(r, "price") is None


def price_second_hand(r: CredentialRecord) -> bool:
    """A stated price that only another site than the programme's confirms (a blog, an exam-prep site)."""
    e = confirmed(r, "price") if r.price_amount is not None else None
    return e is not None and not first_hand(e, r)


def _site(url: str | None) -> str:
    """The registrable part of a page's host: "coursera.org", "open.ac.uk", "ut.ee"."""
    labels = (urlsplit(url or "").hostname or "").lower().split(".")
    two_part = len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2
    return ".".join(labels[-3:] if two_part else labels[-2:])


#: Second-level labels under country codes ("ac.uk", "edu.au", "co.jp").
SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "gov", "govt", "net", "org"})


#: Sites that report on programmes without offering them: course aggregators, document-sharing and
#: exam-preparation sites, training resellers, blogs and social networks. A page there is never "the
#: programme's page", even when the catalogue took the credential's source from it.
THIRD_PARTY_SITES = frozenset(
    {
        "acacialearning.com", "blogspot.com", "cinxe.com", "classcentral.com", "clearcertify.com",
        "coursehero.com", "courseindex.com", "edutrainings.eu", "github.com", "hindipress.in", "hiraedu.com",
        "linkedin.com", "medium.com", "open-exam-prep.com", "prince2.wiki", "quora.com", "readkong.com",
        "reddit.com", "rippletraining.com", "scishowengineer.com", "scribd.com", "slideshare.net",
        "sspnet.org", "studocu.com", "studyhive.com", "swayamprep.com", "the-bla.com", "vdocuments.mx",
        "voceplatforms.com", "wikipedia.org", "wordpress.com", "youtube.com",
    }
)  # fmt: skip


def own_page(r: CredentialRecord, url: str | None) -> bool:
    """Whether ``url`` is the programme's own: on the provider's or the platform's site, or on the site of
    the credential's source page when that is not a site of :data:`THIRD_PARTY_SITES`."""
    site = _site(url)
    if not site:
        return False
    if site in {_site(s) for s in r.own_sites}:
        return True
    return site not in THIRD_PARTY_SITES and site == _site(r.source_url)


def first_hand(e: FactCheck, r: CredentialRecord) -> bool:
    """Whether the evidence comes from the programme's own site (or the provider's listing that was imported),
    not from another site that reports it (a blog, a document-sharing site, an exam-prep site)."""
    return e.line is not None or own_page(r, e.source)


def confirmed_recognitions(r: CredentialRecord) -> tuple[tuple[str, str | None], ...]:
    """The recognition claims the assistant may make: those with evidence."""
    return tuple(claim for i, claim in enumerate(r.recognitions) if confirmed(r, "recognition", i) is not None)


def item_evidence(r: CredentialRecord) -> dict:
    """The ``evidence`` of a ``credential_list`` item: for price, duration, credit and recognition,
    ``{"checked": DATE, "source": URL}`` or None (not stated, or nothing confirms it)."""

    def entry(e: FactCheck | None) -> dict | None:
        if e is None:
            return None
        return {"checked": e.checked.isoformat() if e.checked else None, "source": e.source}

    recognition = next(
        (confirmed(r, "recognition", i) for i in range(len(r.recognitions)) if confirmed(r, "recognition", i)), None
    )
    return {
        "price": entry(confirmed(r, "price")),
        "duration": entry(confirmed(r, "duration")),
        "credit": entry(confirmed(r, "credit")),
        "recognition": entry(recognition),
    }


def _where(e: FactCheck, r: CredentialRecord) -> str:
    if e.line is not None:
        return say("evidence.listing_row", source=e.source or "", line=str(e.line))
    if e.source == r.source_url and own_page(r, e.source):
        return say("evidence.programme_page")
    host = urlsplit(e.source or "").netloc
    return host[4:] if host.startswith("www.") else host or (e.source or "")


def stale_after_days(r: CredentialRecord, fact: str) -> int:
    """How long a confirmation stays fresh: exam fees and subscription prices for six months."""
    if fact == "price" and (r.credential_type == "certification_exam" or r.price_basis == "per_month"):
        return VOLATILE_PRICE_STALE_DAYS
    return PROGRAMME_STALE_DAYS


def evidence_line(r: CredentialRecord, today: dt.date) -> str | None:
    """One line under a card: each stated fact (price, length, credit) confirmed where and when, or not
    confirmed (None when the catalogue records no evidence at all for this credential)."""
    if not r.evidence:
        return None
    parts, unconfirmed = [], []
    for fact in CARD_FACTS:
        if not stated(r, fact):
            continue
        e = confirmed(r, fact)
        word = FACT_WORDS[fact]
        if e is None:
            unconfirmed.append(word)
        elif not first_hand(e, r):
            checked = e.checked.isoformat() if e.checked else "?"
            parts.append(say("evidence.second_hand", fact=word, checked=checked, where=_where(e, r)))
        elif e.checked and (today - e.checked).days > stale_after_days(r, fact):
            parts.append(say("evidence.confirmed_old", fact=word, checked=e.checked.isoformat(), where=_where(e, r)))
        else:
            checked = e.checked.isoformat() if e.checked else "?"
            parts.append(say("evidence.confirmed", fact=word, checked=checked, where=_where(e, r)))
    if unconfirmed:
        parts.append(say("evidence.unconfirmed", facts=", ".join(unconfirmed)))
    return say("evidence.line", parts="; ".join(parts)) if parts else None


def claims_made(r: CredentialRecord) -> CredentialRecord:
    """The record as the assistant may speak of it: recognition and quality-assurance claims that nothing
    confirms are left out (kept in ``unconfirmed_claims``, so that a card can say a claim was not confirmed).
    A record with no evidence at all (an older import) is returned as it is: ``advisor catalog check
    --strict`` reports it."""
    if not r.evidence:
        return r
    kept = confirmed_recognitions(r)
    dropped = [by for by, _url in r.recognitions if (by, _url) not in kept]
    qa_type, qa_body = r.qa_type, r.qa_body
    if qa_body and confirmed(r, "quality_assurance") is None:
        dropped.append(say("evidence.quality_assurance_by", body=qa_body))
        qa_type, qa_body = None, None
    if not dropped:
        return r
    return replace(r, recognitions=kept, qa_type=qa_type, qa_body=qa_body, unconfirmed_claims=tuple(dropped))
