"""The career-aim taxonomy and a keyword matcher from free text to aim codes."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Aim:
    code: str
    label: str
    keywords: tuple[str, ...]


AIMS: tuple[Aim, ...] = (
    Aim(
        "academic",
        "an academic career",
        (
            "academic",
            "academia",
            "lecturer",
            "professor",
            "phd",
            "postdoc",
            "post-doc",
            "researcher",
            "research career",
            "principal investigator",
            "lab leader",
            "lab head",
            "run a lab",
            "my own lab",
            "faculty",
            "university teaching",
            "research group",
            "group leader",
            "lectureship",
            "tenure",
            "fellowship",
            "readership",
        ),
    ),
    Aim(
        "science_specialist",
        "specialist science work",
        (
            "bioinformatic*",
            "re:(?<!data )(?<!computer )scientist",
            "lab technician",
            "laboratory",
            "genomics",
            "biotech research",
            "life science",
            "biology",
            "chemistry",
            "r&d",
            "research and development",
            "clinical research",
            "statistics for science",
            "molecular",
            "science specialist",
            "specialist in science",
        ),
    ),
    Aim(
        "entrepreneurship",
        "entrepreneurship",
        (
            "entrepreneur*",
            "startup",
            "start-up",
            "start up",
            "own business",
            "own company",
            "founder",
            "found a company",
            "launch a business",
            "my own biotech",
            "spin-out",
            "spinout",
            "venture",
            "run my own",
            "start a company",
            "start a business",
            "self-employed",
            "freelance",
            "social enterprise",
            "small business",
            "side hustle",
            "my own boss",
            "start my own",
            "set up my own",
            "launch my own",
            "open my own",
            "open a shop",
            "open a restaurant",
            "open a café",
            "open a cafe",
            "sole trader",
            "founding a",
            "found my own",
        ),
    ),
    Aim(
        "business_management",
        "business and management",
        (
            "business",
            "management",
            "manager",
            "project manag*",
            "leadership",
            "leader",
            "mba",
            "consult*",
            "operations",
            "supply chain",
            "finance",
            "financial",
            "marketing manager",
            "product manag*",
            "team lead",
            "manage a team",
            "managing a team",
            "manage people",
            "managing people",
            "people management",
            "human resources",
            "accountan*",
            "accounting",
            "banking",
            "investment",
            "procurement",
            "logistics",
        ),
    ),
    Aim(
        "science_communication",
        "science communication",
        (
            "science communication",
            "scicomm",
            "sci comm",
            "science writ*",
            "science journalis*",
            "public engagement",
            "science outreach",
            "communicate science",
            "communicating science",
            "science communicator",
            "museum",
            "science policy",
            "medical writ*",
        ),
    ),
    Aim(
        "tech_cloud",
        "cloud computing",
        (
            "cloud",
            "azure",
            "aws",
            "amazon web services",
            "google cloud",
            "gcp",
            "devops",
            "kubernetes",
            "sysadmin",
            "infrastructure",
        ),
    ),
    Aim(
        "tech_data",
        "data and analytics",
        (
            "data scien*",
            "data analy*",
            "analytics",
            "data engineer",
            "statistic*",
            "sql",
            "business intelligence",
            "big data",
            "data",
        ),
    ),
    Aim(
        "tech_ai",
        "AI and machine learning",
        (
            "machine learning",
            "artificial intelligence",
            "ai",
            "ai engineer",
            "deep learning",
            "ml engineer",
            "nlp",
            "computer vision",
            "generative ai",
            "llm",
            "llms",
            "genai",
        ),
    ),
    Aim(
        "tech_cybersecurity",
        "cybersecurity",
        (
            "cyber*",
            "security analyst",
            "information security",
            "infosec",
            "ethical hack",
            "penetration test",
            "pen test",
            "soc analyst",
            "network security",
            "security",
        ),
    ),
    Aim(
        "tech_it_support",
        "IT support",
        (
            "it support",
            "help desk",
            "helpdesk",
            "service desk",
            "tech support",
            "technical support",
            "desktop support",
            "it technician",
            "it help",
        ),
    ),
    Aim(
        "tech_software",
        "software development",
        (
            "software",
            "developer",
            "programm*",
            "coding",
            "coder",
            "web develop*",
            "front end",
            "front-end",
            "backend",
            "back-end",
            "full stack",
            "full-stack",
            "python",
            "javascript",
            "java",
            "app develop*",
        ),
    ),
    Aim(
        "healthcare",
        "healthcare",
        (
            "health",
            "healthcare",
            "nurse",
            "nursing",
            "medical",
            "medicine",
            "clinical",
            "hospital",
            "public health",
            "doctor",
            "physician",
            "pharma*",
            "patient",
            "care work",
            "nhs",
            "epidemiolog*",
        ),
    ),
    Aim(
        "education",
        "education and teaching",
        (
            "teach",
            "teacher",
            "education",
            "tutor",
            "instructional design",
            "school",
            "learning design",
            "e-learning",
            "elearning",
            "trainer",
            "lecturing skills",
        ),
    ),
    Aim(
        "creative_digital",
        "creative and digital work",
        (
            "design",
            "ux",
            "user experience",
            "ui",
            "graphic",
            "digital marketing",
            "social media",
            "creative",
            "content creat*",
            "video",
            "animation",
            "gaming",
            "photograph*",
            "media",
            "seo",
            "illustrat*",
            "game",
        ),
    ),
)

AIM_CODES: frozenset[str] = frozenset(a.code for a in AIMS)
AIM_BY_CODE: dict[str, Aim] = {a.code: a for a in AIMS}
TECH_AIMS = ("tech_cloud", "tech_data", "tech_ai", "tech_cybersecurity", "tech_it_support", "tech_software")

# Words that mean "technology in general": every technology aim.
_GENERIC_TECH = re.compile(r"\b((?i:tech|technology|computing|computers?)|IT)\b(?! support)")
_NEGATED = re.compile(r"\b(?:not|no|never|no longer|rather than|instead of)\s+([^,.;]+?)(?=,|;|\.|\bbut\b|$)", re.I)


def aim_label(code: str) -> str:
    aim = AIM_BY_CODE.get(code)
    return aim.label if aim else code


# A keyword is a word or phrase, matched at word boundaries with the usual endings ("nurse" also finds
# "nurses", "teach" finds "teacher"); one ending in "*" is a stem ("programm*": programmer, programming);
# "re:" starts a regular expression. Matching whole words keeps "airport" from meaning AI and
# "healthy" from meaning healthcare.
_ENDINGS = r"(?:s|es|r|rs|er|ers|ing|ed|d)?"


def keyword_pattern(keyword: str) -> str:
    if keyword.startswith("re:"):
        return f"(?:{keyword[3:]})"
    if keyword.endswith("*"):
        return rf"(?<!\w){re.escape(keyword[:-1])}\w*"
    # a short word takes a plural only: "ai" must not find "aid" or "air" (nor "français")
    endings = "s?" if len(keyword) <= 3 else _ENDINGS
    return rf"(?<!\w){re.escape(keyword)}{endings}(?!\w)"


AIM_PATTERNS: dict[str, re.Pattern] = {
    aim.code: re.compile("|".join(keyword_pattern(k) for k in aim.keywords)) for aim in AIMS
}


def detect_aims(text: str) -> list[str]:
    """Return the aim codes named in ``text``; empty when none are named.

    Aims that are only negated ("not data, design") are left out.
    """
    negated = [m.group(1) for m in _NEGATED.finditer(text)]
    if negated:
        kept = _NEGATED.sub(" ", text)
        found = _detect(kept)
        if found:
            return found
    return _detect(text)


def _detect(text: str) -> list[str]:
    low = f" {text.lower()} "
    found: list[str] = []
    for aim in AIMS:
        if AIM_PATTERNS[aim.code].search(low):
            found.append(aim.code)
    # "data" alone inside "data science" etc. is the data aim; "security" inside "cybersecurity" too.
    if "tech_ai" in found and "tech_data" in found and "data" not in low.replace("data-driven", ""):
        found.remove("tech_data")
    if not found and _GENERIC_TECH.search(text):
        found = list(TECH_AIMS)
    # A science communication aim contains "science"; do not also infer science specialist from it.
    if "science_communication" in found and "science_specialist" in found and "scientist" not in low:
        found.remove("science_specialist")
    return found


def describe_aims(codes: list[str]) -> str:
    if set(codes) == set(TECH_AIMS):
        return "technology"
    labels = [aim_label(c) for c in codes]
    if len(labels) <= 1:
        return labels[0] if labels else "no particular aim"
    return ", ".join(labels[:-1]) + " and " + labels[-1]
