"""What people ask the list to be: which item they mean ("the second one") and the filters they set
("online only", "for beginners", "from a university")."""

from __future__ import annotations

import re

from bot.language.fields import FIELD_PATTERNS
from bot.language.parsing import words_to_digits

#: Words for a list position (``last``: -1).
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
}


def parse_ordinal(text: str) -> int | None:
    """Which item of a shown list the text points at: 1-based, -1 for "the last one"."""
    low = text.lower()
    if re.search(r"\b(last|final) (one|option|course|credential)\b", low):
        return -1
    m = re.search(r"\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\b", low)
    if m:
        return ORDINALS[m.group(1)]
    m = re.search(r"(?:number|no\.?|#|option|item)\s*(\d|one|two|three|four|five)\b", low)
    if m:
        return ORDINALS.get(m.group(1)) or int(m.group(1))
    return None


# Filters people ask for: "online only", "from a university", "for beginners". A key set to None
# clears that filter ("any level is fine"); a key absent leaves it as it was.
_ONLINE_ON = re.compile(
    r"\b(online[- ]only|only online|fully online|100% online|entirely online|all online|"
    r"remote(?:ly)? only|only remote|(?:study|learn) from home|no (?:campus|travel)|"
    r"not (?:in person|on campus)|can'?t (?:travel|get to (?:a )?campus))\b",
    re.I,
)
_ONLINE_OFF = re.compile(
    r"\b(in[- ]person (?:is )?(?:fine|ok|okay)|(?:doesn'?t|does not|don'?t) (?:have|need) to be "
    r"online|any (?:mode|format)|on campus (?:is )?(?:fine|ok|okay))\b",
    re.I,
)
#: A level asked of the credentials ("beginner courses", "something more advanced"), not said of the person
#: ("a complete beginner", "no experience": that is their experience, bot.language.filters.experience_in).
_OF_COURSES = (
    r"(?:[- ]level)?\s+(?:courses?|options?|ones?|certificates?|certifications?|credentials?|stuff|material|"
    r"programmes?|programs?|level|only)\b"
)


def _level_pattern(words: str) -> re.Pattern:
    return re.compile(
        rf"\b(?:{words}){_OF_COURSES}|\b(?:only|just|something|anything|what'?s|is there)\s+(?:more\s+)?"
        rf"(?:for\s+)?(?:{words})\b|\b(?:at|for) (?:an? )?(?:{words})'? level\b|\b(?:{words})[- ]friendly\b",
        re.I,
    )


_LEVELS = (
    ("beginner", _level_pattern(r"beginners?|entry[- ]level|introductory|intro")),
    ("intermediate", _level_pattern(r"intermediate")),
    ("advanced", _level_pattern(r"advanced|expert")),
)
_LEVEL_NEGATED = re.compile(r"\b(?:no|not|don'?t want|do not want|nothing)\s+(?:\w+\s+)?$", re.I)
_LEVEL_OFF = re.compile(r"\bany level\b", re.I)
#: "something more substantial", "in-depth", "not just a short course": leave out what is known to be small
#: (bot.model.SUBSTANTIAL_HOURS); "short is fine" lifts it.
_SUBSTANTIAL_ON = re.compile(
    r"\b((?:more|something|really) substantial|substantial (?:course|programme|program|credential|one)|in[- ]depth|"
    r"something (?:bigger|proper|more serious)|(?:longer|bigger|more serious) (?:course|programme|program|option|one)s?|"
    r"not (?:just )?(?:a )?(?:short|quick|tiny) (?:course|one)s?)\b",
    re.I,
)
_SUBSTANTIAL_OFF = re.compile(
    r"\b((?:short|small|quick) (?:ones? |courses? )?(?:is|are) (?:fine|ok|okay)|anything short|short courses? too)\b",
    re.I,
)
#: "hands-on exams rather than multiple choice", "performance-based exams": only what is assessed hands-on
#: (bot.model.assessed_hands_on); "multiple choice is fine" lifts it.
_HANDS_ON_ON = re.compile(
    r"\b((?:hands[- ]on|performance[- ]based|practical|lab[- ]based) (?:exams?|assessments?|tests?|tasks?|labs?)|"
    r"(?:rather than|instead of|not|no|without|hate|don'?t (?:want|like)) multiple[- ]choice)\b",
    re.I,
)
_HANDS_ON_OFF = re.compile(
    r"\b(multiple[- ]choice (?:is|are|would be) (?:fine|ok|okay)|any (?:kind of )?(?:exam|assessment)s? (?:is|are) "
    r"(?:fine|ok|okay))\b",
    re.I,
)
_PROVIDERS = (
    (
        "university",
        re.compile(
            r"\b(from (?:a |an )?universit(?:y|ies)|universit(?:y|ies) only|only universit(?:y|ies)|"
            r"university[- ](?:run|backed|issued|ones?|courses?|credentials?)|by (?:a )?universit(?:y|ies))\b",
            re.I,
        ),
    ),
    (
        "professional_body",
        re.compile(
            r"\b(from (?:a )?professional bod(?:y|ies)|professional bod(?:y|ies) only|"
            r"chartered (?:body|institute))\b",
            re.I,
        ),
    ),
    (
        "company",
        re.compile(
            r"\b(from (?:an? )?(?:company|companies|employer|industry|tech company|vendor)|"
            r"vendor certifications?)\b",
            re.I,
        ),
    ),
)
_PROVIDER_OFF = re.compile(r"\b(any provider|any kind of provider|doesn'?t matter who)\b", re.I)


def parse_filters(text: str) -> dict:
    """The filters a message asks for: ``online_only``, ``level``, ``provider_kinds``, ``substantial``,
    ``hands_on`` (only the keys it speaks of)."""
    out: dict = {}
    if _ONLINE_OFF.search(text):
        out["online_only"] = False
    elif _ONLINE_ON.search(text):
        out["online_only"] = True
    if _LEVEL_OFF.search(text):
        out["level"] = None
    else:
        levels = [
            name
            for name, pattern in _LEVELS
            if any(
                not _LEVEL_NEGATED.search(text[: m.start()]) and not _PAST_BEGINNER.search(m.group(0))
                for m in pattern.finditer(text)
            )
        ]
        if len(levels) == 1:
            out["level"] = levels[0]
    if _SUBSTANTIAL_OFF.search(text):
        out["substantial"] = False
    elif _SUBSTANTIAL_ON.search(text):
        out["substantial"] = True
    if _HANDS_ON_OFF.search(text):
        out["hands_on"] = False
    elif _HANDS_ON_ON.search(text):
        out["hands_on"] = True
    if _PROVIDER_OFF.search(text):
        out["provider_kinds"] = []
    else:
        kinds = [name for name, pattern in _PROVIDERS if pattern.search(text)]
        if kinds:
            out["provider_kinds"] = kinds
    return out


#: Words for the kinds of credential, squashed to letters, and the catalogue's type for each.
CREDENTIAL_TYPE_WORDS = {
    "micromasters": "micromasters",
    "micromaster": "micromasters",
    "nanodegree": "nanodegree",
    "nanodegrees": "nanodegree",
    "professionalcertificate": "professional_certificate",
    "professionalcertificates": "professional_certificate",
    "professionalcert": "professional_certificate",
    "careercertificate": "professional_certificate",
    "specialisation": "specialisation",
    "specialization": "specialisation",
    "specialisations": "specialisation",
    "specializations": "specialisation",
    "digitalbadge": "digital_badge",
    "digitalbadges": "digital_badge",
    "openbadge": "digital_badge",
    "badge": "digital_badge",
    "certificationexam": "certification_exam",
    "exam": "certification_exam",
    "vendorcertification": "certification_exam",
    "cpd": "cpd_course",
    "cpdcourse": "cpd_course",
    "continuingprofessionaldevelopment": "cpd_course",
}


def credential_type_named(values: list[str]) -> str | None:
    """The kind of credential asked for ("a MicroMasters", "nano-degree"), from the words that name one."""
    for value in values:
        key = re.sub(r"[^a-z]", "", value.lower())
        if key in CREDENTIAL_TYPE_WORDS:
            return CREDENTIAL_TYPE_WORDS[key]
    return None


_TYPE_WORD = (
    r"(?:micro-?masters?|nano-?degrees?|(?:professional )?certificates?|certifications?|badges?|"
    r"speciali[sz]ations?|cpd(?: courses?)?|exams?|short courses?)"
)
_ANY_TYPE = re.compile(
    r"\b(any (?:type|kind|sort|format)s?(?: of (?:course|credential|certificate|programme|program)s?)?"
    r"(?: (?:is|are|would be) (?:fine|ok|okay|good))?|"
    rf"(?:not just|not only|doesn'?t have to be|needn'?t be) (?:an? |the )?{_TYPE_WORD}|"
    r"(?:other|all) (?:types|kinds) (?:are|is) (?:fine|ok|okay)|(?:type|kind) doesn'?t matter)\b",
    re.I,
)


def any_type_will_do(text: str) -> bool:
    """The person lifts a kind-of-credential filter: "any type is fine, not just micromasters"."""
    return bool(_ANY_TYPE.search(text))


_CREDIT_OFF = re.compile(
    r"\b((?:don'?t|do not|no longer|won'?t|doesn'?t) (?:really )?(?:need|want|require|care about|matter)"
    r"(?: the| any)? (?:academic )?credits?|(?:academic )?credits? (?:doesn'?t|does not|don'?t|isn'?t|is not) "
    r"(?:matter|important|needed|necessary|a must)|no need for (?:academic )?credits?|without (?:academic )?credits?|"
    r"forget (?:about )?(?:the )?credits?|credits? (?:is|are) (?:optional|not needed)|"
    r"(?:remove|drop|lose|lift|turn off|take off|get rid of) (?:the )?credits?(?: filter| requirement| only)?|"
    r"not (?:the )?(?:academic |college |university )credits?)\b",
    re.I,
)
_CREDIT_ON = re.compile(
    r"\b(with (?:(?!no\b|not\b|zero\b|little\b)\w+ ){0,2}credits?|credit[- ]bearing|carr(?:y|ies) (?:academic )?credits?|"
    r"(?:academic|university|college|uni|transferable) credits?|ects|for credits?|"
    r"(?:need|want|must have|requires?) (?:academic |some )?credits?|counts? towards? (?:a|my) degree)\b",
    re.I,
)


_BROADER = re.compile(
    r"\b(broader|broaden|wider|widen|anything in (?:that|the) area|related (?:fields?|areas?|options)|"
    r"any (?:field|area) (?:is|would be) (?:fine|ok|okay))\b",
    re.I,
)


def wants_broader(text: str) -> bool:
    """The person asks to look beyond the field they named: "broaden my search", "related fields"."""
    return bool(_BROADER.search(text))


_BUILDS_TOWARDS = re.compile(
    r"\b(?:that|which|to) (?:build|count|stack|lead|add)s? (?:up )?(?:towards?|into|to) (?:it|them|a|an|my|the)\b", re.I
)
_DEGREE = re.compile(r"\b(master'?s|masters|msc|mba|degree|bachelor'?s|postgrad\w*)\b", re.I)


#: a question about one option ("is that one uni credit?", "does it carry credit?"): not a wish for a filter
_ABOUT_ONE = re.compile(
    r"^\s*(?:is|does|do|will|would|can|could)\b[^?]*\b(?:it|that|this|the \w+ one|that one|this one)\b[^?]*\?", re.I
)


def credit_wanted(text: str) -> bool | None:
    """True when the person asks for credit-bearing options ("credits that build towards a master's"),
    False when they drop that wish, None when the message says nothing about credit (or asks whether one
    option carries it: "is that one uni credit since it's a university?")."""
    if _CREDIT_OFF.search(text):
        return False
    if _ABOUT_ONE.search(text):
        return None
    if _CREDIT_ON.search(text) or (_BUILDS_TOWARDS.search(text) and _DEGREE.search(text)):
        return True
    return None


_NEW = re.compile(
    r"\b(fresher|fresh graduate|no experience|zero experience|without experience|no (?:prior |previous |real |\w+ )?"
    r"(?:background|knowledge|experience)|not (?:very |at all )?technical|non-?technical|complete beginner|total beginner|beginner|new to (?:this|it|the field|\w+)|"
    r"just starting|starting out|starting from scratch|never (?:done|worked|studied|coded|programmed|taught|run|used)|"
    r"career chang(?:e|er|ing)|school[- ]leavers?|just (?:finished|left) (?:school|sixth form|high school)|"
    r"(?:fresh|straight) out of (?:school|sixth form|high school|college|uni)|"
    r"switching careers?|(?:just|recently|newly) (?:been )?promoted|first (?:management|manager|leadership|"
    r"supervisory) (?:role|job|position))\b",
    re.I,
)
_YEARS = re.compile(
    r"\b(\d{1,2})\+?\s*"
    r"(?:years?|yrs?)(?:'|’)?\s*(?:of\s+)?(?:experience|exp\b|in (?:the )?(?:field|industry|it|tech))",
    re.I,
)
#: "I don't want beginner stuff", "not a beginner": says what they are not, so not new
_NOT_NEW = re.compile(
    r"\b(?:not|no|don'?t|do not|nothing)\b(?: \w+){0,3} (?:beginners?|basic|introductory|intro|entry[- ]level)\b", re.I
)
#: years in a role they hold now ("network administrator (4 years)", "sysadmin here, 9 years",
#: "8 years in SOC", "coordinated rosters for 2 years"): experience next to the field, so "some"
_ROLE_YEARS = re.compile(
    r"(?:\(\s*(\d{1,2})\+?\s*(?:years?|yrs?)\b|\bhere,?\s*(\d{1,2})\+?\s*(?:years?|yrs?)\b|"
    r"\b(\d{1,2})\+?\s*(?:years?|yrs?)\s+(?:in|at|as|on|with|doing|working)\b|"
    r"\b(?:worked|working|been|done|doing|demonstrating|coordinated|managed|run|ran)\b[^.?!,;]{0,60}?\bfor\s+"
    r"(?:the\s+(?:past|last)\s+)?(\d{1,2})\+?\s*(?:years?|yrs?)\b)",
    re.I,
)
#: years spent managing or leading ("I've managed an operations team for 12 years", "a manager for 8 years"):
#: experience of management itself, whatever was managed
_MANAGING_YEARS = re.compile(
    r"\b(?:(?:managed|managing|led|leading)\b[^.?!,;]{0,40}?\bfor\s+(?:the\s+(?:past|last)\s+)?(\d{1,2})\+?\s*"
    r"(?:years?|yrs?)|(?:an? )?(?:\w+ )?manager for\s+(\d{1,2})\+?\s*(?:years?|yrs?)|"
    r"(\d{1,2})\+?\s*(?:years?|yrs?)\s+(?:of\s+)?(?:managing|leading|as an? (?:\w+ )?manager))\b",
    re.I,
)
MANAGING_EXPERIENCED_YEARS = 5
#: years working in something ("I've worked in logistics for 6 years", "je travaille dans la logistique depuis
#: 6 ans"): experience in the person's field itself when that something is their field
_WORKED_IN_YEARS = re.compile(
    r"\b(?:worked|working|work|been|travaille|trabajo|trabajado|arbeite)\s+(?:in|dans|en|im|in der)\s+"
    r"((?:[\w'’-]+\s+){0,4}?)(?:for|depuis|desde hace|seit)\s+(\d{1,2})\+?\s*(?:years?|yrs?|ans|años|jahren)\b",
    re.I,
)
#: the fields where years spent managing are experience in the field itself
MANAGEMENT_FIELDS = ("leadership", "business_foundations", "project_management")
_EXPERIENCED = re.compile(r"\b(senior|experienced|expert|veteran|lead developer|principal engineer)\b", re.I)
_SOME = re.compile(
    r"\b(some experience|a bit of experience|a little experience|junior|intermediate|"
    r"some background|know the basics)\b",
    re.I,
)


#: years away from work: a career break, raising children, caring
_AWAY = re.compile(
    r"\b\d{1,2}\+?\s*(?:years?|yrs?)\s+(?:at home|off(?: work)?|out of work|away|of (?:career )?break|"
    r"(?:raising|looking after|caring for)\b[^.,;]*)",
    re.I,
)
#: moving into another field: the years they name were spent in the old one
_MOVING_INTO = re.compile(
    r"\b(?:(?:move|moving|get|getting|break|breaking|transition|transitioning)\s+into|"
    r"(?:switch|switching|pivot|pivoting|retrain|retraining)\s+(?:in)?to|"
    r"chang(?:e|ing)\s+careers?\s+(?:in)?to)\b",
    re.I,
)


#: "I don't want beginner stuff", "what's more advanced?", "beyond the basics": past a beginner's level, which
#: is what the person asks of the options (intermediate and advanced first, introductory ones flagged)
_PAST_BEGINNER = re.compile(
    r"\b(?:more advanced|beyond (?:the )?basics|past (?:the )?basics|"
    r"(?:don'?t|do not) want (?:\w+ )?(?:beginners?|basic|introductory|intro|entry[- ]level) "
    r"(?:stuff|courses?|ones?|material|level))\b",
    re.I,
)


def _in_fields(words: str, fields: list[str] | tuple[str, ...]) -> bool:
    """Whether ``words`` name one of ``fields``."""
    low = f" {words.lower()} "
    return any(code in FIELD_PATTERNS and FIELD_PATTERNS[code].search(low) for code in fields)


def experience_in(text: str, fields: list[str] | tuple[str, ...] = ()) -> str | None:
    """How experienced the person says they are in the field: ``new``, ``some`` or ``experienced``. Someone
    moving into a field from another ("an accountant (6 years) moving into web development") is new to it,
    or has some transferable experience when they name years of work; someone who wants what is past a
    beginner's level ("I don't want beginner stuff, what's more advanced?") is taken as experienced; so is
    someone with years spent managing who is after management (``fields``: the person's fields)."""
    if _PAST_BEGINNER.search(text):
        return "experienced"
    if _MOVING_INTO.search(text):
        if _NEW.search(text) and not _NOT_NEW.search(text):
            return "new"
        digits = _AWAY.sub("", words_to_digits(text))  # "7 years at home" is no work experience
        return "some" if _YEARS.search(digits) or _ROLE_YEARS.search(digits) or _EXPERIENCED.search(text) else "new"
    m = _YEARS.search(words_to_digits(text))
    if m:
        return "experienced" if int(m.group(1)) >= 5 else "some"
    worked = _WORKED_IN_YEARS.search(words_to_digits(text))
    if worked and fields and _in_fields(worked.group(1), fields):
        return "experienced" if int(worked.group(2)) >= MANAGING_EXPERIENCED_YEARS else "some"
    managing = _MANAGING_YEARS.search(words_to_digits(text)) if set(fields) & set(MANAGEMENT_FIELDS) else None
    if managing and int(next(g for g in managing.groups() if g)) >= MANAGING_EXPERIENCED_YEARS:
        return "experienced"
    if _NEW.search(text) and not _NOT_NEW.search(text):
        return "new"
    if _EXPERIENCED.search(text):
        return "experienced"
    if _ROLE_YEARS.search(words_to_digits(text)) or _SOME.search(text):
        return "some"
    return None
