"""Certificates as PDF, drawn onto a configurable template (``CertificateTemplate``): the page,
an optional background (the printed form, scanned) and where each field goes, in millimetres.

Drawn with ReportLab and the bundled Liberation Serif (metric-compatible with Times New Roman,
SIL Open Font License), so the server needs neither LibreOffice nor system fonts."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from apps.awards.choices import AwardCategory
from apps.awards.models import AwardRecord, CertificateTemplate
from apps.core.formats import vn_date, vn_date_long

FONT_DIR = Path(__file__).resolve().parent.parent / "reports" / "fonts"
FONTS = {
    "regular": ("Serif", "LiberationSerif-Regular.ttf"),
    "bold": ("Serif-Bold", "LiberationSerif-Bold.ttf"),
    "italic": ("Serif-Italic", "LiberationSerif-Italic.ttf"),
    "bolditalic": ("Serif-BoldItalic", "LiberationSerif-BoldItalic.ttf"),
}

__all__ = ["CertificateText", "certificate_filename", "certificate_pdf", "template_for"]


def _register_fonts() -> None:
    for name, file in FONTS.values():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))


@dataclass(frozen=True)
class CertificateText:
    """What a certificate says, field by field (the layout's ``field`` names)."""

    issuing_body: str
    award_name: str
    intro: str
    recipient: str
    reason: str
    decision: str
    certificate_number: str
    place_date: str
    signer_title: str
    signer: str
    party: str = "ĐẢNG CỘNG SẢN VIỆT NAM"

    @classmethod
    def of(cls, record: AwardRecord) -> CertificateText:
        award = record.award_type
        heading = award.name.split(" của ")[0].split(" (")[0]
        is_title = award.category == AwardCategory.TITLE and not heading.startswith("Cờ")
        decision = record.decision
        place = "Hà Nội"
        proposal = decision.proposal if decision and decision.proposal_id else None
        if proposal is not None and proposal.receiver.province_id:
            place = proposal.receiver.province.name
        reason = f"Đã có thành tích xuất sắc trong phong trào thi đua năm {record.year}"
        if proposal is not None and proposal.term_id and record.unit_id:
            reason = (
                f"Đã có thành tích xuất sắc, dẫn đầu {proposal.term.cluster.name} năm {record.year}"
            )
        number = record.decision_number
        on = record.decision_date
        return cls(
            issuing_body=record.issuing_body or (decision.issuing_body if decision else ""),
            award_name="Giấy chứng nhận" if is_title else heading,
            intro=f"Danh hiệu “{award.name}”" if is_title else "Tặng",
            recipient=record.name,
            reason=reason,
            decision=f"Quyết định số {number} ngày {vn_date(on)}" if number else "",
            certificate_number=f"Số: {record.certificate_number}"
            if record.certificate_number
            else "",
            place_date=f"{place}, {vn_date_long(on or timezone.localdate())}",
            signer_title=(decision.signer_title if decision else "") or "",
            signer=decision.signer if decision else "",
        )


def template_for(record: AwardRecord) -> CertificateTemplate | None:
    return (
        CertificateTemplate.objects.filter(award_type=record.award_type).first()
        or CertificateTemplate.objects.filter(award_type__isnull=True).order_by("id").first()
    )


def certificate_filename(record: AwardRecord) -> str:
    return f"giay-khen-{record.year}-{record.pk}.pdf"


def certificate_pdf(template: CertificateTemplate, texts: list[CertificateText]) -> bytes:
    """One page per certificate, drawn onto ``template``."""
    _register_fonts()
    size = landscape(A4) if template.landscape else A4
    width, height = size
    buffer = io.BytesIO()
    # invariant=1: no creation date or random id, so the same input gives the same bytes.
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=1)
    pdf.setTitle("Giấy chứng nhận khen thưởng")
    pdf.setAuthor(texts[0].issuing_body if texts else "")
    background = None
    if template.background:
        with template.background.open("rb") as handle:
            background = ImageReader(io.BytesIO(handle.read()))
    for text in texts:
        if background is not None:
            pdf.drawImage(background, 0, 0, width=width, height=height)
        if template.draw_border:
            _border(pdf, width, height)
        for item in template.layout:
            value = getattr(text, item["field"], "")
            if not value:
                continue
            if item.get("upper"):
                value = value.upper()
            _draw(pdf, value, item, height)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _border(pdf, width: float, height: float) -> None:
    red = HexColor("#b00000")
    gold = HexColor("#c8a000")
    pdf.setStrokeColor(red)
    pdf.setLineWidth(3)
    pdf.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    pdf.setStrokeColor(gold)
    pdf.setLineWidth(1)
    pdf.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)


def _draw(pdf, value: str, item: dict, page_height: float) -> None:
    font = FONTS[item.get("style", "regular")][0]
    size = float(item.get("size", 14))
    pdf.setFont(font, size)
    pdf.setFillColor(HexColor(item.get("color") or "#000000"))
    x = float(item["x"]) * mm
    y = page_height - float(item["y"]) * mm
    box = item.get("width")
    lines = simpleSplit(value, font, size, float(box) * mm) if box else [value]
    align = item.get("align", "left")
    for n, line in enumerate(lines):
        baseline = y - n * size * 1.25
        if align == "center":
            pdf.drawCentredString(x, baseline, line)
        elif align == "right":
            pdf.drawRightString(x, baseline, line)
        else:
            pdf.drawString(x, baseline, line)
