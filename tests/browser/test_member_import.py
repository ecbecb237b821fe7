"""The member import in a real browser, with a real task queue and worker: Phú Thọ's officer
uploads a file with two bad lines and sees both reported, fixes the file, uploads it again and
watches the check's progress bar while the worker runs, confirms, sees the members imported, and
opens the province's statistics; pages at 1280 and 768 px."""

import io
import threading

import pytest
from django.db import connection
from openpyxl import Workbook

from apps.members.imports import COLUMNS
from apps.members.models import Member, MemberImport, PartyOrganization

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ThiDua@2026"

LINES = [
    ["Hoàng Văn Nam", "Nam", "14/03/1988", "025088123456", "Kinh", "", "03/02/2015", "03/02/2016"]
    + ["", "", "PT-001"],
    ["Đỗ Thị Hoa", "Nữ", "21/07/1995", "025195654321", "Mường", "", "19/05/2021", ""]
    + ["", "", "PT-002"],
    ["Bùi Văn Quang", "Nam", "02/09/1979", "", "Kinh", "", "07/11/2003", "07/11/2004"]
    + ["", "", "PT-001"],
]


def _workbook(lines) -> bytes:
    book = Workbook()
    book.active.append([h for h, _f in COLUMNS])
    for line in lines:
        book.active.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _run_worker():
    """What `manage.py db_worker --batch` does: run the queued tasks, then stop."""
    from django_tasks_db.management.commands.db_worker import Worker

    def run():
        try:
            Worker(
                queue_names=["default"],
                interval=0.1,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="browser-test",
                excluded_queue_names=[],
            ).run()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_import_with_bad_lines_then_fixed_with_progress(
    demo, live_server, browser_page, login, screenshot_dir, tmp_path, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page = browser_page
    login(page, "phutho.chuyenvien", PASSWORD)
    page.goto(f"{live_server.url}/party/import/")
    before = Member.objects.count()

    # Two bad lines: a citizen ID that says male for a woman, and an unknown cell.
    bad = [list(line) for line in LINES]
    bad[1][3] = "025095654321"
    bad[2][10] = "PT-099"
    path = tmp_path / "dang-vien.xlsx"
    path.write_bytes(_workbook(bad))
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và kiểm tra").click()
    # The check waits for the worker: the page shows the bar and polls.
    assert page.locator("#progress").is_visible()
    assert "Đang chờ kiểm tra" in page.locator("#import-status").inner_text()
    _run_worker().join(timeout=60)
    page.wait_for_selector("#errors")
    errors = page.locator("#errors tbody tr").all_inner_texts()
    assert len(errors) == 2
    assert errors[0].split("\t")[0] == "3" and "giới tính nam" in errors[0]
    assert errors[1].split("\t")[0] == "4" and "PT-099" in errors[1]
    assert "Không nhập dòng nào: 2 lỗi trong tệp 3 dòng" in page.locator("#result").inner_text()
    assert Member.objects.count() == before
    page.screenshot(path=str(screenshot_dir / "member-import-errors.png"), full_page=True)

    # Fixed: checked with the progress bar, confirmed, written in one go.
    path.write_bytes(_workbook(LINES))
    page.goto(f"{live_server.url}/party/import/")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và kiểm tra").click()
    bar = page.locator("#progress")
    assert bar.is_visible() and bar.get_attribute("aria-valuenow") == "0"
    page.screenshot(path=str(screenshot_dir / "member-import-progress.png"), full_page=True)
    _run_worker().join(timeout=60)
    page.wait_for_selector("#confirm")
    assert "Tệp có 3 dòng, tất cả đều hợp lệ" in page.locator("#result").inner_text()
    assert Member.objects.count() == before
    with page.expect_navigation():
        page.locator("#confirm").click()
    assert page.locator("#progress").is_visible()
    assert "Đang ghi 3 đảng viên" in page.locator("#import-status").inner_text()
    _run_worker().join(timeout=60)
    page.wait_for_selector("#result.alert-success")
    assert "Đã nhập 3 đảng viên" in page.locator("#result").inner_text()
    assert Member.objects.count() == before + 3
    record = MemberImport.objects.latest("id")
    assert record.state == "imported" and record.confirmed_by.username == "phutho.chuyenvien"
    assert _no_horizontal_scroll(page)

    # The province's statistics count them.
    province = PartyOrganization.objects.get(code="PT")
    page.goto(f"{live_server.url}/party/orgs/{province.pk}/statistics/")
    text = page.locator("main").inner_text()
    assert str(before + 3) in text
    page.screenshot(path=str(screenshot_dir / "member-statistics-1280.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1000})
    page.reload()
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "member-statistics-768.png"), full_page=True)
