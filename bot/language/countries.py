"""Where the person is: the country or region they name, its currency, and how credit counts there.

"I'm in Toronto", "in Australia", "here in Ontario", "UK employers": a place said sets the currency a
bare amount is read in (said back, to be corrected) and the note on how academic credit is counted
there (CATS in the UK, SCQF points in Scotland, ECTS in Europe, ACE recommendations in the US, the AQF in
Australia). The notes state how the systems work, not that any credential is recognised there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.messages import say


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    currency: str | None


REGIONS: dict[str, Region] = {
    "uk": Region("uk", "the UK", "GBP"),
    "scotland": Region("scotland", "Scotland", "GBP"),
    "ireland": Region("ireland", "Ireland", "EUR"),
    "eu": Region("eu", "Europe", "EUR"),
    "us": Region("us", "the US", "USD"),
    "canada": Region("canada", "Canada", "CAD"),
    "australia": Region("australia", "Australia", "AUD"),
    "new_zealand": Region("new_zealand", "New Zealand", "NZD"),
    "india": Region("india", "India", "INR"),
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


def _notes(code: str) -> tuple[str, str]:
    """(how academic credit is counted, how employers judge certificates) in the region."""
    europe = (say("credit_note.europe"), say("recognition_note.europe"))
    return {
        "uk": (say("credit_note.uk"), say("recognition_note.uk")),
        "scotland": (say("credit_note.scotland"), say("recognition_note.scotland")),
        "ireland": europe,
        "eu": europe,
        "us": (say("credit_note.us"), say("recognition_note.us")),
        "canada": (say("credit_note.canada"), say("recognition_note.canada")),
        "australia": (say("credit_note.australia"), say("recognition_note.australia")),
        "new_zealand": (say("credit_note.new_zealand"), say("recognition_note.new_zealand")),
        "india": (say("credit_note.india"), say("recognition_note.india")),
    }[code]


def credit_note(code: str | None) -> str | None:
    """How academic credit is counted in the region (a :data:`REGIONS` code); None for no region."""
    return _notes(code)[0] if code in REGIONS else None


def recognition_note(code: str | None) -> str | None:
    """How employers judge certificates in the region (a :data:`REGIONS` code); None for no region."""
    return _notes(code)[1] if code in REGIONS else None


#: The nations of the UK a credential can be limited to (bot.model.REGIONS_OFFERED), by name
_NATIONS = {"england": "England", "wales": "Wales", "northern_ireland": "Northern Ireland"}


def region_name(code: str) -> str:
    """ "Scotland", "England", "the UK": a region code as said to the person."""
    return REGIONS[code].name if code in REGIONS else _NATIONS.get(code, code)


def region_currency(code: str | None) -> str | None:
    region = REGIONS.get(code or "")
    return region.currency if region else None
