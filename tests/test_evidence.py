"""Facts with evidence: a card says where and when its price was confirmed, or that nothing confirms it,
and a budget is never called met on an unconfirmed price without saying so."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.common import set_advisor
from actions.recommend import ActionRecommend
from bot.model import Budget, Constraints
from tests.test_actions import DOMAIN, FULL, tracker


@pytest.fixture(autouse=True)
def _advisor(advisor):
    set_advisor(advisor)
    yield
    set_advisor(None)


async def test_confirmed_and_unconfirmed_prices_are_worded_differently():
    slots = dict(
        FULL,
        career_aim=["tech_cybersecurity"],
        fields=["cybersecurity"],
        budget={"kind": "limit", "amount": 1000.0, "currency": "USD", "text": "$1000"},
        weeks=52.0,
        hours_per_week=10.0,
    )
    d = CollectingDispatcher()
    await ActionRecommend().run(d, tracker(slots=slots), DOMAIN)
    text, items = d.messages[0]["text"], d.messages[0]["custom"]["items"]
    confirmed = [i for i in items if i["evidence"]["price"]]
    unconfirmed = [i for i in items if i["price"] and i["price"]["amount"] and not i["evidence"]["price"]]
    assert confirmed and unconfirmed, [(i["id"], i["evidence"]["price"]) for i in items]
    for item in confirmed:
        assert set(item["evidence"]["price"]) == {"checked", "source"}
        assert item["evidence"]["price"]["source"].startswith("https://")
    blocks = text.split("\n\n")

    def block_of(item):
        return next(b for b in blocks if item["title"] in b)

    assert "price confirmed 2026-12-03" in block_of(confirmed[0])
    assert "not confirmed by a source" in block_of(unconfirmed[0])
    # within the budget only "if the price is right": the reply never leans on an unconfirmed price silently
    within = [i for i in unconfirmed if any("within your" in reason for reason in i["fit"])]
    assert within, [i["fit"] for i in unconfirmed]
    assert "(if the price is right: no source confirms it)" in block_of(within[0])
    assert not any("if the price is right" in reason for i in confirmed for reason in i["fit"])


async def _details(cid: str, text: str = "tell me more about it") -> str:
    from actions.recommend import ActionCredentialDetail

    d = CollectingDispatcher()
    slots = dict(FULL, shown_ids=[cid])
    await ActionCredentialDetail().run(d, tracker(text, intent="ask_details", slots=slots), DOMAIN)
    return d.messages[0]["text"]


async def test_a_platform_subscription_is_said_to_buy_the_platform_not_the_programme():
    text = await _details("google-it-support")
    assert "a subscription to the whole of Coursera, not to this programme alone" in text


async def test_co_providers_and_expiring_access_are_said():
    text = await _details("futurelearn-how-to-teach-online")
    assert "access ends after about" in text
    assert "Offered with: " in (await _details("elements-of-ai")) or "Offered with: " in (
        await _details("helsinki-cyber-security-base")
    )


async def test_helsinki_credit_says_who_can_receive_it():
    from actions.recommend import ActionCredentialDetail

    d = CollectingDispatcher()
    slots = dict(FULL, shown_ids=["elements-of-ai"])
    await ActionCredentialDetail().run(d, tracker("does it carry credit?", intent="ask_credit", slots=slots), DOMAIN)
    text = d.messages[0]["text"]
    assert text.startswith("Yes, for some learners:") and "Finnish" in text


async def test_a_retired_programme_is_kept_but_never_recommended(tmp_path):
    import yaml

    from bot.advice.service import Advisor
    from bot.catalogue.loading import load_catalog
    from bot.catalogue.models import make_engine
    from bot.catalogue.reader import SqlCatalogue
    from bot.settings import PROJECT_ROOT, load_settings

    src, out = PROJECT_ROOT / "data" / "catalog", tmp_path / "catalog"
    out.mkdir()
    for name in ("providers.yml", "exchange_rates.yml"):
        (out / name).write_text((src / name).read_text(encoding="utf-8"), encoding="utf-8")
    entries = yaml.safe_load((src / "credentials.yml").read_text(encoding="utf-8"))
    slots = dict(
        FULL,
        career_aim=["business_management"],
        fields=["project_management"],
        budget={"kind": "unlimited"},
        weeks=52.0,
        hours_per_week=10.0,
    )

    async def shown_with(catalogue: list[dict]) -> list[str]:
        (out / "credentials.yml").write_text(yaml.safe_dump(catalogue, sort_keys=False), encoding="utf-8")
        engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
        load_catalog(engine, out)
        set_advisor(Advisor(SqlCatalogue(engine), load_settings({"ADVISOR_VAR_DIR": str(tmp_path)})))
        d = CollectingDispatcher()
        await ActionRecommend().run(d, tracker(slots=slots), DOMAIN)
        engine.dispose()
        return [i["id"] for i in d.messages[0]["custom"]["items"]]

    before = await shown_with(entries)
    assert before
    first = before[0]
    for e in entries:
        if e["id"] == first:
            e["status"], e["status_note"] = "retired", "no longer offered"
    after = await shown_with(entries)
    assert first not in after and after  # the others are still recommended


async def test_scottish_credit_gives_its_ects_equivalent():
    from actions.recommend import ActionCredentialDetail

    d = CollectingDispatcher()
    slots = dict(FULL, shown_ids=["uoe-pgcert-tesol"])
    await ActionCredentialDetail().run(d, tracker("does it carry credit?", intent="ask_credit", slots=slots), DOMAIN)
    assert "60 SCQF credit points (30 ECTS)" in d.messages[0]["text"]


def test_a_renamed_provider_is_still_found_by_its_former_name(advisor):
    # Cambridge's Institute of Continuing Education is now Professional and Continuing Education
    named = [r.id for r in advisor.named_in("is the ICE course accredited?")]
    assert named and all(cid.startswith("cambridge-ice-") for cid in named)
    assert all("Professional and Continuing Education" in r.provider for r in advisor.named_in("the ICE one"))


def test_a_fact_stated_only_on_another_site_is_said_to_be_second_hand(advisor):
    """Google IT Support's length is confirmed by a homeschooling blog, not by the programme's page: the card
    says so, and a budget met by a price that only a third-party page states says that too."""
    from bot.advice.evidence import evidence_line, price_second_hand

    [r] = advisor.details(["google-it-support"])
    line = evidence_line(r, dt.date(2026, 12, 3))
    assert "length stated on another site (homeschoolingforcollegecredit.org" in line, line
    assert "not the programme's own page" in line
    assert price_second_hand(r)  # class-central reports the Coursera subscription price
    c = Constraints(aims=("tech_it_support",), budget=Budget("limit", 500, "USD"), weeks=30, hours_per_week=10)
    m = advisor.plan(r, c)
    assert any("only another site than the provider's states it" in f for f in m.fit), m.fit


def test_a_page_on_a_document_sharing_site_is_never_called_the_programmes_page(advisor):
    from bot.advice.explain import source_line

    qlik = advisor.details(["qlik-sense-business-analyst-certification"])[0]
    assert "scribd.com" in qlik.source_url  # the catalogue took its source from a shared document
    line = source_line(qlik, dt.date(2026, 12, 3))
    assert "(not the provider's own site: confirm the details there)" in line
    assert "the programme's page" not in line and "scribd.com" in line.split("\n", 1)[1]
    # an official page on another of the provider's own sites stays first-hand
    cc = advisor.details(["isc2-certified-in-cybersecurity"])[0]
    assert "not the provider's own site" not in source_line(cc, dt.date(2026, 12, 3))


def test_a_regulated_qualification_is_not_simply_no_credit(advisor):
    from bot.advice.credit import credit_description
    from bot.advice.matching import caveats_for

    cipd = advisor.details(["cipd-level5-associate-diploma"])[0]
    said = credit_description(cipd)
    assert said.startswith("Not as university credit") and "RQF Level 5" in said and "Ofqual" in said
    caveats = caveats_for(cipd, dt.date(2026, 12, 3))
    assert "No academic credit." not in caveats and any("regulated qualification" in c for c in caveats)
    # a MOOC certificate with no credit still says so plainly
    assert (
        caveats_for(advisor.details(["tableau-desktop-specialist"])[0], dt.date(2026, 12, 3)).count(
            "No academic credit."
        )
        == 1
    )
