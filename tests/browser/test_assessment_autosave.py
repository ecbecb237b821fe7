"""The self-assessment page in a real browser: lines save as the officer types (htmx), the running
total follows, a refused value says why, a stale line shows who saved what while the typed text
stays, evidence uploads, the leader submits; at 1280 and 768 px."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.emulation import services
from apps.emulation.choices import CriterionKind
from apps.emulation.models import AssessmentItem
from apps.emulation.tests.assessment_files import pdf_bytes
from apps.emulation.tests.factories import review_period

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ThiDua@2026"


def _type(page, selector, text):
    """Type like a person (key by key), so the keyup triggers fire."""
    page.fill(selector, "")
    page.locator(selector).press_sequentially(text, delay=30)


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_officer_fills_lines_and_leader_submits(
    demo, live_server, browser_page, login, screenshot_dir, tmp_path
):
    page = browser_page
    term = demo.terms[2025]
    cao_bang = demo.units["Cao Bằng"]
    today = timezone.localdate()
    period = review_period(term, deadline=today + dt.timedelta(days=12))
    url = f"{live_server.url}/review-periods/{period.pk}/units/{cao_bang.pk}/assessment/"

    login(page, "caobang.chuyenvien", PASSWORD)
    page.goto(url)
    assessment = cao_bang.assessments.get(period=period)
    first, second = list(
        assessment.items.filter(criterion__kind=CriterionKind.CRITERION).order_by(
            "criterion__group__position", "criterion__position"
        )[:2]
    )

    # Type points: saved after a pause, the version and the total follow.
    _type(page, f"#points-{first.pk}", "7,5")
    page.wait_for_selector(f'#status-{first.pk} [data-status="saved"]')
    assert page.locator("#total-claim").inner_text() == "7,5"
    page.locator(f"#explanation-{first.pk}").press_sequentially("Đã tham mưu 2 đề án", delay=20)
    page.wait_for_function(
        f"document.getElementById('version-{first.pk}').value === '2'", timeout=15_000
    )
    first.refresh_from_db()
    assert (first.points, first.explanation) == (Decimal("7.5"), "Đã tham mưu 2 đề án")

    # Too many points: refused with the reason, nothing saved.
    _type(page, f"#points-{second.pk}", "99")
    page.wait_for_selector(f'#status-{second.pk} [data-status="error"]')
    assert "Tối đa" in page.locator(f"#status-{second.pk}").inner_text()
    second.refresh_from_db()
    assert second.points is None

    # Someone else saves the first line meanwhile: the next keystrokes meet a conflict.
    services.assessment_item_update(
        actor=demo.users["caobang.lanhdao"], item=first, version=2, points=Decimal("6")
    )
    _type(page, f"#points-{first.pk}", "8")
    conflict = page.locator(f'#status-{first.pk} [data-status="conflict"]')
    conflict.wait_for()
    assert "Hoàng Văn Đức đã lưu dòng này" in conflict.inner_text()
    assert page.input_value(f"#points-{first.pk}") == "8"  # the typed text stays
    first.refresh_from_db()
    assert first.points == Decimal("6")
    conflict.get_by_role("button", name="Lưu đè bằng nội dung của tôi").click()
    # The overwrite's answer carries the next version: wait for it, not for any "saved" mark
    # (a mark from an earlier save can still be on the page while the answer is on its way).
    page.wait_for_function(
        f"document.getElementById('version-{first.pk}').value === '{first.version + 1}'",
        timeout=15_000,
    )
    page.wait_for_selector(f'#status-{first.pk} [data-status="saved"]')
    first.refresh_from_db()
    assert first.points == Decimal("8")
    # Once more, and this time take the other person's value: the line is reloaded.
    services.assessment_item_update(
        actor=demo.users["caobang.lanhdao"], item=first, version=first.version, points=5
    )
    _type(page, f"#points-{first.pk}", "7")
    conflict.wait_for()
    conflict.get_by_role("button", name="Dùng giá trị đã lưu").click()
    page.wait_for_function(
        f"document.getElementById('points-{first.pk}').value === '5'", timeout=15_000
    )
    first.refresh_from_db()
    assert page.input_value(f"#version-{first.pk}") == str(first.version)
    # The reloaded line is new HTML: type only once htmx has wired its triggers (a busy machine
    # showed the value before that, and the keystrokes went unheard).
    page.wait_for_function(
        f"(document.getElementById('points-{first.pk}')['htmx-internal-data'] || {{}}).initHash",
        timeout=15_000,
    )
    _type(page, f"#points-{first.pk}", "8")
    page.wait_for_selector(f'#status-{first.pk} [data-status="saved"]')

    # Evidence: a PDF attached to the first line.
    pdf = tmp_path / "Báo cáo kết quả.pdf"
    pdf.write_bytes(pdf_bytes())
    page.set_input_files(f"#file-{first.pk}", str(pdf))
    page.locator(f"#evidence-{first.pk} button[type=submit]").last.click()
    page.wait_for_selector(f"#evidence-{first.pk} a:has-text('Báo cáo kết quả.pdf')")
    page.fill("#id_value_good_practices", "6")
    page.get_by_role("button", name="Lưu chỉ tiêu").click()
    page.wait_for_selector("#indicators .alert-success")

    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "assessment-1280.png"), full_page=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_dir / "assessment-1280-top.png"))
    page.locator("#indicators").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "assessment-1280-indicators.png"))
    page.set_viewport_size({"width": 768, "height": 1024})
    page.reload()
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "assessment-768.png"), full_page=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_dir / "assessment-768-top.png"))
    page.locator(f"#line-{first.pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "assessment-768-line.png"))

    # The leader submits once every criterion has points (the rest filled here).
    for item in AssessmentItem.objects.filter(
        assessment=assessment, criterion__kind=CriterionKind.CRITERION, points=None
    ):
        services.assessment_item_update(actor=None, item=item, version=item.version, points=1)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()
    login(page, "caobang.lanhdao", PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Gửi").first.click()
    page.locator("#confirm-submit").get_by_role("button", name="Xác nhận").click()
    page.wait_for_selector("#submitted-note")
    assert re.search(r"Đã gửi lúc .* Hoàng Văn Đức", page.locator("#submitted-note").inner_text())
    assert page.locator(f"#points-{first.pk}").inner_text().startswith("8")
    assert page.locator("textarea").count() == 0
    page.locator(f"#line-{first.pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "assessment-submitted-1280.png"))
