"""The chat page in real headless Chromium against the real servers: a new user's whole conversation."""

from __future__ import annotations

import pytest

from tests.conftest import need_chromium

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(stack, tmp_path):
    chromium = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 900, "height": 1000})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(stack.web_url)
        yield pg
        pg.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
        browser.close()
        assert errors == [], errors


def say(page, text: str) -> None:
    before = page.locator(".msg.bot").count()
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()
    page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before}", timeout=60_000)
    page.wait_for_function("!document.getElementById('send').disabled", timeout=60_000)


def test_a_new_user_gets_cards_and_follow_ups_in_the_chat_page(page):
    page.wait_for_selector(".msg.bot", timeout=60_000)
    assert "personal details" in page.locator(".msg.bot").first.inner_text()
    say(page, "I want to work in cloud computing")
    assert "budget" in page.locator(".msg.bot").last.inner_text().lower()
    say(page, "£200, 3 months, 5 hours a week")
    cards = page.locator(".card")
    assert 1 <= cards.count() <= 5
    first = cards.first.inner_text()
    assert "Why it fits:" in first and "Facts last checked" in first
    assert cards.first.locator("a").get_attribute("href").startswith("https://")
    say(page, "tell me more about the first one")
    title = cards.first.locator("h2 a").inner_text()
    assert page.locator(".msg.bot").last.inner_text().startswith(title)
    say(page, "<b>bold</b> what's the weather")
    assert page.locator(".msg.user b").count() == 0  # user text is shown as text, never as HTML


def test_an_empty_message_is_not_sent_and_errors_are_shown(page, stack):
    page.wait_for_selector(".msg.bot", timeout=60_000)
    page.get_by_role("button", name="Send").click()
    assert page.locator(".msg.user").count() == 0
    resp = page.request.post(stack.web_url + "/api/message", data={"sender": "x", "message": ""})
    assert resp.status == 400 and "Type a message" in resp.json()["error"]
