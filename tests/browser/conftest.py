"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

Every test in this folder is marked ``browser``. Without /usr/bin/chromium they are skipped with a
reason, unless THIDUA_REQUIRE_BROWSER=1 (CI), which makes them fail instead. Playwright never
downloads a browser here: there is no network for that, so the system Chromium is launched by path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("THIDUA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
REQUIRE_BROWSER = os.environ.get("THIDUA_REQUIRE_BROWSER", "").strip().lower() in {
    "1",
    "true",
    "yes",
}


def _missing_browser_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing_browser_reason()
    for item in items:
        if not Path(str(item.path)).resolve().is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        if reason and not REQUIRE_BROWSER:
            item.add_marker(pytest.mark.skip(reason=f"browser test skipped: {reason}"))


@pytest.fixture
def browser_page(monkeypatch, django_db_serialized_rollback):
    """A fresh Chromium page (1280x900, vi-VN, Asia/Ho_Chi_Minh), closed after the test.

    Browser tests use the live server, so the database is flushed after each of them, and so is
    every other transactional test's: rows written by data migrations (the indicator catalog)
    would be gone for the next one. ``django_db_serialized_rollback`` restores them first.
    """
    reason = _missing_browser_reason()
    if reason:
        pytest.fail(f"THIDUA_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM
    # calls from the test body ("You cannot call this from an async context"). Only for this test:
    # the variable must not leak into other tests or subprocesses (it fails check --deploy).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def screenshot_dir() -> Path:
    """var/screenshots/ (ignored by git), where browser tests leave what they saw."""
    from django.conf import settings

    path = Path(settings.VAR_DIR) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def login(live_server):
    """login(page, username, password): sign in through the form at /accounts/login/."""

    def do_login(page, username: str, password: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.locator('form:has(#id_username) [type="submit"]').first.click()
        if page.locator("#id_username").count():
            raise AssertionError(
                f"login as {username!r} failed; the page says: {page.inner_text('body')[:500]}"
            )
        return page

    return do_login
