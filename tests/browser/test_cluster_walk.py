"""Issue 2's walk: an officer of Phú Thọ signs in, opens cluster 1 and reads its years."""

import re

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ThiDua@2026"


def test_phu_tho_officer_sees_cluster_one_by_year(demo, live_server, browser_page, login):
    page = browser_page
    login(page, "phutho.chuyenvien", PASSWORD)
    page.get_by_role("link", name=re.compile("Cụm thi đua|Clusters")).first.click()
    page.get_by_role("link", name="Cụm thi đua số 1").first.click()
    page.wait_for_selector("#terms")

    row_2025 = page.locator('#terms tr[data-year="2025"]')
    assert row_2025.locator(".member-count").inner_text() == "9"
    assert row_2025.locator(".term-leader").inner_text() == "Phú Thọ"
    row_2026 = page.locator('#terms tr[data-year="2026"]')
    assert row_2026.locator(".term-leader").inner_text() == "Cao Bằng"
    assert "Lào Cai" in row_2026.inner_text() and "Lai Châu" in row_2026.inner_text()
    assert page.locator('#terms tr[data-year="2023"] .member-count').inner_text() == "14"
    page.screenshot(path="var/screenshots/cluster-1.png", full_page=True)

    # The 2025 term page lists its nine members, Phú Thọ first among roles as leader.
    row_2025.get_by_role("link", name="2025").click()
    page.wait_for_selector("#members")
    assert page.locator("#members tbody tr").count() == 9
    leader_row = page.locator("#members tbody tr", has_text="Ban Tổ chức Tỉnh ủy Phú Thọ")
    assert leader_row.locator(".badge").inner_text() in {"Cụm trưởng", "Cluster leader"}


def test_unit_page_shows_lineage_at_tablet_width(demo, live_server, browser_page, login):
    page = browser_page
    page.set_viewport_size({"width": 768, "height": 1024})
    login(page, "phutho.chuyenvien", PASSWORD)
    page.goto(f"{live_server.url}/units/{demo.units['Phú Thọ'].pk}/")
    body = page.locator("main").inner_text()
    for name in ("Vĩnh Phúc", "Hòa Bình"):
        assert name in body
    # No horizontal scrolling of the whole page at tablet width.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path="var/screenshots/unit-phu-tho-768.png", full_page=True)
