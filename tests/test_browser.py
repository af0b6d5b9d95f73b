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


@pytest.fixture
def page_without_assistant(tmp_path):
    """The chat page served by its own relay, with no assistant behind it (nothing listens on the Rasa port)."""
    import subprocess
    import sys
    import time
    import urllib.request

    from bot.settings import PROJECT_ROOT
    from tests.conftest import free_port

    chromium = need_chromium()
    port = free_port()
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.channels.web",
            "--port",
            str(port),
            "--rasa-url",
            f"http://127.0.0.1:{free_port()}",
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            pg = browser.new_page()
            pg.goto(f"http://127.0.0.1:{port}/")
            yield pg
            browser.close()
    finally:
        web.terminate()
        web.wait(timeout=10)


def test_an_assistant_that_is_down_is_said_so_and_the_message_is_kept(page_without_assistant):
    page = page_without_assistant
    page.wait_for_selector(".msg.error", timeout=30_000)  # the greeting could not be fetched
    page.get_by_label("Your message").fill("I want to work in cloud computing")
    page.get_by_role("button", name="Send").click()
    page.wait_for_function("document.querySelectorAll('.msg.error').length > 1", timeout=30_000)
    assert "not reachable" in page.locator(".msg.error").last.inner_text()
    assert page.get_by_label("Your message").input_value() == "I want to work in cloud computing"


def test_a_link_that_is_not_a_web_address_is_never_drawn_as_a_link(page_without_assistant):
    page = page_without_assistant
    item = {
        "id": "x",
        "title": "Suspicious course",
        "provider": "Nobody",
        "url": "javascript:alert(document.cookie)",
        "price": None,
        "fit": [],
        "caveats": [],
        "breaks": [],
        "break_reasons": [],
        "last_checked": "2026-01-01",
    }
    safe = dict(item, id="y", title="Safe course", url="https://example.org/course")
    reply = {"sender": "s" * 16, "replies": [{"custom": {"type": "credential_list", "items": [item, safe]}}]}
    page.route("**/api/message", lambda route: route.fulfill(status=200, json=reply))
    page.get_by_label("Your message").fill("show me")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector(".card", timeout=30_000)
    cards = page.locator(".card")
    assert cards.nth(0).locator("a").count() == 0 and "Suspicious course" in cards.nth(0).inner_text()
    assert cards.nth(1).locator("h2 a").get_attribute("href") == "https://example.org/course"
