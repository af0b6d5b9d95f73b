import pytest

from bot.aims import TECH_AIMS, describe_aims, detect_aims


@pytest.mark.parametrize(
    "text,expected",
    [
        ("I want to become a data scientist", ["tech_data"]),
        ("become a lecturer", ["academic"]),
        ("I want to run my own biotech startup", ["entrepreneurship"]),
        ("science communication", ["science_communication"]),
        ("IT support", ["tech_it_support"]),
        ("I want a career in AI", ["tech_ai"]),
        ("cloud computing", ["tech_cloud"]),
        ("I want to become a nurse", ["healthcare"]),
        ("teaching", ["education"]),
        ("UX design", ["creative_digital"]),
        ("bioinformatics", ["science_specialist"]),
        ("not data, design", ["creative_digital"]),
        ("5 hours a week", []),
        ("I want to do it", []),
    ],
)
def test_detect_aims(text, expected):
    assert detect_aims(text) == expected


def test_generic_technology_means_every_technology_aim():
    assert detect_aims("something in tech") == list(TECH_AIMS)
    assert describe_aims(list(TECH_AIMS)) == "technology"


def test_two_aims_at_once():
    assert set(detect_aims("cybersecurity or cloud")) == {"tech_cybersecurity", "tech_cloud"}
