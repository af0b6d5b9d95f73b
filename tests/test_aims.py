import pytest

from bot.language.aims import TECH_AIMS, describe_aims, detect_aims


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
        ("my long-term goal is a lectureship", ["academic"]),
        ("I want to start a social enterprise", ["entrepreneurship"]),
        ("the plan is to open my own bakery", ["entrepreneurship"]),
        ("I want to be my own boss", ["entrepreneurship"]),
        ("in the long run I want to manage a team", ["business_management"]),
        ("a job in human resources", ["business_management"]),
        ("I want to open a bank account", []),
        # whole words: "aim" and "airport" are not AI, "healthy" is not healthcare
        ("I'm aiming for a job as a cloud engineer", ["tech_cloud"]),
        ("switch my aim to healthcare", ["healthcare"]),
        ("how do I get from the airport to the station", []),
        ("healthy snacks under 100 calories", []),
        ("first aid training", []),
        ("I want to be air crew", []),
        ("I want to work in investment banking", ["business_management"]),
        ("I want to be a software developer", ["tech_software"]),
        ("gen AI", ["tech_ai"]),
        ("cybersecurity", ["tech_cybersecurity"]),
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
