"""Catalogue importers: the real shared listings, hand-made bad files, CTDL, and export round trips."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json

import pytest
import yaml

from bot.catalogue.importers import (
    CREDENTIAL_FIELDS,
    CSV_COLUMNS,
    ImportResult,
    Rejected,
    detect_format,
    export_csv,
    export_json,
    fix_mojibake,
    import_file,
)
from bot.catalogue.loading import _check_credential, _check_provider
from bot.settings import PROJECT_ROOT

DATA = PROJECT_ROOT.parent / "shared" / "data"
SOURCES = DATA / "catalog-sources"
CTDL = DATA / "ctdl-examples"
CATALOG = PROJECT_ROOT / "data" / "catalog"

needs_data = pytest.mark.skipif(not SOURCES.is_dir(), reason="shared data not available")

# Data rows (CSV records after the header; FutureLearn's include its 5 repeated header rows).
DATA_ROWS = {"futurelearn": 1816, "edx": 974, "coursera": 891, "udemy": 3672}
FILES = {
    "futurelearn": SOURCES / "futurelearn-courses.csv",
    "edx": SOURCES / "edx-courses.csv",
    "coursera": SOURCES / "coursera-courses.csv",
    "udemy": SOURCES / "udemy-courses.csv",
}
NO_AIM = "no career aim recognised in title/subject"


@functools.lru_cache(maxsize=None)
def imported(fmt: str) -> ImportResult:
    return import_file(FILES[fmt])


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # same result as safe_load, faster


OPTIONAL_EMPTY = {
    "learning_outcomes": [],
    "workload_hours": None,
    "prerequisites": None,
    "skills": [],
    "further_information": None,
    "fields": [],
    "regions": [],
    "co_providers": [],
    "access_weeks": None,
    "status": "active",
    "status_note": None,
    "evidence": {},
}


def catalogue(name: str = "credentials.yml") -> list[dict]:
    """A fresh parse of a default catalogue file, with the optional elements it leaves out as empty."""
    entries = yaml.load((CATALOG / name).read_text(encoding="utf-8"), Loader=_Loader)
    if name != "credentials.yml":
        return entries
    return [
        {**OPTIONAL_EMPTY, **e, "assessment": {"identity_verified": None, **(e.get("assessment") or {})}}
        for e in entries
    ]


def by_title(result: ImportResult, title: str) -> dict:
    matches = [c for c in result.credentials if c["title"] == title]
    assert matches, f"{title!r} not imported"
    return matches[0]


def assert_valid(result: ImportResult, *, imported_providers: bool = True) -> None:
    provider_ids = {p["id"] for p in result.providers}
    for i, p in enumerate(result.providers):
        assert _check_provider(i, p) == []
        if imported_providers:  # nothing an importer builds is claimed as verified
            assert p["legitimacy"] == "unverified"
            assert p["legitimacy_evidence"].endswith("; not verified")
    ids = [c["id"] for c in result.credentials]
    assert len(ids) == len(set(ids))
    for i, c in enumerate(result.credentials):
        assert tuple(c) == CREDENTIAL_FIELDS
        assert _check_credential(i, c, provider_ids) == []
        assert len(c["id"]) <= 80


# --------------------------------------------------------------------------------------------
# The shared listings
# --------------------------------------------------------------------------------------------


@needs_data
@pytest.mark.parametrize("fmt", sorted(FILES))
def test_shared_listing_imports_every_row_accounted_for(fmt):
    result = imported(fmt)
    assert len(result.credentials) + len(result.rejected) + len(result.skipped) == DATA_ROWS[fmt]
    assert len(result.credentials) > 400
    assert_valid(result)
    # every credential's provider and platform is among the returned providers, and nothing unused is
    used = {c["provider"] for c in result.credentials} | {c["platform"] for c in result.credentials if c["platform"]}
    assert used == {p["id"] for p in result.providers}
    for entry in result.rejected + result.skipped:
        assert isinstance(entry, Rejected) and entry.line >= 2 and entry.reason


@needs_data
def test_futurelearn_repeated_headers_and_duplicates_are_skipped():
    result = imported("futurelearn")
    headers = [s for s in result.skipped if s.reason.startswith("repeated header row")]
    assert [s.line for s in headers] == [63, 101, 173, 251, 317]
    # the header on line 251 swaps the two subscription columns, and the importer follows it
    assert "subscription_value -> subscription_type" in headers[3].reason
    duplicates = [s for s in result.skipped if s.reason.startswith("duplicate of line")]
    assert len(duplicates) == 350
    assert any(s.line == 64 and s.reason == "duplicate of line 3 (same organization and name)" for s in duplicates)
    no_aim = [s for s in result.skipped if s.reason == NO_AIM]
    assert len(headers) + len(duplicates) + len(no_aim) == len(result.skipped)
    assert result.rejected == []
    assert len(result.credentials) == 1811 - 350 - len(no_aim)


@needs_data
def test_futurelearn_known_rows():
    result = imported("futurelearn")
    kent = by_title(result, "Understanding Autism")  # line 4: accreditation True, €23.99 subscription
    assert kent["provider"] == "the-university-of-kent" and kent["platform"] == "futurelearn"
    assert kent["price"] == {"amount": 23.99, "currency": "EUR", "basis": "per_month"}
    assert kent["duration_weeks"] == 4 and kent["hours_per_week"] == 3
    assert kent["quality_assurance"] == {
        "type": "accreditation flag set in FutureLearn listing (unverified)",
        "body": None,
    }
    assert kent["recognition"] == []  # a listing flag is not evidence of recognition
    assert kent["last_checked"] == dt.date(2022, 11, 1)
    assert kent["credential_type"] == "short_course" and "healthcare" in kent["career_aims"]

    # line 453: "Part of ExpertTrack" / "€36/month", title ends in U+202F
    sport = by_title(result, "Sports Performance: Training the Body for Sport")
    assert sport["price"] == {"amount": 36, "currency": "EUR", "basis": "per_month"}
    assert sport["stackable_into"].startswith("Part of a FutureLearn ExpertTrack")

    # "Premium course" / "€79": a one-off price
    js = by_title(result, "Intermediate and Advanced Javascript")
    assert js["price"] == {"amount": 79, "currency": "EUR", "basis": "one_off"} and not js["free_to_audit"]

    # "Digital upgrade" / "Free"
    free = by_title(result, "Exploring Instructional Leadership in Education")
    assert free["price"]["amount"] == 0 and free["free_to_audit"] is True

    # line 1023: weekly_study "0 hours" is unknown, not zero
    gaming = by_title(result, "How to Understand the Gaming Audience")
    assert gaming["hours_per_week"] is None and gaming["duration_weeks"] == 3

    # kinds guessed from names only; the platform itself is a platform
    kinds = {p["id"]: p["kind"] for p in result.providers}
    assert kinds["futurelearn"] == "platform" and kinds["the-university-of-kent"] == "university"
    assert kinds["packt"] == "company"


@needs_data
def test_edx_known_rows():
    result = imported("edx")
    assert result.rejected == [] and {s.reason for s in result.skipped} == {NO_AIM}
    cs50 = by_title(result, "CS50's Introduction to Computer Science")
    assert cs50["provider"] == "harvard-university" and cs50["platform"] == "edx"
    assert cs50["price"] == {"amount": 0, "currency": "USD", "basis": "one_off"}
    assert cs50["free_to_audit"] is True and cs50["certificate_price"] == 90
    assert cs50["hours_per_week"] == 12  # "6–18 hours per week" -> midpoint
    assert cs50["duration_weeks"] == 12 and cs50["delivery_mode"] == "online_self_paced"
    assert cs50["level"] == "beginner" and cs50["language"] == "en"
    assert cs50["source_url"] == "https://www.edx.org/course/cs50s-introduction-to-computer-science"
    assert cs50["last_checked"] == dt.date(2021, 12, 31)

    online = by_title(result, "How to Learn Online")  # institution "edX": the platform is the provider
    assert online["provider"] == "edx" and online["platform"] is None
    assert online["hours_per_week"] == 2.5 and online["duration_weeks"] == 2

    # "$49.99" in the price text beats the truncated price_USD column (49)
    finance = by_title(result, "Información financiera y su análisis")
    assert finance["certificate_price"] == 49.99 and finance["language"] == "es"

    analytics = by_title(result, "The Analytics Edge")  # "Instructor-led on a course schedule"
    assert analytics["delivery_mode"] == "online_cohort" and analytics["level"] == "intermediate"


@needs_data
def test_coursera_known_rows():
    result = imported("coursera")
    assert result.rejected == [] and {s.reason for s in result.skipped} == {NO_AIM}
    ibm = by_title(result, "IBM Data Science")
    assert ibm["credential_type"] == "professional_certificate"
    assert ibm["provider"] == "ibm" and ibm["platform"] == "coursera"
    assert ibm["source_url"] == "https://www.coursera.org/search?query=IBM+Data+Science"
    assert ibm["price"]["amount"] is None and ibm["duration_weeks"] is None and ibm["hours_per_week"] is None
    assert ibm["level"] == "beginner" and ibm["last_checked"] == dt.date(2020, 12, 31)
    assert by_title(result, "Introduction to Data Science")["credential_type"] == "specialisation"
    assert {c["credential_type"] for c in result.credentials} == {
        "short_course",
        "specialisation",
        "professional_certificate",
    }
    mixed = [c for c in result.credentials if c["level"] is None]
    assert mixed  # "Mixed" difficulty is not a level


@needs_data
def test_udemy_known_rows():
    result = imported("udemy")
    assert result.rejected == [Rejected(893, "content_duration '0.0' hours: the course lists no content")]
    gst = by_title(result, "Complete GST Course & Certification - Grow Your CA Practice")
    assert gst["provider"] == "udemy" and gst["platform"] is None
    assert gst["price"] == {"amount": 75, "currency": "USD", "basis": "one_off"} and not gst["free_to_audit"]
    assert gst["duration_weeks"] == 13 and gst["hours_per_week"] == 3  # 39 h at 3 h a week
    assert gst["level"] is None  # "All Levels"
    assert gst["source_url"] == "https://www.udemy.com/goods-and-services-tax/"
    # the file's newest published_timestamp dates the scrape
    assert gst["last_checked"] == dt.date(2017, 7, 6)
    # the listing row is the evidence for the facts it states: the file, its line and its date
    price = gst["evidence"]["price"]
    assert price["source"] == "udemy-courses.csv" and price["says"] == "75" and price["checked"] == dt.date(2017, 7, 6)
    assert isinstance(price["line"], int) and price["line"] > 1 and price["by"] == "imported listing"
    assert gst["evidence"]["duration"]["line"] == price["line"]
    fin = by_title(result, "Financial Modeling for Business Analysts and Consultants")
    assert fin["level"] == "intermediate" and fin["duration_weeks"] == 0.8
    # three different courses share one title: distinct, stable ids
    cards = [
        c["id"] for c in result.credentials if c["title"] == "Creating an animated greeting card via Google Slides"
    ]
    assert cards == [
        "udemy-creating-an-animated-greeting-card-via-google-slides",
        "udemy-creating-an-animated-greeting-card-via-google-slides-699376",
        "udemy-creating-an-animated-greeting-card-via-google-slides-699380",
    ]
    free = [c for c in result.credentials if c["price"]["amount"] == 0]
    assert free and all(c["free_to_audit"] for c in free)


@needs_data
@pytest.mark.parametrize("fmt", sorted(FILES))
def test_ids_stable_across_imports(fmt):
    again = import_file(FILES[fmt])
    assert [c["id"] for c in again.credentials] == [c["id"] for c in imported(fmt).credentials]
    assert again.credentials == imported(fmt).credentials


@needs_data
@pytest.mark.parametrize(
    "name,fmt",
    [
        ("futurelearn-courses.csv", "futurelearn"),
        ("edx-courses.csv", "edx"),
        ("coursera-courses.csv", "coursera"),
        ("udemy-courses.csv", "udemy"),
    ],
)
def test_detect_format_listings(name, fmt):
    assert detect_format(SOURCES / name) == fmt


@needs_data
def test_detect_format_ctdl():
    for name in ("Credential-1.json", "Course-1a.json", "LearningProgram-1.json", "Organization-1.json"):
        assert detect_format(CTDL / name) == "ctdl"
    assert detect_format(CTDL) == "ctdl"


def test_detect_format_own_formats_and_unknown(tmp_path):
    credentials = catalogue()[:2]
    export_csv(credentials, tmp_path / "c.csv")
    export_json(credentials, tmp_path / "c.json")
    export_json(credentials, tmp_path / "p.json", providers=[])
    assert detect_format(tmp_path / "c.csv") == "csv"
    assert detect_format(tmp_path / "c.json") == "json"
    assert detect_format(tmp_path / "p.json") == "json"
    (tmp_path / "other.csv").write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="match no known"):
        detect_format(tmp_path / "other.csv")


@needs_data
def test_progress_every_200_rows_and_at_the_end():
    calls: list[tuple[int, int]] = []
    import_file(FILES["coursera"], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 891) for n in (200, 400, 600, 800)] + [(891, 891)]


# --------------------------------------------------------------------------------------------
# Encodings and mis-decoded text
# --------------------------------------------------------------------------------------------

FL_HEADER = (
    "accreditation,category,duration,name,organization,reviews,score,"
    "subscription_type,subscription_value,weekly_study\r\n"
)


def test_mis_encoded_currency_symbols_are_fixed(tmp_path):
    text = FL_HEADER + (
        "False,Business & Management,4 weeks,Project Management Basics,University of Leeds,,,"
        "Unlimited subscription,â‚¬23.99/month,3 hours\r\n"
        "True,Business & Management,2 weeks,Leadership Essentials,The Open University,,,"
        "Premium course,Â£79,2â€“3 hours\r\n"
    )
    path = tmp_path / "fl.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # with a BOM, too
    assert detect_format(path) == "futurelearn"
    result = import_file(path)
    assert result.rejected == [] and result.skipped == []
    pm, lead = result.credentials
    assert pm["price"] == {"amount": 23.99, "currency": "EUR", "basis": "per_month"}
    assert lead["price"] == {"amount": 79, "currency": "GBP", "basis": "one_off"}
    assert lead["hours_per_week"] == 2.5


def test_windows_1252_file_is_decoded(tmp_path):
    text = FL_HEADER + ("False,Teaching,3 weeks,Teaching Online,Université de Genève,,,Premium course,£14,1 hour\r\n")
    path = tmp_path / "fl1252.csv"
    path.write_bytes(text.encode("cp1252"))
    (course,) = import_file(path, fmt="futurelearn").credentials
    assert course["price"] == {"amount": 14, "currency": "GBP", "basis": "one_off"}
    assert course["provider"] == "universite-de-geneve"
    assert import_file(path).providers[1]["name"] == "Université de Genève"


def test_fix_mojibake_leaves_real_text_alone():
    assert fix_mojibake("Â£10 â€“ â‚¬5") == "£10 – €5"
    assert fix_mojibake("ABC DO VIOLÃO E GUITARRA") == "ABC DO VIOLÃO E GUITARRA"
    assert fix_mojibake("Luleå University, São Paulo, 2–3 hours") == "Luleå University, São Paulo, 2–3 hours"


# --------------------------------------------------------------------------------------------
# Hand-made bad files: line numbers and reasons
# --------------------------------------------------------------------------------------------

UDEMY_HEADER = (
    "course_id,course_title,url,is_paid,price,num_subscribers,num_reviews,num_lectures,level,"
    "content_duration,published_timestamp,subject\n"
)


def test_bad_scraped_csv_rows_report_line_and_reason(tmp_path):
    lines = [
        UDEMY_HEADER,  # 1
        '1,"Python, for Data Analysis",https://www.udemy.com/a/,True,20,1,1,1,Beginner Level,2.0,2017-01-01 00:00:00+00:00,Web Development\n',  # 2
        "2,Learn SQL Fast,https://www.udemy.com/b/,True,abc,1,1,1,All Levels,1.0,2017-01-01 00:00:00+00:00,Web Development\n",  # 3
        '3,"Web Design\nfor Beginners",https://www.udemy.com/c/,True,-20,1,1,1,All Levels,1.0,2017-01-01 00:00:00+00:00,Graphic Design\n',  # 4-5
        UDEMY_HEADER,  # 6
        ",,https://www.udemy.com/d/,True,20,1,1,1,All Levels,1.0,2017-01-01 00:00:00+00:00,Web Development\n",  # 7
        "5,Guitar Chords,https://www.udemy.com/e/,False,0,1,1,1,All Levels,1.0,2017-01-01 00:00:00+00:00,Musical Instruments\n",  # 8
        "6,JavaScript Basics,https://www.udemy.com/f/,False,30,1,1,1,All Levels,1.0,2017-01-01 00:00:00+00:00,Web Development\n",  # 9
        "7,Excel for Business,https://www.udemy.com/g/,True,£12.50,1,1,1,Expert Level,4.5,2017-02-01 00:00:00+00:00,Business Finance\n",  # 10
    ]
    path = tmp_path / "bad-udemy.csv"
    path.write_text("".join(lines), encoding="utf-8")
    result = import_file(path)
    assert result.rejected == [
        Rejected(3, "price 'abc' is not a number"),
        Rejected(4, "price '-20' is negative"),
        Rejected(7, "missing title (course_title is empty)"),
        Rejected(9, "is_paid is False but price is '30'"),
    ]
    assert result.skipped == [Rejected(6, "repeated header row"), Rejected(8, NO_AIM)]
    python, excel = result.credentials
    assert python["title"] == "Python, for Data Analysis" and python["price"]["amount"] == 20
    assert excel["price"] == {"amount": 12.5, "currency": "GBP", "basis": "one_off"}
    assert excel["level"] == "advanced" and excel["duration_weeks"] == 1.5
    assert excel["last_checked"] == dt.date(2017, 2, 1)
    assert_valid(result)


def test_bad_project_csv_rows_report_line_and_reason(tmp_path):
    good = catalogue()[:6]
    rows = [dict(c) for c in good]
    rows[0]["stackable_into"] = "first line\nsecond line"  # line 2-3: fine, spans two lines
    rows[1] = {**rows[1], "price": {**rows[1]["price"], "amount": "abc"}}  # line 4
    rows[2] = {**rows[2], "title": ""}  # line 5
    rows[3] = {**rows[3], "credential_type": "degree"}  # line 6
    rows[4] = {**rows[4], "duration_weeks": -3}  # line 7
    rows[5] = {**rows[5], "id": rows[0]["id"]}  # line 8
    path = tmp_path / "bad.csv"
    export_csv(rows, path)
    result = import_file(path)
    assert [(r.line, r.reason) for r in result.rejected] == [
        (4, "price amount 'abc' is not a number"),
        (5, "missing title"),
        (
            6,
            "credential_type 'degree' is not one of certification_exam, cpd_course, digital_badge, "
            "microcredential, micromasters, nanodegree, professional_certificate, short_course, specialisation",
        ),
        (7, "duration_weeks '-3' is negative"),
        (8, f"duplicate id {rows[0]['id']!r} (first on line 2)"),
    ]
    assert result.credentials == [rows[0]] and result.providers == []


def test_missing_columns_is_a_file_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("course_title,course_organization\nA,B\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        import_file(path, fmt="coursera")


def test_coursera_same_title_different_types_get_distinct_ids(tmp_path):
    path = tmp_path / "coursera.csv"
    path.write_text(
        "Sr.No,course_title,course_organization,course_Certificate_type,course_rating,course_difficulty,"
        "course_students_enrolled\n"
        "1,Data Science Foundations,Rice University,SPECIALIZATION,4.6,Beginner,480k\n"
        "2,Data Science Foundations,Rice University,COURSE,4.6,Mixed,2.5m\n"
        "3,Data Science Foundations,Rice University,DEGREE,4.6,Mixed,12k\n",
        encoding="utf-8",
    )
    result = import_file(path)
    assert [c["id"] for c in result.credentials] == [
        "rice-university-data-science-foundations",
        "rice-university-data-science-foundations-short-course",
    ]
    assert result.rejected[0].line == 4 and "DEGREE" in result.rejected[0].reason


# --------------------------------------------------------------------------------------------
# CTDL
# --------------------------------------------------------------------------------------------


@needs_data
def test_ctdl_samples_mapped():
    course = import_file(CTDL / "Course-1a.json")
    (c,) = course.credentials
    assert c["title"] == "Personal Growth Mastery" and c["credential_type"] == "short_course"
    assert c["price"] == {"amount": 995, "currency": "USD", "basis": "one_off"}  # "US Dollar"
    assert c["provider"] == "example-university"  # ownedBy resolved from Organization-1.json next to it
    assert c["level"] == "beginner" and c["language"] == "en" and c["issuer_country"] == "US"
    assert c["last_checked"] == dt.date(2022, 4, 14)  # the record's dateEffective
    assert c["source_url"] == "https://example.com/#personal-growth-mastery"
    assert c["career_aims"] == ["tech_software"]  # from occupationType "Computer Programmers"
    assert course.providers[0]["kind"] == "university" and course.providers[0]["website"] == "https://example.edu"
    assert_valid(course)

    program = import_file(CTDL / "LearningProgram-1.json")
    (p,) = program.credentials
    assert p["title"] == "Lifelong Learning Accelerator" and p["credential_type"] == "specialisation"
    assert p["price"] == {"amount": 4485, "currency": "USD", "basis": "one_off"}
    assert p["duration_weeks"] == 39.1  # P9M, at the one months-to-weeks rate (bot.model.WEEKS_PER_MONTH)
    assert p["hours_per_week"] == 7.5  # "five to ten hours of student commitment per week"
    assert p["delivery_mode"] == "blended" and p["credit"] is None
    assert p["last_checked"] == dt.date(2023, 1, 1)
    assert_valid(program)

    degree = import_file(CTDL / "Credential-1.json")
    assert degree.credentials == [] and "BachelorDegree" in degree.skipped[0].reason

    org = import_file(CTDL / "Organization-1.json")
    assert org.credentials == [] and [x["id"] for x in org.providers] == ["example-university"]

    folder = import_file(CTDL)
    assert [x["title"] for x in folder.credentials] == ["Personal Growth Mastery", "Lifelong Learning Accelerator"]
    assert folder.credentials[0]["stackable_into"] == "Part of Lifelong Learning Accelerator"  # via hasPart
    assert len(folder.skipped) == 2
    assert_valid(folder)


def test_ctdl_graph_with_recognition_credit_and_durations(tmp_path):
    org = {
        "@id": "https://ex.org/org/1",
        "@type": "ceterms:CredentialOrganization",
        "ceterms:name": {"en-US": "Acme Data Academy"},
        "ceterms:subjectWebpage": "https://acme.example",
        "ceterms:address": [{"ceterms:addressCountry": {"en-US": "United Kingdom"}}],
    }
    qa = {
        "@id": "https://ex.org/qa/1",
        "@type": "ceterms:QACredentialOrganization",
        "ceterms:name": {"en-US": "Example Accreditor"},
        "ceterms:subjectWebpage": "https://accreditor.example",
    }
    cert = {
        "@id": "https://ex.org/cred/1",
        "@type": "ceterms:Certificate",
        "ceterms:name": {"en-US": "Certificate in Data Analytics"},
        "ceterms:ownedBy": ["https://ex.org/org/1"],
        "ceterms:subjectWebpage": "https://acme.example/data",
        "ceterms:estimatedCost": [{"@type": "ceterms:CostProfile", "ceterms:price": 1200, "ceterms:currency": "EUR"}],
        "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "P3M"}],
        "ceterms:accreditedBy": ["https://ex.org/qa/1"],
        "ceterms:recognizedBy": [
            {"@type": "ceterms:CredentialOrganization", "ceterms:name": {"en-US": "Data Employers Guild"}}
        ],
        "ceterms:creditValue": [
            {
                "@type": "ceterms:ValueProfile",
                "schema:value": 6,
                "ceterms:creditUnitType": [{"ceterms:targetNode": "creditUnit:SemesterHour"}],
            }
        ],
        "ceterms:isPartOf": ["https://ex.org/prog/1"],
        "ceterms:dateEffective": "2024-02-01",
    }
    program = {
        "@id": "https://ex.org/prog/1",
        "@type": "ceterms:LearningProgram",
        "ceterms:name": {"en-US": "Data Analytics Pathway"},
        "ceterms:ownedBy": ["https://ex.org/org/1"],
        "ceterms:subjectWebpage": "https://acme.example/path",
        "ceterms:estimatedDuration": [{"ceterms:minimumDuration": "P8W", "ceterms:maximumDuration": "P12W"}],
    }
    sql = {
        "@id": "https://ex.org/c/2",
        "@type": "ceterms:Course",
        "ceterms:name": "SQL Workshop",
        "ceterms:offeredBy": ["https://ex.org/org/1"],
        "ceterms:subjectWebpage": "https://acme.example/sql",
        "ceterms:estimatedDuration": [{"ceterms:exactDuration": "PT40H"}],
        "ceterms:estimatedCost": [{"ceterms:price": 0, "ceterms:currency": "USD"}],
    }
    bad_cost = {
        **sql,
        "@id": "https://ex.org/c/3",
        "ceterms:name": "SQL Advanced",
        "ceterms:estimatedCost": [{"ceterms:price": -5, "ceterms:currency": "USD"}],
    }
    orphan = {
        **sql,
        "@id": "https://ex.org/c/4",
        "ceterms:name": "Python Basics",
        "ceterms:offeredBy": ["https://ex.org/missing-org"],
    }
    path = tmp_path / "graph.json"
    path.write_text(
        json.dumps(
            {
                "@context": "https://credreg.net/ctdl/schema/context/json",
                "@graph": [org, qa, cert, program, sql, bad_cost, orphan],
            }
        ),
        encoding="utf-8",
    )
    assert detect_format(path) == "ctdl"
    result = import_file(path, today=dt.date(2025, 1, 1))
    assert_valid(result)
    c, p, s = result.credentials
    assert c["credential_type"] == "professional_certificate" and c["provider"] == "acme-data-academy"
    assert c["price"] == {"amount": 1200, "currency": "EUR", "basis": "one_off"}
    assert c["duration_weeks"] == 13  # P3M
    assert c["credit"] == {
        "value": 6,
        "system": "US",
        "status": "awarded",
        "note": "6 semester credit hours stated in the CTDL record",
    }
    assert c["recognition"] == [
        {"by": "Example Accreditor (accreditation stated in the CTDL record)", "url": "https://accreditor.example"},
        {"by": "Data Employers Guild (recognition stated in the CTDL record)", "url": None},
    ]
    assert c["quality_assurance"]["body"] == "Example Accreditor"
    assert c["stackable_into"] == "Part of Data Analytics Pathway"
    assert c["issuer_country"] == "GB" and c["last_checked"] == dt.date(2024, 2, 1)
    assert p["duration_weeks"] == 10  # midpoint of P8W..P12W
    assert s["duration_weeks"] == 13.3 and s["hours_per_week"] == 3  # PT40H spread at 3 h a week
    assert s["price"]["amount"] == 0 and s["free_to_audit"] is True
    assert [(r.line, r.reason) for r in result.rejected] == [
        (6, "estimatedCost price -5 is negative"),
        (7, "organisation 'https://ex.org/missing-org' is neither in the file nor in a JSON file next to it"),
    ]
    assert {x["id"]: x["kind"] for x in result.providers} == {
        "acme-data-academy": "company",
        "example-accreditor": "professional_body",
    }


# --------------------------------------------------------------------------------------------
# The project's own CSV / JSON: export -> import round trip of the default catalogue
# --------------------------------------------------------------------------------------------


def test_round_trip_csv_whole_catalogue(tmp_path):
    credentials = catalogue()
    path = tmp_path / "catalogue.csv"
    export_csv(credentials, path)
    with path.open(encoding="utf-8", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == CSV_COLUMNS
    result = import_file(path)
    assert result.rejected == [] and result.skipped == [] and result.providers == []
    assert result.credentials == credentials


def test_round_trip_json_whole_catalogue(tmp_path):
    credentials = catalogue()
    providers = catalogue("providers.yml")
    export_json(credentials, tmp_path / "list.json")
    result = import_file(tmp_path / "list.json")
    assert result.rejected == [] and result.credentials == credentials and result.providers == []
    export_json(credentials, tmp_path / "both.json", providers=providers)
    both = import_file(tmp_path / "both.json")
    assert both.rejected == [] and both.credentials == credentials and both.providers == providers
    assert_valid(both, imported_providers=False)


def test_json_credential_with_unknown_provider_is_rejected(tmp_path):
    credentials = catalogue()[:2]
    providers = catalogue("providers.yml")
    credentials[1] = {**credentials[1], "provider": "nobody"}
    export_json(credentials, tmp_path / "c.json", providers=providers)
    result = import_file(tmp_path / "c.json")
    assert result.credentials == credentials[:1]
    assert result.rejected == [Rejected(2, "provider 'nobody' is not among the file's providers")]


def test_future_last_checked_is_rejected(tmp_path):
    credentials = catalogue()[:1]
    export_json(credentials, tmp_path / "c.json")
    result = import_file(tmp_path / "c.json", today=dt.date(2000, 1, 1))
    assert result.rejected == [
        Rejected(1, f"last_checked {credentials[0]['last_checked'].isoformat()} is in the future")
    ]
