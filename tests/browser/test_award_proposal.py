"""The 2025 award proposal in a real browser, from the vote to the printed certificate: cluster 1's
secretariat generates the file from the acclamation vote (Phú Thọ 8/9) and completes it, its
leader sends it, a central officer returns it with a comment, it is sent again, passed, decided,
the certificates are issued and one is downloaded as PDF; pages at 1280 and 768 px."""

import pytest
from django.utils import timezone

from apps.awards.models import AwardRecord, Proposal
from apps.emulation.demo_year import year_end_records_import

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "ThiDua@2026"


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _as(page, login, username, url):
    page.context.clear_cookies()
    login(page, username, PASSWORD)
    page.goto(url)


def _click(page, role, name):
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def test_proposal_from_the_vote_to_the_certificate(
    demo, live_server, browser_page, login, screenshot_dir, tmp_path
):
    page = browser_page
    term = demo.terms[2025]
    year_end_records_import(actor=None, term=term)

    # The secretariat generates the file from the vote and completes the minutes.
    _as(page, login, "phutho.chuyenvien", f"{live_server.url}/terms/{term.pk}/")
    _click(page, "button", "Lập hồ sơ đề nghị khen thưởng từ kết quả suy tôn")
    proposal = Proposal.objects.get(term=term)
    assert page.url.endswith(proposal.get_absolute_url())
    verdicts = page.locator(".verdicts").inner_text()
    assert "dẫn đầu Cụm thi đua số 1 năm 2025: có — xếp hạng 1/9, phiếu suy tôn 8/9" in verdicts
    with page.expect_navigation():
        page.locator(f'a[href="{proposal.get_absolute_url()}edit/"]').click()
    page.fill("#id_number", "45-TTr/CTĐ1")
    page.fill("#id_chair", "Nguyễn Văn Minh")
    page.fill("#id_secretary", "Lê Thị Lan")
    page.fill("#id_signer", "Nguyễn Văn Minh")
    _click(page, "button", "Lưu")
    assert "Đã lưu hồ sơ đề nghị" in page.locator("main").inner_text()
    # The officer cannot send; the page says there is nothing for them to do.
    assert page.get_by_role("button", name="Gửi đến Ban TCTW").count() == 0

    # The leader sends it.
    detail = f"{live_server.url}{proposal.get_absolute_url()}"
    _as(page, login, "phutho.lanhdao", detail)
    _click(page, "button", "Gửi đến Ban TCTW")
    assert "Đã gửi hồ sơ đề nghị đến Ban Tổ chức Trung ương" in page.locator("main").inner_text()

    # A central officer finds it in the inbox, receives it and returns it with a comment.
    _as(page, login, "tw.chuyenvien", f"{live_server.url}/awards/proposals/")
    _click(page, "link", proposal.title)
    _click(page, "button", "Xác nhận đã tiếp nhận")
    _click(page, "button", "Bắt đầu thẩm định")
    _click(page, "link", "Trả lại kèm ý kiến")
    candidate = proposal.candidates.get()
    page.fill(f"#id_note_{candidate.pk}", "Bổ sung báo cáo thành tích có xác nhận của cấp ủy")
    _click(page, "button", "Trả lại hồ sơ")
    assert page.locator('[data-state="returned"]').count() == 1

    # Back at Phú Thọ: the comment is there; the leader sends the file again.
    _as(page, login, "phutho.lanhdao", detail)
    assert (
        "Bổ sung báo cáo thành tích có xác nhận của cấp ủy"
        in page.locator(f"#candidate-{candidate.pk}").inner_text()
    )
    _click(page, "button", "Gửi đến Ban TCTW")

    # The central officer passes it, records the decision and issues the certificates.
    _as(page, login, "tw.chuyenvien", detail)
    _click(page, "button", "Xác nhận đã tiếp nhận")
    _click(page, "button", "Bắt đầu thẩm định")
    _click(page, "link", "Kết thúc thẩm định")
    _click(page, "button", "Ghi nhận kết quả thẩm định")
    _click(page, "link", "Ghi nhận quyết định")
    page.fill("#id_number", "1234-QĐ/BTCTW")
    page.fill("#id_signed_on", timezone.localdate().isoformat())
    page.fill("#id_signer", "Lê Minh Hưng")
    page.fill("#id_signer_title", "Trưởng ban")
    _click(page, "button", "Lưu")
    assert "18.720.000 đ" in page.locator("#records").inner_text()
    _click(page, "button", "Cấp bằng, giấy khen")
    assert page.locator('[data-state="issued"]').count() == 1

    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 1000})
        page.reload()
        page.screenshot(path=str(screenshot_dir / f"award-proposal-{width}.png"), full_page=True)
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
        )
        assert _no_horizontal_scroll(page), (width, wide)
        page.screenshot(path=str(screenshot_dir / f"award-proposal-{width}.png"), full_page=True)

    record = AwardRecord.objects.get(decision__proposal=proposal)
    with page.expect_download() as download:
        page.locator("#records").get_by_role("link", name=record.certificate_number).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".pdf" and saved.read_bytes().startswith(b"%PDF")

    steps = list(proposal.events.values_list("action", flat=True))
    assert steps == [
        "submit",
        "receive",
        "review",
        "return",
        "submit",
        "receive",
        "review",
        "pass",
        "decide",
        "issue",
    ]
