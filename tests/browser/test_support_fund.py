"""The support fund in a real browser (cluster 1, 2025): the secretariat records a contribution
typed the Vietnamese way, is refused a disbursement beyond the balance with what it typed kept,
pays out what is there, attaches the transfer slip, records the handover of the house; the ledger
reads at 1280 and 768 px without sideways scrolling, and its Excel file downloads."""

import io

import pytest
from openpyxl import load_workbook

from apps.emulation.tests.assessment_files import pdf_bytes
from apps.funds.models import FundAttachment, FundEntry
from apps.funds.services import fund_balance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ThiDua@2026"


def test_the_secretariat_keeps_the_fund(
    demo, live_server, browser_page, login, screenshot_dir, tmp_path
):
    page = browser_page
    term = demo.terms[2025]
    login(page, "phutho.chuyenvien", PASSWORD)
    page.goto(f"{live_server.url}/terms/{term.pk}/")
    page.get_by_role("link", name="Kinh phí hỗ trợ").click()
    assert page.locator('[data-figure="balance"]').inner_text() == "15.000.000 đ"

    page.get_by_role("link", name="Ghi khoản đóng góp").click()
    page.select_option("#id_unit", label="Ban Tổ chức Tỉnh ủy Lào Cai")
    page.fill("#id_amount", "20.000.000")
    page.fill("#id_occurred_on", "2025-12-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    assert page.locator('[data-figure="balance"]').inner_text() == "35.000.000 đ"

    page.get_by_role("link", name="Ghi khoản chi hỗ trợ").click()
    page.select_option("#id_unit", label="Ban Tổ chức Tỉnh ủy Điện Biên")
    page.fill("#id_amount", "70.000.000")
    page.fill("#id_occurred_on", "2025-12-05")
    page.fill("#id_beneficiary", "Đồng chí Lò Văn Bình")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    assert "Quỹ hiện còn 35.000.000 đ" in page.locator("main").inner_text()
    assert page.input_value("#id_beneficiary") == "Đồng chí Lò Văn Bình"
    page.fill("#id_amount", "35.000.000")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    assert page.locator('[data-figure="balance"]').inner_text() == "0 đ"
    paid = FundEntry.objects.filter(term=term).latest("number")
    assert (paid.amount, paid.beneficiary) == (35_000_000, "Đồng chí Lò Văn Bình")

    row = page.locator(f"#entry-{paid.number}")
    row.locator("summary").click()
    slip = tmp_path / "Giấy báo có.pdf"
    slip.write_bytes(pdf_bytes())
    row.locator("input[type=file]").set_input_files(str(slip))
    with page.expect_navigation():
        row.get_by_role("button", name="Tải lên").click()
    assert FundAttachment.objects.filter(entry=paid).count() == 1
    page.locator(f"#entry-{paid.number}").get_by_role("link", name="Bàn giao").click()
    page.fill("#id_handed_over_on", "2026-02-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    assert "Đã bàn giao nhà ngày 01/02/2026" in page.locator(f"#entry-{paid.number}").inner_text()
    assert fund_balance(term) == 0

    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(screenshot_dir / f"fund-{width}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert scroll <= 0, f"the ledger scrolls sideways at {width} px"

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet.cell(row=sheet.max_row, column=8).value == 0
