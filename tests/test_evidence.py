"""Facts with evidence: a card says where and when its price was confirmed, or that nothing confirms it,
and a budget is never called met on an unconfirmed price without saying so."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.common import set_advisor
from actions.recommend import ActionRecommend
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
    unconfirmed_block = block_of(unconfirmed[0])
    assert "not confirmed by a source" in unconfirmed_block
    # within the budget only "if the price is right": the reply never leans on an unconfirmed price silently
    if any("within your" in reason for reason in unconfirmed[0]["fit"]):
        assert "(if the price is right: no source confirms it)" in unconfirmed_block
