"""Cross-scoring in a real browser, cluster 1 in 2025: a member unit's officer starts a sheet and
scores as they type (htmx), a line saved meanwhile by their leader shows who saved what while
the typed value stays, the leader submits; the secretariat reconciles a flagged line and
publishes the ranking. Each page is looked at 1280 and 768 px wide."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from apps.emulation import services
from apps.emulation.models import Score
from apps.emulation.tests.factories import review_period
from apps.emulation.tests.scenarios_scoring import quick_fill, submit_assessment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ThiDua@2026"


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _shots(page, screenshot_dir, name):
    """Look at the page at 1280 and 768 px; the tablet width must not scroll sideways."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(screenshot_dir / f"scoring-{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=str(screenshot_dir / f"scoring-{name}-768.png"), full_page=True)
    assert _no_horizontal_scroll(page), f"{name} scrolls sideways at 768 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _points(scorer, target, criterion):
    """Deterministic, varied scores; Sơn La scores Lào Cai low (a flag to reconcile)."""
    share = Decimal(70 + (scorer.pk * 7 + target.pk * 3 + criterion.pk) % 31) / 100
    if scorer.short_name == "Sơn La" and target.short_name == "Lào Cai":
        share = Decimal("0.2")
    value = criterion.max_points * share
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def test_scoring_reconciliation_and_ranking(demo, live_server, browser_page, login, screenshot_dir):
    page = browser_page
    term = demo.terms[2025]
    units = demo.units
    pact = term.pacts.get()
    period = review_period(term, panel=[units["Phú Thọ"], units["Hà Nội"]])
    for index, membership in enumerate(term.memberships.select_related("unit")):
        submit_assessment(period, membership.unit, pact, good_practices=3 + index % 4)
    cao_bang, ha_noi = units["Cao Bằng"], units["Hà Nội"]
    quick_fill(period, _points, skip=[(cao_bang, ha_noi)])
    base = f"{live_server.url}/review-periods/{period.pk}"

    # A member's officer: the list of sheets, then a new sheet for Hà Nội.
    login(page, "caobang.chuyenvien", PASSWORD)
    page.goto(f"{base}/scoring/")
    row = page.locator(f'#sheet-list tr[data-target="{ha_noi.pk}"]')
    assert "Bắt đầu chấm" in row.inner_text()
    _shots(page, screenshot_dir, "home")
    with page.expect_navigation():
        row.get_by_role("button", name="Bắt đầu chấm").click()
    sheet = cao_bang.score_sheets_given.get(period=period, target=ha_noi)
    lines = list(sheet.scores.order_by("criterion__group__position", "criterion__position"))
    first, second = lines[:2]

    page.fill(f"#points-{first.pk}", "5,5")
    page.wait_for_selector(f'#status-{first.pk} [data-status="saved"]')
    assert page.locator(f"#version-{first.pk}").input_value() == "1"
    first.refresh_from_db()
    assert first.points == Decimal("5.5")

    # The leader saves the second line meanwhile; the officer's late save keeps the typed value.
    services.score_update(
        actor=demo.users["caobang.lanhdao"], score=second, version=0, points=Decimal("4")
    )
    page.fill(f"#points-{second.pk}", "3")
    page.wait_for_selector(f'#status-{second.pk} [data-status="conflict"]')
    status = page.locator(f"#status-{second.pk}").inner_text()
    assert "Hoàng Văn Đức" in status and "4" in status
    assert page.locator(f"#points-{second.pk}").input_value() == "3"
    page.locator(f"#status-{second.pk}").get_by_role("button", name="Lưu đè").click()
    page.wait_for_selector(f'#status-{second.pk} [data-status="saved"]')
    second.refresh_from_db()
    assert second.points == Decimal("3") and second.version == 2

    for line in lines[2:]:
        page.fill(f"#points-{line.pk}", "2")
        page.wait_for_selector(f'#status-{line.pk} [data-status="saved"]')
    assert not Score.objects.filter(sheet=sheet, points__isnull=True).exists()
    _shots(page, screenshot_dir, "sheet")

    # The leader submits.
    page.context.clear_cookies()
    login(page, "caobang.lanhdao", PASSWORD)
    page.goto(f"{live_server.url}/score-sheets/{sheet.pk}/")
    page.get_by_role("button", name="Gửi").first.click()
    with page.expect_navigation():
        page.locator("#confirm-submit button[type=submit]").click()
    assert page.locator("#submitted-note").is_visible()

    # The secretariat: reconciliation of Lào Cai, where Sơn La's scores stand out.
    page.context.clear_cookies()
    login(page, "phutho.chuyenvien", PASSWORD)
    lao_cai = units["Lào Cai"]
    page.goto(f"{base}/reconciliation/?unit={lao_cai.pk}")
    # A line where one scorer's points stand out (Sơn La's), not just self against cross.
    flagged = page.locator('.recon-line:has([data-flagged="1"])').first
    assert flagged.count() and flagged.get_attribute("data-flags") != "0"
    _shots(page, screenshot_dir, "reconciliation")
    flagged.locator("input[name=points]").fill("1")
    flagged.locator("input[name=reason]").fill("")
    flagged.locator("button[type=submit]").click()
    page.wait_for_selector('.recon-line [data-status="error"]')
    line_id = page.locator('.recon-line:has([data-status="error"])').get_attribute("id")
    line = page.locator(f"#{line_id}")
    assert line.locator("input[name=points]").input_value() == "1"
    line.locator("input[name=reason]").fill("Thống nhất tại hội nghị")
    line.locator("button[type=submit]").click()
    page.wait_for_selector(f'#{line_id} [data-status="saved"]')

    # The ranking, one unit explained; then published.
    page.goto(f"{base}/ranking/")
    assert page.locator("#preview-note").is_visible()
    page.locator("#ranking-table tbody.ranking-unit").first.get_by_role(
        "button", name="Giải trình"
    ).click()
    page.wait_for_selector("#ranking-table .collapse.show")
    _shots(page, screenshot_dir, "ranking")
    page.get_by_role("button", name="Công bố xếp hạng").click()
    with page.expect_navigation():
        page.locator("#confirm-publish button[type=submit]").click()
    assert page.locator("#published-note").is_visible()
    period.refresh_from_db()
    assert period.ranking_published
