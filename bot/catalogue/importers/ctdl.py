"""Importer of Credential Engine CTDL JSON-LD (a single object, an ``@graph``, a list, or a folder)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path, PurePosixPath
from typing import Any, Callable
from urllib.parse import urlparse

from bot.catalogue.importers.common import (
    NO_AIM,
    SCRAPE_DATES,
    UNKNOWN_SCRAPE_DATE,
    ImportResult,
    Rejected,
    _Reject,
    _Skip,
)
from bot.catalogue.importers.records import (
    _aims,
    _credential,
    _Ids,
    _progress,
    _Providers,
)
from bot.catalogue.importers.values import (
    _as_list,
    _country_code,
    _currency_code,
    _guess_kind,
    _iso_weeks,
    _language_code,
    _local,
    _number,
    _range_mid,
    _read_text,
    _text,
    _texts,
    _tidy,
)
from bot.catalogue.loading import _check_credential

_CTDL_TYPES = {
    "Course": "short_course",
    "LearningOpportunityProfile": "short_course",
    "LearningOpportunity": "short_course",
    "CertificateOfCompletion": "short_course",
    "Certificate": "professional_certificate",
    "AcademicCertificate": "professional_certificate",
    "ProfessionalCertificate": "professional_certificate",
    "Certification": "certification_exam",
    "DigitalBadge": "digital_badge",
    "Badge": "digital_badge",
    "OpenBadge": "digital_badge",
    "MicroCredential": "microcredential",
    "Microcredential": "microcredential",
}
_CTDL_PROGRAM = "LearningProgram"  # a series of courses -> specialisation; a single programme -> short_course
_CTDL_ORGS = {"Organization", "CredentialOrganization", "QACredentialOrganization"}
_CTDL_NOT_MICRO = {
    "AssociateDegree",
    "BachelorDegree",
    "MasterDegree",
    "DoctoralDegree",
    "Degree",
    "ProfessionalDoctorate",
    "ResearchDoctorate",
    "Diploma",
    "SecondarySchoolDiploma",
    "GeneralEducationDevelopment",
    "License",
    "ApprenticeshipCertificate",
    "JourneymanCertificate",
    "MasterCertificate",
    "QualityAssuranceCredential",
    "AssociateOfAppliedArtsDegree",
    "AssociateOfAppliedScienceDegree",
    "AssociateOfArtsDegree",
    "AssociateOfScienceDegree",
    "BachelorOfArtsDegree",
    "BachelorOfScienceDegree",
    "MasterOfArtsDegree",
    "MasterOfScienceDegree",
}
_CTDL_LEVELS = {"BeginnerLevel": "beginner", "IntermediateLevel": "intermediate", "AdvancedLevel": "advanced"}
_CTDL_DELIVERY = {"InPerson": "onsite", "BlendedDelivery": "blended", "VariableSite": "onsite"}
_DATE_KEYS = (
    "search:recordUpdated",
    "ceterms:dateModified",
    "dateModified",
    "ceterms:lastUpdated",
    "search:recordCreated",
    "ceterms:dateEffective",
)


class _Ctdl:
    def __init__(self, path: Path, nodes: list[dict], providers: _Providers, today: dt.date):
        self.path = path
        self.nodes = nodes
        self.providers = providers
        self.today = today
        self.index: dict[str, dict] = {}
        self._loaded_siblings: set[Path] = set()
        for node in nodes:
            self._index(node)
        # hasPart: a part of a programme in the same import counts towards it.
        self.part_of: dict[str, list[str]] = {}
        for node in nodes:
            for part in _as_list(node.get("ceterms:hasPart")):
                pid = part if isinstance(part, str) else part.get("@id")
                if pid:
                    self.part_of.setdefault(pid, []).append(_text(node.get("ceterms:name")))

    def _index(self, node: dict) -> None:
        for key in ("@id", "ceterms:ctid"):
            if isinstance(node.get(key), str):
                self.index[node[key]] = node

    def resolve(self, ref: Any) -> dict | None:
        """An inline object, a node of this graph, or a JSON file next to this one with that @id."""
        if isinstance(ref, dict):
            if any(k.startswith("ceterms:") for k in ref):
                return ref
            ref = ref.get("@id")
        if not isinstance(ref, str) or not ref:
            return None
        if ref in self.index:
            return self.index[ref]
        name = PurePosixPath(urlparse(ref).path).name
        folder = self.path if self.path.is_dir() else self.path.parent
        candidate = folder / name if name else None
        if (
            candidate
            and candidate.suffix.lower() in {".json", ".jsonld"}
            and candidate.is_file()
            and candidate not in self._loaded_siblings
        ):
            self._loaded_siblings.add(candidate)
            try:
                for node in _ctdl_nodes(json.loads(_read_text(candidate))):
                    self._index(node)
            except (ValueError, OSError):
                pass
        return self.index.get(ref)

    def organisation(self, ref: Any) -> str | None:
        org = self.resolve(ref)
        if not org or not _text(org.get("ceterms:name")):
            return None
        return self.add_org(org)

    def add_org(self, org: dict) -> str:
        name = _text(org.get("ceterms:name"))
        kinds = {
            _local(t.get("ceterms:targetNode")) if isinstance(t, dict) else _local(t)
            for t in _as_list(org.get("ceterms:agentType"))
        }
        sectors = {
            _local(t.get("ceterms:targetNode")) if isinstance(t, dict) else _local(t)
            for t in _as_list(org.get("ceterms:agentSectorType"))
        }
        if kinds & {"Postsecondary", "SecondarySchool", "HighSchool"} or _guess_kind(name) == "university":
            kind = "university"
        elif (
            kinds & {"CertificationBody", "ProfessionalAssociation"}
            or _local(org.get("@type")) == "QACredentialOrganization"
        ):
            kind = "professional_body"
        elif kinds & {"Government"} or sectors & {"Public"}:
            kind = "public_body"
        elif sectors & {"PrivateNonProfit"}:
            kind = "nonprofit"
        else:
            kind = "company"
        country = None
        for address in _as_list(org.get("ceterms:address")):
            if isinstance(address, dict):
                country = _country_code(_text(address.get("ceterms:addressCountry")))
                if country:
                    break
        website = next((w for w in _as_list(org.get("ceterms:subjectWebpage")) if isinstance(w, str)), None)
        return self.providers.add(name, kind, website=website, country=country)

    def last_checked(self, node: dict) -> dt.date:
        for key in _DATE_KEYS:
            value = node.get(key)
            if isinstance(value, str):
                try:
                    found = dt.date.fromisoformat(value[:10])
                except ValueError:
                    continue
                return min(found, self.today)
        return min(SCRAPE_DATES["ctdl"] or UNKNOWN_SCRAPE_DATE, self.today)

    def cost(self, node: dict) -> tuple[dict, bool]:
        profiles = [p for p in _as_list(node.get("ceterms:estimatedCost")) if isinstance(p, dict)]
        priced = [p for p in profiles if p.get("ceterms:price") is not None]
        if not priced:
            return {"amount": None, "currency": None, "basis": "one_off"}, False
        aggregate = [p for p in priced if "AggregateCost" in json.dumps(p.get("ceterms:directCostType", ""))]
        chosen = aggregate[:1] or priced
        total: float = 0
        currency = None
        for p in chosen:
            code = _currency_code(str(p.get("ceterms:currency", "")))
            if not code:
                raise _Reject(f"estimatedCost currency {p.get('ceterms:currency')!r} is not an ISO 4217 code")
            if currency and code != currency:
                raise _Reject(f"estimatedCost mixes currencies {currency} and {code}")
            currency = code
            raw = p.get("ceterms:price")
            try:
                amount = _number(str(raw))
            except ValueError:
                raise _Reject(f"estimatedCost price {raw!r} is not a number") from None
            if amount < 0:
                raise _Reject(f"estimatedCost price {raw!r} is negative")
            total += amount
        return {"amount": _tidy(total), "currency": currency, "basis": "one_off"}, total == 0

    def duration(self, node: dict) -> tuple[int | float | None, int | float | None]:
        weeks_values, hours_values, weekly = [], [], None
        for p in _as_list(node.get("ceterms:estimatedDuration")):
            if not isinstance(p, dict):
                continue
            exact = p.get("ceterms:exactDuration")
            bounds = [p.get("ceterms:minimumDuration"), p.get("ceterms:maximumDuration")]
            parsed = [_iso_weeks(v) for v in ([exact] if exact else [b for b in bounds if b])]
            w = [x for x, _ in parsed if x]
            h = [y for _, y in parsed if y]
            if w:
                weeks_values.append(sum(w) / len(w))  # a min/max range -> its midpoint
            elif h:
                hours_values.append(sum(h) / len(h))
            desc = _text(p.get("ceterms:description"))
            found = _range_mid(desc, r"hours?(?: of [a-z ]+?)? (?:per|a|each) week") if desc else None
            weekly = weekly or found
        if weeks_values:
            weeks = _tidy(round(weeks_values[0], 1))
            return weeks, (_tidy(round(weekly, 2)) if weekly else None)
        if hours_values:  # total hours only: spread at 3 h a week, as for Udemy
            per_week = weekly or 3
            return _tidy(max(0.1, round(hours_values[0] / per_week, 1))), _tidy(per_week)
        return None, (_tidy(round(weekly, 2)) if weekly else None)

    def credit(self, node: dict) -> dict | None:
        if node.get("ceterms:isNonCredit") is True:
            return None
        for vp in _as_list(node.get("ceterms:creditValue")):
            if not isinstance(vp, dict):
                continue
            value = next(
                (vp[k] for k in ("schema:value", "qdata:value", "ceterms:value") if vp.get(k) is not None), None
            )
            if value is None:
                lo = next((vp[k] for k in ("schema:minValue", "qdata:minValue") if vp.get(k) is not None), None)
                hi = next((vp[k] for k in ("schema:maxValue", "qdata:maxValue") if vp.get(k) is not None), None)
                value = (float(lo) + float(hi)) / 2 if lo is not None and hi is not None else lo or hi
            units = [
                _local(u.get("ceterms:targetNode")) if isinstance(u, dict) else _local(u)
                for u in _as_list(vp.get("ceterms:creditUnitType"))
            ]
            credit = self._credit(value, units)
            if credit:
                return credit
        # older CTDL: creditHourValue/creditHourType, creditUnitValue/creditUnitType on the node
        for value_key, type_key in (
            ("ceterms:creditHourValue", "ceterms:creditHourType"),
            ("ceterms:creditUnitValue", "ceterms:creditUnitType"),
        ):
            if node.get(value_key) is not None:
                units = [
                    _local(u.get("ceterms:targetNode")) if isinstance(u, dict) else _text(u)
                    for u in _as_list(node.get(type_key))
                ]
                credit = self._credit(node.get(value_key), units)
                if credit:
                    return credit
        return None

    @staticmethod
    def _credit(value: Any, units: list[str]) -> dict | None:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        if number <= 0:
            return None
        unit = " ".join(units).lower()
        if "semester" in unit:
            return {
                "value": _tidy(number),
                "system": "US",
                "status": "awarded",
                "note": f"{_tidy(number)} semester credit hours stated in the CTDL record",
            }
        if "quarter" in unit:
            return {
                "value": _tidy(round(number * 2 / 3, 2)),
                "system": "US",
                "status": "awarded",
                "note": f"{_tidy(number)} quarter hours stated in the CTDL record (= semester hours x 3/2)",
            }
        if "ects" in unit or "european" in unit:
            return {
                "value": _tidy(number),
                "system": "ECTS",
                "status": "awarded",
                "note": "ECTS credits stated in the CTDL record",
            }
        if "cats" in unit:
            return {
                "value": _tidy(number),
                "system": "UK_CATS",
                "status": "awarded",
                "note": "CATS credits stated in the CTDL record",
            }
        return None  # clock hours, CEUs, competency credits...: no academic credit system to map to

    def recognition(self, node: dict) -> tuple[list[dict], dict]:
        recognition: list[dict] = []
        qa = {"type": "none stated", "body": None}
        for prop, label in (
            ("ceterms:accreditedBy", "accreditation"),
            ("ceterms:recognizedBy", "recognition"),
            ("ceterms:approvedBy", "approval"),
            ("ceterms:regulatedBy", "regulation"),
        ):
            for ref in _as_list(node.get(prop)):
                org = self.resolve(ref)
                name = _text(org.get("ceterms:name")) if org else ""
                if not name:
                    continue
                url = next((w for w in _as_list(org.get("ceterms:subjectWebpage")) if isinstance(w, str)), None)
                recognition.append({"by": f"{name} ({label} stated in the CTDL record)", "url": url})
                if label in {"accreditation", "regulation", "approval"} and qa["body"] is None:
                    qa = {"type": f"{label} stated in the CTDL record (unverified)", "body": name}
        return recognition, qa

    def stackable(self, node: dict) -> str | None:
        names: list[str] = []
        for ref in _as_list(node.get("ceterms:isPartOf")):
            target = self.resolve(ref)
            name = _text(target.get("ceterms:name")) if target else ""
            names.append(name or (ref if isinstance(ref, str) else str(ref.get("@id", ""))))
        for key in (node.get("@id"), node.get("ceterms:ctid")):
            names += self.part_of.get(key, []) if key else []
        names = list(dict.fromkeys(n for n in names if n))
        return "Part of " + "; ".join(names) if names else None

    def credential_type(self, node: dict) -> str:
        """The catalogue's credential type of ``node``; raises _Skip for what is not a micro-credential."""
        ctype_name = _local(node.get("@type"))
        if ctype_name in _CTDL_ORGS:
            self.add_org(node)
            raise _Skip(f"ceterms:{ctype_name} describes a provider, not a credential (added to providers)")
        if ctype_name in _CTDL_NOT_MICRO:
            raise _Skip(f"ceterms:{ctype_name} is not a micro-credential; the catalogue has no credential_type for it")
        if ctype_name == _CTDL_PROGRAM:
            ctype = "specialisation" if node.get("ceterms:hasPart") else "short_course"
        elif ctype_name in _CTDL_TYPES:
            ctype = _CTDL_TYPES[ctype_name]
        else:
            raise _Skip(
                f"CTDL type {node.get('@type')!r} is not a credential or learning opportunity the importer maps"
            )
        return ctype

    def owner_and_platform(self, node: dict) -> tuple[str, str | None]:
        """(provider id, platform id or None) from ownedBy and offeredBy; raises _Reject."""
        owners = _as_list(node.get("ceterms:ownedBy"))
        offerers = _as_list(node.get("ceterms:offeredBy"))
        if not owners and not offerers:
            raise _Reject("no ownedBy or offeredBy organisation")
        provider = self.organisation((owners or offerers)[0])
        if provider is None:
            ref = (owners or offerers)[0]
            raise _Reject(
                f"organisation {ref if isinstance(ref, str) else ref.get('@id')!r} "
                "is neither in the file nor in a JSON file next to it"
            )
        platform = None
        if owners and offerers:
            offerer = self.organisation(offerers[0])
            platform = offerer if offerer and offerer != provider else None
        return provider, platform

    @staticmethod
    def source(node: dict) -> str:
        pages = (
            _as_list(node.get("ceterms:subjectWebpage"))
            + _as_list(node.get("ceterms:availableOnlineAt"))
            + [node.get("@id")]
        )
        source = next((u for u in pages if isinstance(u, str) and u.startswith(("http://", "https://"))), None)
        if not source:
            raise _Reject("no subjectWebpage, availableOnlineAt or @id web address")
        return source

    def credential(self, node: dict, ids: _Ids) -> dict:
        ctype = self.credential_type(node)
        title = _text(node.get("ceterms:name"))
        if not title:
            raise _Reject("missing title (ceterms:name)")
        provider, platform = self.owner_and_platform(node)
        price, free = self.cost(node)
        weeks, hours = self.duration(node)
        recognition, qa = self.recognition(node)
        delivery, level = self.delivery(node), self.level(node)
        subjects = _texts(node.get("ceterms:subject")) + _texts(node.get("ceterms:keyword"))
        occupations = _texts(node.get("ceterms:occupationType")) + _texts(node.get("ceterms:industryType"))
        aims = _aims(title, *subjects, *occupations)
        if not aims:
            raise _Skip(NO_AIM)
        source = self.source(node)
        languages = [_language_code(x) for x in _as_list(node.get("ceterms:inLanguage")) if isinstance(x, str)]
        country = self.providers.by_id[provider].get("country")
        return _credential(
            id=ids.make(provider, title, _local(node.get("ceterms:ctid")) or None),
            title=title,
            provider=provider,
            platform=platform,
            credential_type=ctype,
            career_aims=aims,
            topics=list(dict.fromkeys(s.lower() for s in subjects)),
            price=price,
            free_to_audit=free,
            duration_weeks=weeks,
            hours_per_week=hours,
            delivery_mode=delivery,
            level=level,
            credit=self.credit(node),
            quality_assurance=qa,
            recognition=recognition,
            stackable_into=self.stackable(node),
            issuer_country=country,
            language=next((x for x in languages if x), None),
            source_url=source,
            last_checked=self.last_checked(node),
            prerequisites=self.prerequisites(node),
            skills=[s.lower() for s in _texts(node.get("ceterms:teaches"))],
            further_information=_text(node.get("ceterms:description")) or None,
        )

    @staticmethod
    def delivery(node: dict) -> str | None:
        for dtype in _as_list(node.get("ceterms:learningDeliveryType")) + _as_list(node.get("ceterms:deliveryType")):
            code = _local(dtype.get("ceterms:targetNode") if isinstance(dtype, dict) else dtype)
            if code in _CTDL_DELIVERY:
                return _CTDL_DELIVERY[code]
            if code == "OnlineOnly":  # online, but self-paced or with fixed dates is not stated...
                desc = _text(node.get("ceterms:deliveryTypeDescription")).lower()
                if re.search(r"self[- ]paced|at your own pace|on demand|on-demand", desc):
                    return "online_self_paced"
                if re.search(r"cohort|scheduled|live session|fixed dates|synchronous", desc):
                    return "online_cohort"
                return None
        return None

    @staticmethod
    def level(node: dict) -> str | None:
        for lv in _as_list(node.get("ceterms:audienceLevelType")):
            code = _local(lv.get("ceterms:targetNode") if isinstance(lv, dict) else lv)
            if code in _CTDL_LEVELS:
                return _CTDL_LEVELS[code]
        return None

    @staticmethod
    def prerequisites(node: dict) -> str | None:
        """What a learner needs before starting (EU optional element): entry conditions, and the
        conditions a record names as prerequisites."""
        parts = []
        for profile in _as_list(node.get("ceterms:entryCondition")) + _as_list(node.get("ceterms:requires")):
            if not isinstance(profile, dict):
                continue
            name = _text(profile.get("ceterms:name"))
            if profile in _as_list(node.get("ceterms:requires")) and "prerequisite" not in name.lower():
                continue  # "requires" also holds what completion requires (a curriculum)
            parts += _texts(profile.get("ceterms:condition")) or [_text(profile.get("ceterms:description"))]
        parts = [p.strip() for p in parts if p and p.strip()]
        return "; ".join(dict.fromkeys(parts)) or None


def _ctdl_nodes(doc: Any) -> list[dict]:
    if isinstance(doc, list):
        return [n for item in doc for n in _ctdl_nodes(item)]
    if not isinstance(doc, dict):
        return []
    if "@graph" in doc:
        return [n for n in _as_list(doc["@graph"]) if isinstance(n, dict)]
    if "decoded_resource" in doc:  # a Credential Registry envelope
        return _ctdl_nodes(doc["decoded_resource"])
    return [doc]


def _is_ctdl(doc: Any) -> bool:
    if isinstance(doc, list):
        return bool(doc) and all(_is_ctdl(d) for d in doc[:5])
    if not isinstance(doc, dict):
        return False
    context = json.dumps(doc.get("@context", "")).lower()
    if "credreg" in context or "ctdl" in context or "purl.org/ctdl" in context:
        return True
    nodes = _ctdl_nodes(doc)
    return any(any(k.startswith("ceterms:") for k in n) for n in nodes[:5])


def _import_ctdl(path: Path, progress: Callable[[int, int], None] | None, today: dt.date) -> ImportResult:
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in {".json", ".jsonld"}) if path.is_dir() else [path]
    entries: list[tuple[int, str, dict]] = []  # (entry number in its file, reason prefix, node)
    result = ImportResult()
    for file_no, file in enumerate(files):
        try:
            doc = json.loads(_read_text(file))
        except ValueError as exc:
            if not path.is_dir():
                raise ValueError(f"{file.name}: not valid JSON: {exc}") from None
            result.rejected.append(Rejected(file_no + 1, f"{file.name}: not valid JSON: {exc}"))
            continue
        if path.is_dir() and not _is_ctdl(doc):
            result.skipped.append(Rejected(file_no + 1, f"{file.name}: not CTDL JSON-LD"))
            continue
        prefix = f"{file.name}: " if path.is_dir() else ""
        entries += [(i, prefix, n) for i, n in enumerate(_ctdl_nodes(doc), start=1)]
    providers = _Providers(path.name)
    ctdl = _Ctdl(path, [n for _, _, n in entries], providers, today)
    ids = _Ids()
    for done, (line, prefix, node) in enumerate(entries, start=1):
        try:
            cred = ctdl.credential(node, ids)
            problems = _check_credential(0, cred, set(providers.by_id))
            if problems:
                raise _Reject("; ".join(p.split(": ", 1)[-1] for p in problems))
            result.credentials.append(cred)
        except _Reject as exc:
            result.rejected.append(Rejected(line, prefix + str(exc)))
        except _Skip as exc:
            result.skipped.append(Rejected(line, prefix + str(exc)))
        _progress(progress, done, len(entries))
    # Organisations found in the file are providers even when no credential of this file uses them.
    result.providers = list(providers.by_id.values())
    return result
