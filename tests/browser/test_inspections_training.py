"""Inspections and training in a real browser: the keeping unit's officer records an inspection
of an organisation, concludes it, creates an awareness course, adds a non-member (a party member
typed as a non-member is refused, the typed name kept) and records a result; each page is looked
at 1280 and 768 px wide."""

import datetime as dt

import pytest

from apps.accounts.choices import Role
from apps.accounts.tests.factories import PASSWORD, UserFactory
from apps.members import services
from apps.members.choices import OrgKind
from apps.members.tests.factories import member
from apps.organizations.tests.factories import UnitFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _shots(page, screenshot_dir, name):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(screenshot_dir / f"party-{name}-1280.png"), full_page=True)
    assert _no_horizontal_scroll(page), f"{name} scrolls sideways at 1280 px"
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=str(screenshot_dir / f"party-{name}-768.png"), full_page=True)
    assert _no_horizontal_scroll(page), f"{name} scrolls sideways at 768 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_inspection_and_course_pages(live_server, browser_page, login, screenshot_dir):
    page = browser_page
    unit = UnitFactory(short_name="Phú Thọ")
    officer = UserFactory(role=Role.UNIT_OFFICER, unit=unit)
    province = services.org_create(
        actor=None, code="PT", name="Đảng bộ tỉnh Phú Thọ", kind=OrgKind.PROVINCE, managed_by=unit
    )
    cell = services.org_create(
        actor=None,
        code="PT-1",
        name="Chi bộ xã Hùng Lô",
        kind=OrgKind.GRASSROOTS_CELL,
        parent=province,
    )
    member(cell)
    login(page, officer.username, PASSWORD)

    page.goto(f"{live_server.url}/party/orgs/{cell.pk}/inspections/new/")
    page.check("input[name=kind][value=supervision]")
    page.fill("#id_body_name", "Ủy ban Kiểm tra Tỉnh ủy")
    page.fill("#id_topic", "Thực hiện Nghị quyết Đại hội")
    page.fill("#id_started_on", "2025-03-01")
    with page.expect_navigation():
        page.locator("form.form-page [type=submit]").click()
    assert "Thực hiện Nghị quyết Đại hội" in page.inner_text("h1")
    _shots(page, screenshot_dir, "inspection-open")
    page.goto(page.url + "conclude/")
    page.fill("#id_concluded_on", "2025-04-01")
    page.check("input[name=outcome][value=violation]")
    page.fill("#id_conclusion", "Chậm triển khai nghị quyết.")
    page.fill("#id_measure", "Yêu cầu kiểm điểm")
    with page.expect_navigation():
        page.locator("form.form-page [type=submit]").click()
    assert "Yêu cầu kiểm điểm" in page.inner_text("#conclusion")
    _shots(page, screenshot_dir, "inspection-concluded")
    page.goto(f"{live_server.url}/party/orgs/{province.pk}/inspections/")
    assert "Thực hiện Nghị quyết Đại hội" in page.inner_text("#inspections")
    _shots(page, screenshot_dir, "inspections")

    page.goto(f"{live_server.url}/party/orgs/{province.pk}/training/new/")
    page.check("input[name=kind][value=awareness]")
    page.fill("#id_name", "Lớp bồi dưỡng nhận thức về Đảng khóa 1")
    page.fill("#id_started_on", "2025-03-01")
    page.fill("#id_ended_on", "2025-03-05")
    with page.expect_navigation():
        page.locator("form.form-page [type=submit]").click()
    page.fill("#id_n-full_name", "Nguyễn Văn An")
    page.fill("#id_n-birth_date", "1985-04-12")
    page.check("input[name=n-sex][value=male]")
    with page.expect_navigation():
        page.locator("#add-person [type=submit]").click()
    assert page.input_value("#id_n-full_name") == "Nguyễn Văn An"
    assert "Chi bộ xã Hùng Lô" in page.inner_text("#add-person")
    page.fill("#id_n-full_name", "Hoàng Thị Mai")
    page.fill("#id_n-birth_date", "2000-02-03")
    page.check("input[name=n-sex][value=female]")
    with page.expect_navigation():
        page.locator("#add-person [type=submit]").click()
    row = page.locator("#participants tbody tr").first
    row.locator("input[type=date]").fill("2025-03-05")
    row.locator("input[placeholder]").fill("GCN-01")
    with page.expect_navigation():
        row.locator("[type=submit]").first.click()
    assert "GCN-01" in page.inner_text("#participants")
    _shots(page, screenshot_dir, "course")
    page.goto(f"{live_server.url}/party/orgs/{province.pk}/statistics/?on={dt.date(2025, 12, 31)}")
    assert page.inner_text("#training-counts [data-figure=awareness]").split()[-1] == "1"
    _shots(page, screenshot_dir, "statistics")
