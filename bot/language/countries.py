"""Where the person is: the country or region they name, its currency, and how credit counts there.

"I'm in Toronto", "in Australia", "here in Ontario", "UK employers": a place said sets the currency a
bare amount is read in (said back, to be corrected) and the note on how academic credit is counted
there (CATS in the UK, SCQF points in Scotland, ECTS in Europe, ACE recommendations in the US, the AQF in
Australia). The notes state how the systems work, not that any credential is recognised there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    currency: str | None
    credit_note: str


_EU_NOTE = (
    "In Europe, academic credit is counted in ECTS (1 ECTS is 25–30 hours of study); the university or "
    "college you apply to decides whether it accepts credit from elsewhere."
)
REGIONS: dict[str, Region] = {
    "uk": Region(
        "uk",
        "the UK",
        "GBP",
        "In England, Wales and Northern Ireland, academic credit is counted in CATS credits (1 credit is 10 "
        "hours of study; 120 make a year of a degree); the university you apply to decides what it accepts.",
    ),
    "scotland": Region(
        "scotland",
        "Scotland",
        "GBP",
        "In Scotland, credit is counted in SCQF credit points (1 point is 10 hours of study) at an SCQF "
        "level; a college or university decides what it accepts towards its own awards.",
    ),
    "ireland": Region("ireland", "Ireland", "EUR", _EU_NOTE),
    "eu": Region("eu", "Europe", "EUR", _EU_NOTE),
    "us": Region(
        "us",
        "the US",
        "USD",
        "In the US, credit is counted in semester credit hours; ACE credit recommendations are accepted by some "
        "colleges, and each college decides.",
    ),
    "canada": Region(
        "canada",
        "Canada",
        "CAD",
        "In Canada, each college or university (and each province's transfer system) decides what credit it "
        "accepts; US ACE recommendations are seldom taken up.",
    ),
    "australia": Region(
        "australia",
        "Australia",
        "AUD",
        "In Australia, qualifications sit in the Australian Qualifications Framework (AQF); universities decide "
        "credit case by case (recognition of prior learning), and US ACE recommendations seldom count.",
    ),
    "new_zealand": Region(
        "new_zealand",
        "New Zealand",
        "NZD",
        "In New Zealand, credit is counted on the NZQF (1 credit is 10 hours of learning); the provider you "
        "apply to decides what it accepts.",
    ),
    "india": Region(
        "india",
        "India",
        "INR",
        "In India, universities count credit under the UGC's Academic Bank of Credits and decide what they "
        "accept from elsewhere; foreign credit recommendations seldom count.",
    ),
}
_EU_COUNTRIES = (
    r"germany|france|spain|italy|netherlands|belgium|austria|portugal|"
    r"finland|sweden|denmark|poland|greece|czech|europe|european|eu|berlin|munich|stuttgart|paris|lyon|"
    r"madrid|barcelona|rome|milan|amsterdam|leiden|rotterdam|brussels|vienna|lisbon|helsinki|stockholm|"
    r"copenhagen|warsaw|heidelberg"
)
_PLACES = (
    ("scotland", r"scotland|scottish|glasgow|edinburgh|aberdeen|dundee"),
    (
        "uk",
        r"uk|u\.k\.|united kingdom|britain|british|england|wales|london|manchester|"
        r"birmingham|bristol|leeds|sheffield|liverpool|nhs",
    ),
    ("ireland", r"ireland|irish|dublin|cork"),
    ("us", r"usa|u\.s\.|united states|america|american|texas|austin|phoenix|california|new york"),
    ("canada", r"canada|canadian|toronto|ontario|vancouver|montreal|quebec"),
    ("australia", r"australia|australian|aussie|sydney|melbourne|brisbane|perth"),
    ("new_zealand", r"new zealand|nz|auckland|wellington|kiwi"),
    ("india", r"india|indian|delhi|mumbai|bangalore|bengaluru|chennai|hyderabad|pune"),
    ("eu", _EU_COUNTRIES),
)
_PLACE_PATTERNS = tuple((code, re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.I)) for code, words in _PLACES)
# "US" in capitals is the country; "us" in lower case is the pronoun
_US_WORD = re.compile(r"(?<!\w)US(?!\w)")


def region_named(text: str) -> str | None:
    """The region a message names (a :data:`REGIONS` code), or None; the first named wins."""
    found: list[tuple[int, str]] = []
    for code, pattern in _PLACE_PATTERNS:
        m = pattern.search(text)
        if m and not (code == "us" and m.group(0).lower() == "us"):
            found.append((m.start(), code))
    m = _US_WORD.search(text)
    if m:
        found.append((m.start(), "us"))
    return min(found)[1] if found else None


def credit_note(code: str | None) -> str | None:
    region = REGIONS.get(code or "")
    return region.credit_note if region else None


def region_currency(code: str | None) -> str | None:
    region = REGIONS.get(code or "")
    return region.currency if region else None
