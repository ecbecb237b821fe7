"""The fund pages through the HTTP client: the ledger, recording with Vietnamese amounts, a
rejected form keeping what was typed, reversal and handover pages, attachments, the Excel file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.emulation.tests.assessment_files import pdf_bytes
from apps.funds.choices import EntryKind
from apps.funds.forms import parse_money
from apps.funds.models import FundAttachment, FundEntry
from apps.funds.services import fund_balance

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("70.000.000", 70_000_000),
        ("70000000", 70_000_000),
        ("70 000 000 đ", 70_000_000),
        ("1.000", 1000),
        ("5 đồng", 5),
        ("", None),
    ],
)
def test_amounts_are_read_the_vietnamese_way(typed, value):
    assert parse_money(typed) == value


@pytest.mark.parametrize("typed", ["70.000.000,5", "7.00", "70,5", "bảy mươi", "1.0000", "-5"])
def test_amounts_that_are_not_whole_dong_are_refused(typed):
    from django import forms

    with pytest.raises(forms.ValidationError):
        parse_money(typed)


def test_the_ledger_page_shows_the_2023_support_money(client, demo):
    client.force_login(demo.users["xem"])
    page = client.get(reverse("funds:ledger", args=[demo.terms[2023].pk]))
    assert page.status_code == 200
    text = _text(page)
    assert "70.000.000 đ" in text and "Vĩnh Phúc" in text
    assert 'data-figure="disbursed">350.000.000 đ' in text
    assert "Ghi khoản chi hỗ trợ" not in text  # a viewer does not record


def test_the_secretariat_records_a_contribution_typed_with_dots(client, demo):
    term = demo.terms[2025]
    client.force_login(demo.users["phutho.chuyenvien"])
    url = reverse("funds:contribution_create", args=[term.pk])
    response = client.post(
        url,
        {
            "unit": demo.units["Lào Cai"].pk,
            "amount": "12.500.000",
            "occurred_on": "2025-12-01",
            "purpose": "Đóng góp bổ sung",
        },
        follow=True,
    )
    entry = FundEntry.objects.filter(term=term).latest("number")
    assert (entry.amount, entry.kind, entry.unit) == (
        12_500_000,
        EntryKind.CONTRIBUTION,
        demo.units["Lào Cai"],
    )
    assert f"Bút toán số {entry.number}: đã ghi khoản đóng góp 12.500.000 đ." in _text(response)


def test_an_overdraw_keeps_what_was_typed_and_says_how_much_is_left(client, demo):
    term = demo.terms[2025]
    balance = fund_balance(term)
    client.force_login(demo.users["phutho.lanhdao"])
    count = FundEntry.objects.count()
    response = client.post(
        reverse("funds:disbursement_create", args=[term.pk]),
        {
            "unit": demo.units["Điện Biên"].pk,
            "amount": "999.000.000",
            "occurred_on": "2025-12-05",
            "purpose": "Hỗ trợ xây nhà",
            "beneficiary": "Đồng chí Lò Văn Bình",
        },
    )
    assert response.status_code == 200
    text = _text(response)
    assert "999.000.000" in text and "Đồng chí Lò Văn Bình" in text
    assert f"Quỹ hiện còn {balance:,} đ".replace(",", ".") in text
    assert FundEntry.objects.count() == count


def test_reverse_then_handover_pages(client, demo):
    term = demo.terms[2025]
    paid = FundEntry.objects.filter(term=term, kind=EntryKind.DISBURSEMENT).first()
    client.force_login(demo.users["phutho.chuyenvien"])
    url = reverse("funds:entry_handover", args=[paid.pk])
    client.post(url, {"handed_over_on": "2026-03-01", "note": "Bàn giao nhà"}, follow=True)
    paid.refresh_from_db()
    assert str(paid.handed_over_on) == "2026-03-01"
    again = client.post(url, {"handed_over_on": "2026-03-02"})
    assert "đã được ghi" in _text(again)

    other = FundEntry.objects.filter(term=term, kind=EntryKind.DISBURSEMENT).last()
    page = client.get(reverse("funds:entry_reverse", args=[other.pk]))
    assert "70.000.000 đ" in _text(page)
    empty = client.post(reverse("funds:entry_reverse", args=[other.pk]), {"reason": ""})
    assert empty.status_code == 200 and not FundEntry.objects.filter(reverses=other).exists()
    client.post(reverse("funds:entry_reverse", args=[other.pk]), {"reason": "Chuyển nhầm"})
    assert FundEntry.objects.get(reverses=other).reason == "Chuyển nhầm"
    ledger = _text(client.get(reverse("funds:ledger", args=[term.pk])))
    assert "đã hủy bởi bút toán số" in ledger


def test_attachments_upload_and_download_for_readers(client, demo):
    term = demo.terms[2025]
    entry = FundEntry.objects.filter(term=term).first()
    client.force_login(demo.users["phutho.chuyenvien"])
    upload = SimpleUploadedFile("Phiếu thu.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        reverse("funds:attachment_upload", args=[entry.pk]),
        {"kind": "receipt", "file": upload},
        follow=True,
    )
    assert "Đã đính kèm “Phiếu thu.pdf”" in _text(response)
    bad = SimpleUploadedFile("anh.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(
        reverse("funds:attachment_upload", args=[entry.pk]),
        {"kind": "photo", "file": bad},
        follow=True,
    )
    assert FundAttachment.objects.filter(entry=entry).count() == 1
    attachment = FundAttachment.objects.get(entry=entry)
    client.force_login(demo.users["xem"])
    download = client.get(reverse("funds:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()
    assert "Phi%E1%BA%BFu%20thu.pdf" in download["Content-Disposition"]


def test_the_excel_ledger_adds_up(client, demo):
    term = demo.terms[2023]
    client.force_login(demo.users["caobang.chuyenvien"])
    response = client.get(reverse("funds:ledger_export", args=[term.pk]))
    assert response["Content-Disposition"].endswith('so-quy-ho-tro-cum-1-2023.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "Cụm thi đua số 1 năm 2023" in sheet["A1"].value
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    entries, total = rows[:-1], rows[-1]
    assert sum(r[5] or 0 for r in entries) == total[5]
    assert sum(r[6] or 0 for r in entries) == total[6] == 350_000_000
    assert entries[-1][7] == total[7] == total[5] - total[6]
    assert any(r[3] == "Ban Tổ chức Tỉnh ủy Vĩnh Phúc" for r in entries)
