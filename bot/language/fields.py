"""Fields and target roles under the broad career aims (``data/fields.yml``): what people name ("instructional design",
"HR", "bioinformatics") and the words a credential that serves the field carries in its title or topics.

A field narrows a broad aim: someone after human resources wants HR credentials, not every business
course. :func:`detect_fields` reads fields from what people say; :func:`field_terms` gives the words
the catalogue is searched for (title and topics, lower case).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.language.aims import detect_aims, keyword_pattern


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    aim: str  # the broad aim it belongs to (bot.language.aims)
    words: tuple[str, ...]  # how people name it (keywords as in bot.language.aims)
    terms: tuple[str, ...]  # lower-case words in the title or topics of a credential that serves it
    related: tuple[str, ...] = ()  # the nearest fields, offered when this one has little
    #: competing products or vendors within the field (AWS, Azure; Power BI, Tableau), lower case: someone who
    #: names one is after it, not its rivals
    products: tuple[str, ...] = ()


#: The taxonomy, read from ``data/fields.yml`` (which staff may edit; a test checks every code it names).
FIELDS_FILE = Path(__file__).resolve().parents[2] / "data" / "fields.yml"


def load_fields(path: Path = FIELDS_FILE) -> tuple[Field, ...]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return tuple(
        Field(
            e["code"],
            e["label"],
            e["aim"],
            tuple(e.get("words") or ()),
            tuple(e.get("terms") or ()),
            tuple(e.get("related") or ()),
            tuple(e.get("products") or ()),
        )
        for e in entries
    )


FIELDS: tuple[Field, ...] = load_fields()
FIELD_BY_CODE: dict[str, Field] = {f.code: f for f in FIELDS}
FIELD_PATTERNS: dict[str, re.Pattern] = {
    f.code: re.compile("|".join(keyword_pattern(w) for w in f.words)) for f in FIELDS
}
#: A narrower field wins over a broader one found beside it ("data science" over "python" coding).
_NARROWER = (
    ("marketing_analytics", "digital_marketing"),
    ("security_management", "cybersecurity"),
    ("health_informatics", "data_analysis"),
    ("health_informatics", "nursing_clinical"),
    ("bioinformatics", "software_development"),
    ("data_science", "software_development"),
    ("machine_learning", "data_science"),
    ("tesol", "teaching"),
    ("higher_ed_teaching", "teaching"),
    ("instructional_design", "teaching"),
    ("educational_leadership", "teaching"),
    ("educational_leadership", "leadership"),
    ("ux_design", "graphic_design"),
    ("business_intelligence", "data_analysis"),
    ("devops", "cloud_computing"),
    ("research_data", "data_analysis"),
    ("clinical_research", "research_careers"),
    ("epidemiology", "public_health"),
    ("epidemiology", "statistics"),
    ("research_leadership", "research_careers"),
    ("research_leadership", "leadership"),
    ("research_leadership", "educational_leadership"),  # a principal investigator, not a school principal
    ("software_testing", "software_development"),
    ("web_development", "software_development"),
    ("machine_learning", "software_development"),
    ("human_resources", "leadership"),
    ("security_management", "leadership"),
)
# "I'm a nurse looking to get into health data": what follows is the goal, what comes before the background.
_TARGET = re.compile(
    r"\b(?:into|become|becoming|move to|moving to|switch to|switching to|transition to|shift(?:ing)? (?:career )?to|"
    r"pivot(?:ing)? to|career in|job in|work in|want|wants|wanted|wanna|would like to|looking for|interested in|"
    r"curious about|keen on|thinking about|learn|study|aiming for|aim is|(?:certificat\w*|course|credential) in)\b",
    re.I,
)
_NOT = re.compile(
    r"\b(?:not|no|never|no longer|rather than|instead of|don't|dont|do not)\s+([^,.;]+?)(?=,|;|\.|\bbut\b|$)", re.I
)
#: A later message changes the field only when it says what the person is after ("I want epidemiology"),
#: corrects it ("actually design is more me") or is little more than a field ("data I guess"): "I'm OK
#: with Excel" or "I have no IT background" tell about the person, not about their aim.
_CHANGE = re.compile(
    r"\b(?:actually|instead|rather|changed? my mind|more me|prefer|switch|what about|how about|"
    r"show me|(?:anything|something|courses?|options?) (?:on|in|for|about|to|that))\b",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(?:new to|experience|background|know|familiar|good with|ok with|okay with|comfortable|done|used)\b", re.I
)
SHORT_ANSWER_WORDS = 5
#: "the supply chain one sounds good": an option pointed at by a word of its title, not a field asked for
_POINTING_AT = re.compile(r"\bthe (?:[\w+.-]+ ){0,3}?[\w+.-]+ ones?\b", re.I)
_MBA = re.compile(r"\bmba\b", re.I)
#: "data I guess": data on its own, with no kind of data work named, is where most people start: analysis
_BARE_DATA = re.compile(r"\bdata\b", re.I)


def states_goal(text: str) -> bool:
    """Whether ``text`` says what the person is after (rather than only about their background)."""
    if _TARGET.search(_NOT.sub(" ", text)) or _CHANGE.search(_NOT.sub(" ", text)):
        return True
    short = len(re.findall(r"\w+", text)) <= SHORT_ANSWER_WORDS
    return short and not _NOT.search(text) and not _BACKGROUND.search(text)


def _found(text: str) -> list[str]:
    low = f" {text.lower()} "
    return [f.code for f in FIELDS if FIELD_PATTERNS[f.code].search(low)]


def detect_fields(text: str) -> list[str]:
    """The field codes someone is after in ``text`` (empty when none is named): the goal rather than
    the background ("a nurse moving into health data" is health informatics), negated fields left out,
    a narrower field rather than a broader one beside it."""
    kept = _POINTING_AT.sub(" ", _NOT.sub(" ", text))
    target = _TARGET.search(kept)
    found = _found(kept[target.end() :]) if target else []
    if not found:
        found = _found(kept)
    for narrow, broad in _NARROWER:
        if narrow in found and broad in found:
            found.remove(broad)
    if len(found) > 1 and "business_foundations" in found:
        found.remove("business_foundations")
    if _MBA.search(kept):  # an MBA is general management: the business foundations and leading people
        found = list(dict.fromkeys(["business_foundations", "leadership", *found]))
    if not found and _BARE_DATA.search(kept):
        found = ["data_analysis"]
    return found


def field_label(code: str) -> str:
    f = FIELD_BY_CODE.get(code)
    return f.label if f else code


def describe_fields(codes: list[str] | tuple[str, ...]) -> str:
    labels = [field_label(c) for c in codes]
    if len(labels) <= 1:
        return labels[0] if labels else ""
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def field_terms(codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The words a credential serving any of these fields has in its title or topics."""
    terms: list[str] = []
    for code in codes:
        for term in FIELD_BY_CODE[code].terms if code in FIELD_BY_CODE else ():
            if term not in terms:
                terms.append(term)
    return tuple(terms)


def focus_terms(texts: list[str], codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The words the person used for their field ("epidemiology" for public health, "AWS" or "cloud"
    for cloud computing), lower case, stems without their endings: a credential that carries them
    is closer to what they asked for than one that only serves the field. A word inside a longer one
    they used ("cloud" in "cloud engineer") is left out: it would rank any cloud credential as close."""
    low = " ".join(f" {t.lower()} " for t in texts if t)
    out: list[str] = []
    for code in codes:
        for word in FIELD_BY_CODE[code].words if code in FIELD_BY_CODE else ():
            if word.startswith("re:") or not re.search(keyword_pattern(word), low):
                continue
            stem = word.rstrip("*").lower()
            if stem not in out:
                out.append(stem)
    # the most specific words the person used: "cloud engineering" is what they asked for, not any "cloud"
    return tuple(t for t in out if not any(t != other and t in other for other in out))


#: "Not interested in marketing analytics", "I don't want anything on sales": a field the person turned down
_REFUSED = re.compile(
    r"\b(?:not interested in|no interest in|(?:don'?t|do not) want(?: to do| to study)?(?: anything (?:on|in|about))?|"
    r"not into|rather not do|not looking for|anything but)\s+([^,.;!?]+?)(?=,|;|\.|!|\?|\bbut\b|$)",
    re.I,
)


def refused_fields(texts: list[str], wanted: list[str] | tuple[str, ...] = ()) -> tuple[str, ...]:
    """The fields the person turned down in any of ``texts``, except those they are now after (``wanted``)."""
    out: list[str] = []
    for text in texts:
        for m in _REFUSED.finditer(text or ""):
            found = _found(m.group(1))
            found = [code for code in found if not any(b == code and n in found for n, b in _NARROWER)]
            out += [code for code in found if code not in wanted and code not in out]
    return tuple(out)


def products_named(text: str, codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The products of the person's fields (:attr:`Field.products`) that ``text`` names, lower case."""
    low = f" {text.lower()} "
    return tuple(
        p
        for code in codes
        for p in (FIELD_BY_CODE[code].products if code in FIELD_BY_CODE else ())
        if re.search(keyword_pattern(p), low)
    )


def rival_products(codes: list[str] | tuple[str, ...], named: tuple[str, ...]) -> tuple[str, ...]:
    """The products of the person's fields that they did not name."""
    return tuple(
        p for code in codes for p in (FIELD_BY_CODE[code].products if code in FIELD_BY_CODE else ()) if p not in named
    )


def aims_of_fields(codes: list[str] | tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for code in codes:
        f = FIELD_BY_CODE.get(code)
        if f and f.aim not in out:
            out.append(f.aim)
    return out


def related_fields(codes: list[str] | tuple[str, ...]) -> list[str]:
    """The nearest other fields, to offer by name when the catalogue has little for these."""
    out: list[str] = []
    for code in codes:
        for other in FIELD_BY_CODE[code].related if code in FIELD_BY_CODE else ():
            if other not in codes and other not in out:
                out.append(other)
    return out


def aim_change(
    text: str, held_aims: list[str], held_fields: list[str], asked: bool = False
) -> tuple[list[str], list[str]]:
    """The (aims, fields) that ``text`` sets, given those held; an empty list leaves what is held.

    A message that says what the person is after (:func:`states_goal`), or answers the question about
    their aim (``asked``), sets both. Otherwise it tells about the person's background ("I've been a
    project coordinator", "I'm OK with Excel", "no IT background"): it changes nothing, except that a
    field within an aim already held, when no field is held yet, narrows it."""
    fields = detect_fields(text)
    # what the person turns down is no aim: "not interested in anything about coding"
    aims = list(dict.fromkeys(detect_aims(_NOT.sub(" ", text)) + aims_of_fields(fields)))
    if not (held_aims or held_fields) or asked or states_goal(text):
        return aims, fields
    if fields and not held_fields and set(aims_of_fields(fields)) <= set(held_aims):
        return [], fields
    return [], []
