"""Decisions, the award history and certificates.

Deciding a proposal records the decision and one ``AwardRecord`` per accepted candidate with its
prize money (coefficient × base salary in force on the decision date, rounded up to 10.000 đ).
Issuing numbers the certificates. Records of earlier years (before the system, or from another
body) are entered from paper so that consecutive-year rules can read them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.awards.choices import CandidateOutcome, Recipient
from apps.awards.models import (
    AwardRecord,
    AwardType,
    CertificateTemplate,
    Decision,
    DecisionAttachment,
    Proposal,
)
from apps.awards.rules import person_key
from apps.awards.selectors import prize_money
from apps.awards.services.proposals import move
from apps.core.audit import record_event, service, snapshot
from apps.emulation.evidence import check_evidence_file, save_checked_file

__all__ = [
    "LAYOUT_FIELDS",
    "award_record_add",
    "certificate_template_save",
    "decision_attachment_add",
    "proposal_decide",
    "proposal_issue_certificates",
]


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _one_line(value, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _prize(award_type: AwardType, on: dt.date) -> tuple[int | None, str]:
    """Prize money and how it was computed; forms without a coefficient carry none."""
    try:
        prize = prize_money(award_type, on)
    except ValidationError as error:
        return None, error.messages[0]
    return prize.amount, prize.explanation[:500]


@service
def proposal_decide(
    *,
    actor,
    proposal: Proposal,
    number: str,
    signed_on: dt.date,
    signer: str,
    issuing_body: str,
    signer_title: str = "",
) -> Decision:
    """Record the decision on a passed proposal: one award record per accepted candidate."""
    number, signer, issuing_body = (
        _one_line(number, 60),
        _one_line(signer, 200),
        _one_line(issuing_body, 200),
    )
    if not number:
        raise ValidationError({"number": _("Give the decision number.")})
    if not signer:
        raise ValidationError({"signer": _("Give who signed the decision.")})
    if not issuing_body:
        raise ValidationError({"issuing_body": _("Give the issuing body.")})
    if signed_on is None:
        raise ValidationError({"signed_on": _("Give the decision date.")})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("A decision cannot be dated in the future.")})
    if proposal.submitted_at and signed_on < timezone.localdate(proposal.submitted_at):
        raise ValidationError(
            {"signed_on": _("The decision cannot be dated before the proposal was sent.")}
        )
    if Decision.objects.filter(issuing_body=issuing_body, number=number).exists():
        raise ValidationError({"number": _("This body already has a decision with this number.")})
    moved = move(actor, proposal, "decide")
    try:
        decision = Decision.objects.create(
            proposal=moved,
            number=number,
            signed_on=signed_on,
            signer=signer,
            signer_title=_one_line(signer_title, 200),
            issuing_body=issuing_body,
            created_by=_user(actor),
        )
    except IntegrityError:  # the same number recorded at the same moment by someone else
        raise ValidationError(
            {"number": _("This body already has a decision with this number.")}
        ) from None
    records = []
    for candidate in moved.candidates.filter(outcome=CandidateOutcome.ACCEPTED).select_related(
        "award_type", "unit"
    ):
        amount, explanation = _prize(candidate.award_type, signed_on)
        records.append(
            AwardRecord.objects.create(
                award_type=candidate.award_type,
                year=moved.year,
                unit=candidate.unit,
                person_name=candidate.person_name,
                person_key=person_key(candidate.person_name, candidate.person_birth_date)
                if not candidate.unit_id
                else "",
                person_birth_date=candidate.person_birth_date,
                person_unit=None if candidate.unit_id else moved.proposer,
                decision=decision,
                candidate=candidate,
                decision_number=number,
                decision_date=signed_on,
                issuing_body=issuing_body,
                prize_amount=amount,
                prize_explanation=explanation,
                created_by=_user(actor),
            )
        )
    record_event(
        actor=actor,
        action="award.decision_record",
        obj=decision,
        after={
            **snapshot(decision, ["number", "signed_on", "signer", "signer_title", "issuing_body"]),
            "proposal": moved.pk,
            "records": [[r.pk, r.name, r.award_type.code, r.prize_amount] for r in records],
        },
    )
    return decision


@service
def proposal_issue_certificates(*, actor, proposal: Proposal) -> Proposal:
    """Number the certificates of a decided proposal (``<decision number>/<n>``)."""
    moved = move(actor, proposal, "issue")
    now = timezone.now()
    numbered = []
    for n, record in enumerate(
        AwardRecord.objects.filter(decision__proposal=moved).order_by("candidate__position", "id"),
        1,
    ):
        record.certificate_number = f"{record.decision_number}/{n:02d}"[:40]
        record.certificate_issued_at = now
        record.save(update_fields=["certificate_number", "certificate_issued_at", "updated_at"])
        numbered.append([record.pk, record.certificate_number])
    record_event(
        actor=actor, action="award.certificates_issue", obj=moved, after={"certificates": numbered}
    )
    return moved


@service
def award_record_add(
    *,
    actor,
    award_type: AwardType,
    year: int,
    unit=None,
    person_name: str = "",
    person_birth_date: dt.date | None = None,
    person_unit=None,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    issuing_body: str = "",
    source: str = "",
) -> AwardRecord:
    """An award received before the system (or decided elsewhere), entered from paper."""
    if not isinstance(year, int) or not 1945 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Give a year from 1945 to this year.")})
    name = _one_line(person_name, 200)
    if award_type.recipient == Recipient.COLLECTIVE:
        if unit is None:
            raise ValidationError({"unit": _("This award goes to a collective: choose the unit.")})
        name, person_birth_date, person_unit = "", None, None
    else:
        if not name:
            raise ValidationError({"person_name": _("This award goes to a person: give the name.")})
        unit = None
    if decision_date and decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("A decision cannot be dated in the future.")})
    source = _one_line(source, 300)
    if not source and not decision_number:
        raise ValidationError(
            {"source": _("Give the decision number or where this record comes from.")}
        )
    record = AwardRecord.objects.create(
        award_type=award_type,
        year=year,
        unit=unit,
        person_name=name,
        person_key=person_key(name, person_birth_date) if name else "",
        person_birth_date=person_birth_date,
        person_unit=person_unit,
        decision_number=_one_line(decision_number, 60),
        decision_date=decision_date,
        issuing_body=_one_line(issuing_body, 200),
        source=source,
        created_by=_user(actor),
    )
    record_event(
        actor=actor,
        action="award.record_add",
        obj=record,
        after=snapshot(
            record,
            [
                "award_type",
                "year",
                "unit",
                "person_name",
                "decision_number",
                "decision_date",
                "issuing_body",
                "source",
            ],
        ),
    )
    return record


@service
def decision_attachment_add(*, actor, decision: Decision, upload) -> DecisionAttachment:
    """Attach the signed decision (scan) or its annex, checked by content."""
    checked = check_evidence_file(upload)
    attachment = DecisionAttachment(
        decision=decision,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=_user(actor),
    )
    save_checked_file(
        attachment,
        checked,
        lambda: record_event(
            actor=actor,
            action="award.decision_attachment_add",
            obj=decision,
            after={"attachment": attachment.pk, "name": checked.name, "sha256": checked.sha256},
        ),
    )
    return attachment


# --- certificate templates ----------------------------------------------------------------------

LAYOUT_FIELDS = {
    "issuing_body",
    "party",
    "award_name",
    "intro",
    "recipient",
    "reason",
    "decision",
    "certificate_number",
    "place_date",
    "signer_title",
    "signer",
}
STYLES = {"regular", "bold", "italic", "bolditalic"}
ALIGNS = {"left", "center", "right"}


def clean_layout(layout, *, landscape: bool) -> list[dict]:
    """Check a template's layout and say exactly which item is wrong."""
    width, height = (297, 210) if landscape else (210, 297)
    if not isinstance(layout, list) or not layout:
        raise ValidationError({"layout": _("The layout is a list of fields.")})
    clean = []
    for n, item in enumerate(layout, 1):
        where = _("Item %(n)s") % {"n": n}
        if not isinstance(item, dict):
            raise ValidationError({"layout": _("%(where)s is not an object.") % {"where": where}})
        field = item.get("field")
        if field not in LAYOUT_FIELDS:
            raise ValidationError(
                {
                    "layout": _("%(where)s: unknown field “%(field)s”; use one of: %(fields)s.")
                    % {"where": where, "field": field, "fields": ", ".join(sorted(LAYOUT_FIELDS))}
                }
            )
        try:
            x, y = float(item.get("x")), float(item.get("y"))
            size = float(item.get("size", 14))
            box = float(item["width"]) if item.get("width") is not None else None
        except (TypeError, ValueError):
            raise ValidationError(
                {
                    "layout": _("%(where)s: x, y, size and width are numbers (mm, points).")
                    % {"where": where}
                }
            ) from None
        if not (0 <= x <= width and 0 <= y <= height):
            raise ValidationError(
                {
                    "layout": _("%(where)s: the position is off the page (%(w)s × %(h)s mm).")
                    % {"where": where, "w": width, "h": height}
                }
            )
        if not 6 <= size <= 96 or (box is not None and not 10 <= box <= width):
            raise ValidationError(
                {
                    "layout": _(
                        "%(where)s: the size is 6–96 points and the width 10 mm to the page width."
                    )
                    % {"where": where}
                }
            )
        style = item.get("style", "regular")
        align = item.get("align", "left")
        color = item.get("color", "#000000")
        if style not in STYLES or align not in ALIGNS:
            raise ValidationError(
                {
                    "layout": _(
                        "%(where)s: style is regular, bold, italic or bolditalic; align is left, center or right."
                    )
                    % {"where": where}
                }
            )
        if not (
            isinstance(color, str)
            and len(color) == 7
            and color.startswith("#")
            and all(c in "0123456789abcdefABCDEF" for c in color[1:])
        ):
            raise ValidationError(
                {"layout": _("%(where)s: the colour is written like #b00000.") % {"where": where}}
            )
        clean.append(
            {
                "field": field,
                "x": x,
                "y": y,
                "size": size,
                "style": style,
                "align": align,
                "width": box,
                "upper": bool(item.get("upper")),
                "color": color,
            }
        )
    return clean


@service
def certificate_template_save(
    *,
    actor,
    template: CertificateTemplate | None = None,
    name: str,
    award_type: AwardType | None,
    landscape: bool,
    draw_border: bool,
    layout,
    background=None,
) -> CertificateTemplate:
    """Create or change a certificate template; a background image is checked by content."""
    name = _one_line(name, 200)
    if not name:
        raise ValidationError({"name": _("Give the template a name.")})
    clean = clean_layout(layout, landscape=landscape)
    clash = CertificateTemplate.objects.filter(award_type=award_type).exclude(
        pk=template.pk if template else None
    )
    if award_type is not None and clash.exists():
        raise ValidationError({"award_type": _("This award already has a template.")})
    before = (
        snapshot(template, ["name", "award_type", "landscape", "draw_border", "layout"])
        if template
        else None
    )
    template = template or CertificateTemplate()
    template.name, template.award_type = name, award_type
    template.landscape, template.draw_border, template.layout = landscape, draw_border, clean
    if background is not None:
        checked = check_evidence_file(background)
        if checked.kind.content_type not in {"image/png", "image/jpeg"}:
            raise ValidationError({"background": _("The background is a PNG or JPEG image.")})
        from django.core.files.base import ContentFile

        template.background.save(checked.name, ContentFile(checked.content), save=False)
    template.save()
    record_event(
        actor=actor,
        action="award.certificate_template_save",
        obj=template,
        before=before,
        after=snapshot(template, ["name", "award_type", "landscape", "draw_border", "layout"]),
    )
    return template
