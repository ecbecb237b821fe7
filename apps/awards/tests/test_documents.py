"""The proposal's Word documents and the certificate PDF for the demo's 2025 vote (Phú Thọ 8/9):
opened and read back (text, Party header, A4, Times New Roman), then rendered to PDF and PNG with
LibreOffice and poppler so the pages can be looked at (``var/screenshots/documents/``).

Rendering needs ``soffice`` and ``pdftoppm``; without them those tests are skipped with the
reason, unless THIDUA_REQUIRE_OFFICE=1 (CI), which makes them fail."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document

from apps.awards import certificates, documents, services
from apps.awards.models import AwardRecord
from apps.awards.tests.helpers import advance
from apps.emulation.demo_year import year_end_records_import

pytestmark = pytest.mark.django_db

REQUIRE_OFFICE = os.environ.get("THIDUA_REQUIRE_OFFICE", "").strip().lower() in {"1", "true"}
OUT = Path(settings.BASE_DIR) / "var" / "screenshots" / "documents"


@pytest.fixture
def office():
    missing = [tool for tool in ("soffice", "pdftoppm", "pdftotext") if not shutil.which(tool)]
    if missing:
        reason = f"{', '.join(missing)} not installed (apt-get install libreoffice-writer-nogui poppler-utils)"
        if REQUIRE_OFFICE:
            pytest.fail(f"THIDUA_REQUIRE_OFFICE=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    OUT.mkdir(parents=True, exist_ok=True)
    return OUT


@pytest.fixture
def file_2025(demo):
    term = demo.terms[2025]
    year_end_records_import(actor=None, term=term)
    made = services.proposal_from_term(actor=demo.users["phutho.lanhdao"], term=term)
    return services.proposal_update(
        actor=None,
        proposal=made,
        number="45-TTr/CTĐ1",
        chair="Nguyễn Văn Minh",
        secretary="Lê Thị Lan",
        signer="Nguyễn Văn Minh",
    )


def _text(docx_bytes: bytes) -> str:
    doc = Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def _a4_times(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 14


def test_letter(file_2025):
    content = documents.letter_docx(file_2025)
    _a4_times(content)
    text = _text(content)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BAN TỔ CHỨC TỈNH ỦY PHÚ THỌ",
        "CỤM THI ĐUA SỐ 1",
        "Số 45-TTr/CTĐ1",
        "TỜ TRÌNH",
        "Kính gửi: ",
        "Ban Tổ chức Trung ương",
        "Cờ thi đua của Ban Tổ chức Trung ương",
        "ngày 05 tháng 12 năm 2025",
        "8/9",
        "Nguyễn Văn Minh",
    ):
        assert expected in text, expected
    assert "Phú Thọ, ngày" in text  # place and date: not submitted yet, the day is left blank


def test_minutes(file_2025):
    content = documents.minutes_docx(file_2025)
    _a4_times(content)
    text = _text(content)
    assert "BIÊN BẢN" in text
    assert "Hôm nay, ngày 05 tháng 12 năm 2025" in text
    assert "Đại diện 9 đơn vị thành viên" in text
    doc = Document(io.BytesIO(content))
    ranking = next(t for t in doc.tables if t.rows[0].cells[0].text == "Xếp hạng")
    rows = [[c.text for c in r.cells] for r in ranking.rows[1:]]
    assert len(rows) == 9
    assert rows[0][:2] == ["1", "Ban Tổ chức Tỉnh ủy Phú Thọ"]
    assert (
        "Ban Tổ chức Tỉnh ủy Phú Thọ: đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương (đạt 8/9 phiếu, 88,89%)"
        in text
    )
    assert "THƯ KÝ" in text and "Lê Thị Lan" in text


def test_ballot_result(file_2025):
    content = documents.ballot_result_docx(file_2025)
    _a4_times(content)
    text = _text(content)
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Số cử tri: 9; số phiếu thu vào: 9 (9/9)" in text
    doc = Document(io.BytesIO(content))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "TT")
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["Ban Tổ chức Tỉnh ủy Phú Thọ"][2:] == ["8/9", "88,89%", "Được suy tôn"]
    assert sum(int(r[2].split("/")[0]) for r in rows.values()) == 9
    assert "mã biên nhận" in text


def test_no_ballot_document_without_a_vote_in_the_system(demo):
    from apps.awards.tests.helpers import central_unit, proposal

    made = proposal(demo.units["Cao Bằng"], central_unit())
    assert documents.ballot_result_docx(made) is None
    assert "BIÊN BẢN" in _text(documents.minutes_docx(made))


def _render_docx(content: bytes, name: str, out: Path) -> tuple[str, list[Path]]:
    source = out / f"{name}.docx"
    source.write_bytes(content)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return _render_pdf(out / f"{name}.pdf", name, out)


def _render_pdf(pdf: Path, name: str, out: Path) -> tuple[str, list[Path]]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(pdf), str(out / name)], check=True, timeout=120
    )
    pages = sorted(out.glob(f"{name}-*.png"))
    return text, pages


def _page_size(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return next(line for line in info.splitlines() if line.startswith("Page size"))


def test_documents_render_to_pdf_and_png(file_2025, office):
    for name, content, expected in (
        ("to-trinh", documents.letter_docx(file_2025), "TỜ TRÌNH"),
        ("bien-ban-binh-xet", documents.minutes_docx(file_2025), "BIÊN BẢN"),
        ("bien-ban-kiem-phieu", documents.ballot_result_docx(file_2025), "BIÊN BẢN KIỂM PHIẾU"),
    ):
        text, pages = _render_docx(content, name, office)
        assert expected in text
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
        assert "Ban Tổ chức Tỉnh ủy Phú Thọ" in text
        assert pages and all(p.stat().st_size > 10_000 for p in pages)
        assert "595" in _page_size(office / f"{name}.pdf")  # A4: 595 × 842 pt


def test_certificate_pdf(file_2025, office):
    made = advance(file_2025, "issued", number="1234-QĐ/BTCTW")
    record = AwardRecord.objects.get(decision__proposal=made)
    text = certificates.CertificateText.of(record)
    assert text.recipient == "Ban Tổ chức Tỉnh ủy Phú Thọ"
    assert text.award_name == "Cờ thi đua"
    assert text.reason == "Đã có thành tích xuất sắc, dẫn đầu Cụm thi đua số 1 năm 2025"
    content = certificates.certificate_pdf(certificates.template_for(record), [text])
    assert content.startswith(b"%PDF")
    # The same record gives the same bytes (no timestamp inside).
    assert content == certificates.certificate_pdf(certificates.template_for(record), [text])
    pdf = office / "giay-chung-nhan.pdf"
    pdf.write_bytes(content)
    rendered, pages = _render_pdf(pdf, "giay-chung-nhan", office)
    for expected in (
        "CỜ THI ĐUA",
        "Ban Tổ chức Tỉnh ủy Phú Thọ",
        "dẫn đầu Cụm thi đua số 1 năm 2025",
        "Quyết định số 1234-QĐ/BTCTW",
        "Số: 1234-QĐ/BTCTW/01",
        "LÊ MINH HƯNG".title(),
    ):
        assert expected in rendered, expected
    assert _page_size(pdf).split(":")[1].split("x")[0].strip().startswith("841")  # A4 landscape
    assert len(pages) == 1 and pages[0].stat().st_size > 10_000
