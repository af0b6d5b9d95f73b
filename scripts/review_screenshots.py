"""The README's pictures of the review app: the benchmark's synthetic conversations (bench/review.py,
fixed seed, 10,000 conversations over 120 days) in an SQLite pair of databases, the real app in its own
process, and headless Chromium. ``python scripts/review_screenshots.py`` writes docs/review-*.png."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.review import STAFF_EMAIL, STAFF_PASSWORD, generate, prepare, review_app
from bot.settings import PROJECT_ROOT, environment
from tests.conftest import need_chromium
from tests.test_browser import CHROMIUM_ARGS

DOCS = PROJECT_ROOT / "docs"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="review-shots-") as tmp:
        work = Path(tmp)
        urls = f"sqlite:///{work / 'tracker.db'}", f"sqlite:///{work / 'project.db'}"
        env = environment(
            ADVISOR_VAR_DIR=tmp, TRACKER_STORE_URL=urls[0], DATABASE_URL=urls[1], REVIEW_SECRET="screenshots"
        )
        prepare("sqlite", *urls, generate(), env)
        with review_app(env, work) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=need_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "/login")
            page.get_by_label("E-mail address").fill(STAFF_EMAIL)
            page.get_by_label("Password").fill(STAFF_PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url("**/conversations")
            page.goto(base + "/conversations?channel=website&flag=nothing&confidence_below=0.7")
            page.screenshot(path=str(DOCS / "review-list.png"), full_page=False)
            page.set_viewport_size({"width": 1280, "height": 1250})
            page.goto(base + "/charts")
            page.locator("#charts canvas").nth(4).wait_for()
            page.wait_for_timeout(500)
            page.screenshot(path=str(DOCS / "review-charts.png"), full_page=False)
            browser.close()
    print(f"Wrote {DOCS / 'review-list.png'} and {DOCS / 'review-charts.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
