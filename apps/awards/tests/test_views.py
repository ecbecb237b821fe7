"""The award pages over real HTTP: generating the cluster's file from the term page, the review
forms (comments per candidate; a refusal without a reason keeps what was typed), the decision
form, documents and certificates as downloads, the history through a merger, rules and
templates."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from apps.awards import services
from apps.awards.choices import ProposalState
from apps.awards.models import AwardRecord, CertificateTemplate, Proposal
from apps.awards.tests.helpers import advance, award
from apps.emulation.demo_year import year_end_records_import
from apps.emulation.tests.assessment_files import pdf_bytes

pytestmark = pytest.mark.django_db

PASSWORD = "ThiDua@2026"


@pytest.fixture
def year(demo):
    year_end_records_import(actor=None, term=demo.terms[2025])
    return demo


def _client(client, username):
    client.login(username=username, password=PASSWORD)
    return client


def _generate(client, demo):
    term = demo.terms[2025]
    response = _client(client, "phutho.chuyenvien").post(f"/terms/{term.pk}/award-proposal/")
    made = Proposal.objects.get(term=term)
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    return made


def test_term_page_offers_the_generation_to_the_secretariat_only(client, year):
    term = year.terms[2025]
    page = _client(client, "phutho.chuyenvien").get(f"/terms/{term.pk}/").content.decode()
    assert "Lập hồ sơ đề nghị khen thưởng từ kết quả suy tôn" in page
    client.logout()
    page = _client(client, "caobang.lanhdao").get(f"/terms/{term.pk}/").content.decode()
    assert "Lập hồ sơ đề nghị khen thưởng từ kết quả suy tôn" not in page
    assert client.post(f"/terms/{term.pk}/award-proposal/").status_code == 403


def test_generated_file_shows_the_verdicts_with_their_sources(client, year):
    made = _generate(client, year)
    page = client.get(made.get_absolute_url()).content.decode()
    assert "dẫn đầu Cụm thi đua số 1 năm 2025: có — xếp hạng 1/9, phiếu suy tôn 8/9" in page
    assert "Nghị định 152/2025/NĐ-CP, hiệu lực từ 01/07/2025" in page
    assert "Ban Tổ chức Tỉnh ủy Phú Thọ" in page
    # Twice: the second attempt lands on the existing file with the reason.
    response = client.post(f"/terms/{year.terms[2025].pk}/award-proposal/", follow=True)
    assert "Đã có hồ sơ đề nghị lập từ cuộc bỏ phiếu này" in response.content.decode()
    assert Proposal.objects.count() == 1


def test_officer_cannot_send_leader_can(client, year):
    made = _generate(client, year)
    assert client.post(f"/awards/proposals/{made.pk}/step/submit/").status_code == 403
    client.logout()
    response = _client(client, "phutho.lanhdao").post(
        f"/awards/proposals/{made.pk}/step/submit/", follow=True
    )
    assert "Đã gửi hồ sơ đề nghị đến Ban Tổ chức Trung ương" in response.content.decode()
    made.refresh_from_db()
    assert made.state == ProposalState.SUBMITTED
    assert client.get(f"/awards/proposals/{made.pk}/edit/").status_code == 200  # page opens…
    response = client.post(f"/awards/proposals/{made.pk}/edit/", {"title": "Khác"})
    assert "chỉ sửa được khi còn là bản nháp" in response.content.decode()  # …but refuses


def test_unknown_step_is_not_found(client, year):
    made = _generate(client, year)
    assert client.post(f"/awards/proposals/{made.pk}/step/decide/").status_code == 404


def test_return_and_pass_forms(client, year):
    made = _generate(client, year)
    made = advance(made, "under_review")
    candidate = made.candidates.get()
    _client(client, "tw.chuyenvien")
    # Returning with nothing said: refused, nothing changes.
    response = client.post(f"/awards/proposals/{made.pk}/return/", {"comment": " "})
    assert response.status_code == 200
    assert "Hãy nêu nội dung cần hoàn thiện" in response.content.decode()
    response = client.post(
        f"/awards/proposals/{made.pk}/return/",
        {"comment": "", f"note_{candidate.pk}": "Bổ sung báo cáo thành tích có xác nhận"},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    candidate.refresh_from_db()
    assert made.state == ProposalState.RETURNED
    assert candidate.review_comment == "Bổ sung báo cáo thành tích có xác nhận"
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Bổ sung báo cáo thành tích có xác nhận" in page
    made = advance(made, "under_review")
    # Not accepted without a reason: the form comes back with what was typed.
    response = client.post(
        f"/awards/proposals/{made.pk}/pass/",
        {f"outcome_{candidate.pk}": "rejected", "comment": "Ý kiến chung đã gõ"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Nêu lý do không chấp thuận" in body
    assert "Ý kiến chung đã gõ" in body
    response = client.post(
        f"/awards/proposals/{made.pk}/pass/", {f"outcome_{candidate.pk}": "accepted"}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.state == ProposalState.PASSED


def test_decision_form_and_certificates(client, year):
    made = advance(_generate(client, year), "passed")
    _client(client, "tw.chuyenvien")
    today = timezone.localdate()
    response = client.post(
        f"/awards/proposals/{made.pk}/decide/",
        {
            "number": "1234-QĐ/BTCTW",
            "signed_on": (today + dt.timedelta(days=2)).isoformat(),
            "issuing_body": "Ban Tổ chức Trung ương",
            "signer": "Lê Minh Hưng",
        },
    )
    assert "không thể ở tương lai" in response.content.decode()
    assert "1234-QĐ/BTCTW" in response.content.decode()  # what was typed stays
    response = client.post(
        f"/awards/proposals/{made.pk}/decide/",
        {
            "number": "1234-QĐ/BTCTW",
            "signed_on": today.isoformat(),
            "issuing_body": "Ban Tổ chức Trung ương",
            "signer": "Lê Minh Hưng",
            "signer_title": "Trưởng ban",
        },
    )
    assert response.status_code == 302
    record = AwardRecord.objects.get(decision__proposal=made)
    assert record.prize_amount == 18_720_000
    page = client.get(made.get_absolute_url()).content.decode()
    assert "18.720.000 đ" in page and "8 × 2.340.000 đ" in page
    assert client.get(f"/awards/records/{record.pk}/certificate/").status_code == 404
    # The signed decision is attached (checked by content: a renamed text file is refused).
    decision = record.decision
    fake = SimpleUploadedFile("quyet-dinh.pdf", b"not a pdf at all")
    response = client.post(
        f"/awards/decisions/{decision.pk}/attachments/", {"file": fake}, follow=True
    )
    assert "quyet-dinh.pdf" in response.content.decode() and not decision.attachments.exists()
    scan = SimpleUploadedFile("Quyết định 1234.pdf", pdf_bytes())
    client.post(f"/awards/decisions/{decision.pk}/attachments/", {"file": scan})
    stored = decision.attachments.get()
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Quyết định 1234.pdf" in page
    download = client.get(f"/awards/decision-attachments/{stored.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.post(f"/awards/proposals/{made.pk}/step/issue/")
    response = client.get(f"/awards/records/{record.pk}/certificate/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    bulk = client.get(f"/awards/proposals/{made.pk}/certificates/")
    assert bulk.status_code == 200 and bulk.content.startswith(b"%PDF")


@pytest.mark.parametrize("kind", ["letter", "minutes", "ballot"])
def test_documents_download_as_word(client, year, kind):
    made = _generate(client, year)
    response = client.get(f"/awards/proposals/{made.pk}/documents/{kind}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".docx" in response["Content-Disposition"]
    assert Document(io.BytesIO(response.content)).paragraphs
    assert client.get(f"/awards/proposals/{made.pk}/documents/other/").status_code == 404


def test_another_units_staff_cannot_read_the_file(client, year):
    made = _generate(client, year)
    client.logout()
    _client(client, "caobang.chuyenvien")
    assert client.get(made.get_absolute_url()).status_code == 403
    assert client.get(f"/awards/proposals/{made.pk}/documents/letter/").status_code == 403
    assert made.title not in client.get("/awards/proposals/").content.decode()


def test_history_of_a_unit_includes_its_predecessors(client, demo):
    phu_tho, vinh_phuc = demo.units["Phú Thọ"], demo.old["Vĩnh Phúc"]
    services.award_record_add(
        actor=None,
        award_type=award("tap-the-lao-dong-xuat-sac"),
        year=2024,
        unit=vinh_phuc,
        source="Sổ khen thưởng 2024",
    )
    page = _client(client, "xem").get(f"/awards/history/?unit={phu_tho.pk}").content.decode()
    assert "Tập thể lao động xuất sắc" in page and "Sổ khen thưởng 2024" in page
    assert "Ban Tổ chức Tỉnh ủy Vĩnh Phúc" in page
    page = client.get("/awards/history/?name=nguyen van an").content.decode()
    assert "Chưa có khen thưởng nào được ghi nhận" in page


def test_rules_page_on_both_sides_of_1_july_2025(client, demo):
    _client(client, "xem")
    before = client.get("/awards/rules/?on=2025-06-30").content.decode()
    after = client.get("/awards/rules/?on=2025-07-01").content.decode()
    assert "98/2023" in before and "Không đang bị xem xét kỷ luật" not in before.split("Tất cả")[0]
    assert "152/2025" in after and "Không đang bị xem xét kỷ luật" in after


def test_template_form_reports_a_bad_layout_and_keeps_it(client, demo):
    _client(client, "tw.chuyenvien")
    template = CertificateTemplate.objects.get(award_type=None)
    bad = '[{"field": "recipient", "x": 400, "y": 10}]'
    response = client.post(
        f"/awards/certificate-templates/{template.pk}/edit/",
        {"name": "Mẫu chung", "landscape": "on", "layout": bad},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "nằm ngoài trang" in body
    assert "&quot;x&quot;: 400" in body
    template.refresh_from_db()
    assert template.layout[0]["field"] == "issuing_body"
    preview = client.get(f"/awards/certificate-templates/{template.pk}/preview/")
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
