"""The country statistics, a cell's classification page with its forms, the badge award form and
an organisation's management menu, in a real browser at 1280 px and 768 px without sideways scroll."""

import datetime as dt

import pytest

from apps.accounts.choices import Role
from apps.accounts.tests.factories import PASSWORD, UserFactory
from apps.members import services
from apps.members.choices import OrgKind
from apps.members.tests.factories import member
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def no_sideways_scroll(page) -> bool:
    """Neither the page nor a table in it scrolls sideways."""
    return page.evaluate(
        """document.documentElement.scrollWidth <= window.innerWidth && [
            ...document.querySelectorAll(".table-responsive")
        ].every((el) => el.scrollWidth <= el.clientWidth + 1)"""
    )


def test_party_org_pages_fit(live_server, browser_page, login, screenshot_dir):
    UserFactory(username="trunguong", role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central"))
    province = services.org_create(
        actor=None, code="PT", name="Đảng bộ tỉnh Phú Thọ", kind=OrgKind.PROVINCE
    )
    cell = services.org_create(
        actor=None,
        code="PT-1",
        name="Chi bộ xã Hùng Lô",
        kind=OrgKind.GRASSROOTS_CELL,
        parent=province,
    )
    member(cell, full_name="Nguyễn Văn An")
    member(
        cell,
        full_name="Hoàng Văn Lâm",
        birth_date=dt.date(1960, 1, 1),
        admitted_on=dt.date(1990, 5, 19),
        cccd="",
    )
    page = login(browser_page, "trunguong", PASSWORD)
    pages = {
        "country": "/party/statistics/?on=2025-12-31",
        "classification": f"/party/orgs/{cell.pk}/classification/?year=2025",
        "badges": f"/party/orgs/{province.pk}/badges/?round_on=2020-05-19",
        "org": f"/party/orgs/{cell.pk}/",
    }
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(live_server.url + url)
            assert no_sideways_scroll(page), f"{name} scrolls sideways at {width} px"
            page.screenshot(path=str(screenshot_dir / f"party-{name}-{width}.png"), full_page=True)
    # The cell's self-assessment through its form on the classification page.
    page.goto(live_server.url + pages["classification"])
    page.fill("#self_assess-score", "80")
    with page.expect_navigation():
        page.click("#step-self_assess button[type=submit]")
    assert page.locator("#org-record [data-state=self_assessed]").count() == 1
    page.screenshot(path=str(screenshot_dir / "party-classification-after.png"), full_page=True)
