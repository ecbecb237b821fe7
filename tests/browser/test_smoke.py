"""The login page loads in a real browser, with its form and its own (local) stylesheets."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_login_page_has_form_and_styles(live_server, browser_page, screenshot_dir):
    page = browser_page
    stylesheets = []
    page.on(
        "response",
        lambda response: (
            stylesheets.append(response) if response.request.resource_type == "stylesheet" else None
        ),
    )
    response = page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("load")

    assert response is not None and response.status == 200
    assert page.locator("#id_username").is_visible()
    assert page.locator("#id_password").is_visible()
    assert page.locator('form:has(#id_username) [type="submit"]').count() == 1

    assert stylesheets, "the login page loaded no stylesheet"
    for sheet in stylesheets:
        assert sheet.status == 200, f"{sheet.url} answered {sheet.status}"
        assert sheet.url.startswith(live_server.url), f"{sheet.url} is not served by the app"
    # Parsed as CSS, not just fetched (a wrong MIME type or an HTML error page gives no rules).
    rules = page.evaluate(
        "Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0)"
    )
    assert rules > 0, "the stylesheets hold no CSS rules"

    page.screenshot(path=str(screenshot_dir / "login.png"), full_page=True)
