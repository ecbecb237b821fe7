"""One call per awards service for ``test_audit``, and the permission-matrix rows of the award
pages and API: the catalog, rules and quotas, templates (everyone reads; central officers and
administrators change them), proposals (the proposing unit's staff prepare, its leader sends, the
receiving body's officers review and decide) and the history (everyone reads)."""

import base64
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.awards import services
from apps.awards.models import AwardRecord, AwardType, CertificateTemplate
from apps.awards.tests import helpers
from apps.emulation.tests.assessment_files import pdf_bytes
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

LATER = dt.date(2030, 1, 1)


def audit_scenarios() -> dict:
    prefix = "apps.awards.services.catalog."
    return {
        prefix + "base_salary_add": lambda a: services.base_salary_add(
            actor=a, amount=2_600_000, valid_from=LATER, source="Nghị định (thử)"
        ),
        prefix + "prize_coefficient_add": lambda a: services.prize_coefficient_add(
            actor=a,
            award_type=AwardType.objects.get(code="lao-dong-tien-tien"),
            coefficient="0.4",
            valid_from=LATER,
            source="Nghị định (thử)",
        ),
        **_proposal_scenarios(),
    }


def _receiver():
    return helpers.central_unit(name="Ban Tổ chức Trung ương (thử)")


def _draft():
    return helpers.proposal(UnitFactory(), _receiver())


def _at(state):
    return helpers.proposal(UnitFactory(), _receiver(), state=state)


def _from_term(actor):
    from apps.organizations import services as org

    units = [UnitFactory(), UnitFactory(), UnitFactory()]
    cluster = ClusterFactory()
    cluster.sector.head_unit = _receiver()
    cluster.sector.save()
    term = org.term_create(actor=None, cluster=cluster, year=2025, members=units, leader=units[0])
    helpers.counted_vote(term, units[0])
    return services.proposal_from_term(actor=actor, term=term)


def _proposal_scenarios() -> dict:
    r = "apps.awards.services.rules."
    p = "apps.awards.services.proposals."
    d = "apps.awards.services.decisions."
    flag = "co-thi-dua-tinh"
    return {
        r + "award_rule_add": lambda a: services.award_rule_add(
            actor=a,
            award_type=AwardType.objects.get(code=flag),
            kind="quota",
            valid_from=LATER,
            source="Nghị định (thử)",
        ),
        r + "award_quota_set": lambda a: services.award_quota_set(
            actor=a,
            receiver=_receiver(),
            year=2025,
            award_type=AwardType.objects.get(code=flag),
            count=5,
            source="Công văn (thử)",
        ),
        p + "proposal_create": lambda a: services.proposal_create(
            actor=a, proposer=UnitFactory(), receiver=_receiver(), year=2025, title="Đề nghị"
        ),
        p + "proposal_update": lambda a: services.proposal_update(
            actor=a, proposal=_draft(), title="Tên mới"
        ),
        p + "proposal_candidate_add": lambda a: services.proposal_candidate_add(
            actor=a,
            proposal=_draft(),
            award_type=AwardType.objects.get(code="giay-khen-ca-nhan"),
            person_name="Trần Văn Bình",
        ),
        p + "proposal_candidate_update": lambda a: services.proposal_candidate_update(
            actor=a, candidate=_draft().candidates.get(), members_ldtt=28
        ),
        p + "proposal_candidate_remove": lambda a: services.proposal_candidate_remove(
            actor=a, candidate=_draft().candidates.get()
        ),
        p + "proposal_attachment_add": lambda a: services.proposal_attachment_add(
            actor=a, proposal=_draft(), upload=SimpleUploadedFile("bao-cao.pdf", pdf_bytes())
        ),
        p + "proposal_from_term": _from_term,
        p + "proposal_submit": lambda a: services.proposal_submit(actor=a, proposal=_draft()),
        p + "proposal_receive": lambda a: services.proposal_receive(
            actor=a, proposal=_at("submitted")
        ),
        p + "proposal_review_start": lambda a: services.proposal_review_start(
            actor=a, proposal=_at("received")
        ),
        p + "proposal_return": lambda a: services.proposal_return(
            actor=a, proposal=_at("under_review"), comment="Bổ sung báo cáo"
        ),
        p + "proposal_pass": lambda a: (
            lambda made: services.proposal_pass(
                actor=a,
                proposal=made,
                outcomes={c.pk: ("accepted", "") for c in made.candidates.all()},
            )
        )(_at("under_review")),
        d + "proposal_decide": lambda a: services.proposal_decide(
            actor=a,
            proposal=_at("passed"),
            number="99-QĐ/TW",
            signed_on=timezone.localdate(),
            signer="Lê Minh Hưng",
            issuing_body="Ban Tổ chức Trung ương",
        ),
        d + "proposal_issue_certificates": lambda a: services.proposal_issue_certificates(
            actor=a, proposal=_at("decided")
        ),
        d + "award_record_add": lambda a: services.award_record_add(
            actor=a,
            award_type=AwardType.objects.get(code="chien-si-thi-dua-co-so"),
            year=2024,
            person_name="Nguyễn Văn An",
            source="Sổ khen thưởng 2024",
        ),
        d + "decision_attachment_add": lambda a: services.decision_attachment_add(
            actor=a,
            decision=_at("decided").decision,
            upload=SimpleUploadedFile("quyet-dinh.pdf", pdf_bytes()),
        ),
        d + "certificate_template_save": lambda a: services.certificate_template_save(
            actor=a,
            name="Mẫu Cờ thi đua",
            award_type=AwardType.objects.get(code=flag),
            landscape=True,
            draw_border=False,
            layout=[{"field": "recipient", "x": 100, "y": 100}],
        ),
    }


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    def ltt(w):
        return AwardType.objects.get(code="lao-dong-tien-tien").pk

    ui = [
        Endpoint("awards:catalog", "GET", lambda w: "/awards/catalog/?on=2025-12-05", read),
        Endpoint(
            "awards:base_salary_create", "GET", lambda w: "/awards/base-salaries/new/", managers
        ),
        Endpoint(
            "awards:base_salary_create",
            "POST",
            lambda w: "/awards/base-salaries/new/",
            managers,
            data=lambda w: {"amount": "2.600.000", "valid_from": "2030-01-01", "source": "NĐ thử"},
            ok=302,
        ),
        Endpoint(
            "awards:coefficient_create",
            "GET",
            lambda w: f"/awards/types/{ltt(w)}/coefficients/new/",
            managers,
        ),
        Endpoint(
            "awards:coefficient_create",
            "POST",
            lambda w: f"/awards/types/{ltt(w)}/coefficients/new/",
            managers,
            data=lambda w: {"coefficient": "0,4", "valid_from": "2030-01-01", "source": "NĐ thử"},
            ok=302,
        ),
    ]
    more_ui, api = _proposal_rows(Endpoint, read, managers)
    return ui + more_ui, api


def _cached(w, key, make):
    if key not in w.__dict__:
        w.__dict__[key] = make()
    return w.__dict__[key]


def _central(w):
    return w.users["central"].unit


def _prop(w, state="draft"):
    """A proposal of unit "own" for the matrix term, moved to ``state``."""
    return _cached(
        w,
        f"proposal_{state}",
        lambda: helpers.proposal(w.own, _central(w), term=w.term, state=state),
    )


def _candidate(w):
    return _prop(w).candidates.get()


def _attachment(w):
    return _cached(
        w,
        "proposal_attachment",
        lambda: services.proposal_attachment_add(
            actor=None, proposal=_prop(w), upload=SimpleUploadedFile("bao-cao.pdf", pdf_bytes())
        ),
    )


def _record(w):
    return AwardRecord.objects.get(decision__proposal=_prop(w, "issued"))


def _voted(w):
    """The matrix term with a counted vote electing "own", and a head body for the sector."""

    def make():
        sector = w.term.cluster.sector
        sector.head_unit = _central(w)
        sector.save()
        helpers.counted_vote(w.term, w.own)
        return w.term

    return _cached(w, "voted_term", make)


def _decision(w):
    return _prop(w, "decided").decision


def _decision_file(w):
    return _cached(
        w,
        "decision_file",
        lambda: services.decision_attachment_add(
            actor=None, decision=_decision(w), upload=SimpleUploadedFile("qd.pdf", pdf_bytes())
        ),
    )


def _template(w):
    return CertificateTemplate.objects.filter(award_type=None).first().pk


def _proposal_rows(Endpoint, read, managers):  # noqa: N803
    own_staff = {"officer_own", "leader_own"}
    staff = own_staff | {"officer_other", "leader_other"}
    readers = managers | own_staff | {"viewer"}
    today = timezone.localdate().isoformat()

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    def proposal_form(w):
        return {
            "title": "Đề nghị tặng Bằng khen",
            "year": "2025",
            "receiver": _central(w).pk,
            "number": "",
            "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
        }

    def candidate_form(w):
        return {
            "award_type": AwardType.objects.get(code="giay-khen-ca-nhan").pk,
            "person_name": "Trần Văn Bình",
            "person_title": "Chuyên viên",
        }

    def decision_form(w):
        return {
            "number": "12-QĐ/TW",
            "signed_on": today,
            "issuing_body": "Ban Tổ chức Trung ương",
            "signer": "Lê Minh Hưng",
            "signer_title": "Trưởng ban",
        }

    ui = [
        row("awards:rule_list", "GET", lambda w: "/awards/rules/?on=2025-12-05", read),
        row("awards:rule_create", "GET", lambda w: "/awards/rules/new/", managers),
        row(
            "awards:rule_create",
            "POST",
            lambda w: "/awards/rules/new/",
            managers,
            data=lambda w: {
                "award_type": AwardType.objects.get(code="co-thi-dua-tinh").pk,
                "kind": "quota",
                "applies": "on",
                "valid_from": "2030-01-01",
                "source": "NĐ thử",
            },
            ok=302,
        ),
        row("awards:quota_create", "GET", lambda w: "/awards/quotas/new/", managers),
        row(
            "awards:quota_create",
            "POST",
            lambda w: "/awards/quotas/new/",
            managers,
            data=lambda w: {
                "receiver": _central(w).pk,
                "year": "2025",
                "award_type": AwardType.objects.get(code="co-thi-dua-tinh").pk,
                "count": "5",
                "source": "Công văn thử",
            },
            ok=302,
        ),
        row("awards:template_list", "GET", lambda w: "/awards/certificate-templates/", read),
        row(
            "awards:template_create",
            "GET",
            lambda w: "/awards/certificate-templates/new/",
            managers,
        ),
        row(
            "awards:template_create",
            "POST",
            lambda w: "/awards/certificate-templates/new/",
            managers,
            data=lambda w: {
                "name": "Mẫu thử",
                "award_type": AwardType.objects.get(code="giay-khen-ca-nhan").pk,
                "landscape": "on",
                "layout": '[{"field": "recipient", "x": 148, "y": 100, "size": 24}]',
            },
            ok=302,
        ),
        row(
            "awards:template_edit",
            "GET",
            lambda w: f"/awards/certificate-templates/{_template(w)}/edit/",
            managers,
        ),
        row(
            "awards:template_edit",
            "POST",
            lambda w: f"/awards/certificate-templates/{_template(w)}/edit/",
            managers,
            data=lambda w: {
                "name": "Mẫu chung",
                "landscape": "on",
                "draw_border": "on",
                "layout": '[{"field": "recipient", "x": 148, "y": 100, "size": 24}]',
            },
            ok=302,
        ),
        row(
            "awards:template_preview",
            "GET",
            lambda w: f"/awards/certificate-templates/{_template(w)}/preview/",
            read,
        ),
        row("awards:proposal_list", "GET", lambda w: (_prop(w), "/awards/proposals/")[1], read),
        row("awards:proposal_create", "GET", lambda w: "/awards/proposals/new/", staff),
        row(
            "awards:proposal_create",
            "POST",
            lambda w: "/awards/proposals/new/",
            staff,
            data=proposal_form,
            ok=302,
        ),
        row(
            "awards:proposal_from_term",
            "POST",
            lambda w: f"/terms/{_voted(w).pk}/award-proposal/",
            own_staff,
            data=lambda w: {},
            ok=302,
        ),
        row(
            "awards:proposal_detail", "GET", lambda w: f"/awards/proposals/{_prop(w).pk}/", readers
        ),
        row(
            "awards:proposal_edit",
            "GET",
            lambda w: f"/awards/proposals/{_prop(w).pk}/edit/",
            own_staff,
        ),
        row(
            "awards:proposal_edit",
            "POST",
            lambda w: f"/awards/proposals/{_prop(w).pk}/edit/",
            own_staff,
            data=lambda w: {"title": "Tiêu đề đã sửa", "chair": "Nguyễn Văn Minh"},
            ok=302,
        ),
        row(
            "awards:candidate_create",
            "GET",
            lambda w: f"/awards/proposals/{_prop(w).pk}/candidates/new/",
            own_staff,
        ),
        row(
            "awards:candidate_create",
            "POST",
            lambda w: f"/awards/proposals/{_prop(w).pk}/candidates/new/",
            own_staff,
            data=candidate_form,
            ok=302,
        ),
        row(
            "awards:candidate_edit",
            "GET",
            lambda w: f"/awards/candidates/{_candidate(w).pk}/edit/",
            own_staff,
        ),
        row(
            "awards:candidate_edit",
            "POST",
            lambda w: f"/awards/candidates/{_candidate(w).pk}/edit/",
            own_staff,
            data=lambda w: {
                "award_type": AwardType.objects.get(code="tap-the-lao-dong-xuat-sac").pk,
                "unit": w.own.pk,
                "members_total": "30",
                "members_ldtt": "27",
            },
            ok=302,
        ),
        row(
            "awards:candidate_delete",
            "POST",
            lambda w: f"/awards/candidates/{_candidate(w).pk}/delete/",
            own_staff,
            data=lambda w: {},
            ok=302,
        ),
        row(
            "awards:proposal_step",
            "POST",
            lambda w: f"/awards/proposals/{_prop(w).pk}/step/submit/",
            {"leader_own"},
            data=lambda w: {},
            ok=302,
        ),
        row(
            "awards:proposal_return",
            "GET",
            lambda w: f"/awards/proposals/{_prop(w, 'under_review').pk}/return/",
            managers,
        ),
        row(
            "awards:proposal_return",
            "POST",
            lambda w: f"/awards/proposals/{_prop(w, 'under_review').pk}/return/",
            managers,
            data=lambda w: {"comment": "Bổ sung biên bản."},
            ok=302,
        ),
        row(
            "awards:proposal_pass",
            "GET",
            lambda w: f"/awards/proposals/{_prop(w, 'under_review').pk}/pass/",
            managers,
        ),
        row(
            "awards:proposal_pass",
            "POST",
            lambda w: f"/awards/proposals/{_prop(w, 'under_review').pk}/pass/",
            managers,
            data=lambda w: {f"outcome_{_prop(w, 'under_review').candidates.get().pk}": "accepted"},
            ok=302,
        ),
        row(
            "awards:proposal_decide",
            "GET",
            lambda w: f"/awards/proposals/{_prop(w, 'passed').pk}/decide/",
            managers,
        ),
        row(
            "awards:proposal_decide",
            "POST",
            lambda w: f"/awards/proposals/{_prop(w, 'passed').pk}/decide/",
            managers,
            data=decision_form,
            ok=302,
        ),
        row(
            "awards:proposal_document",
            "GET",
            lambda w: f"/awards/proposals/{_prop(w).pk}/documents/letter/",
            readers,
        ),
        row(
            "awards:proposal_attachment_upload",
            "POST",
            lambda w: f"/awards/proposals/{_prop(w).pk}/attachments/",
            own_staff,
            data=lambda w: {"file": SimpleUploadedFile("bao-cao.pdf", pdf_bytes())},
            ok=302,
        ),
        row(
            "awards:proposal_attachment_download",
            "GET",
            lambda w: f"/awards/proposal-attachments/{_attachment(w).pk}/",
            readers,
        ),
        row(
            "awards:proposal_certificates",
            "GET",
            lambda w: f"/awards/proposals/{_prop(w, 'issued').pk}/certificates/",
            readers,
        ),
        row(
            "awards:certificate_download",
            "GET",
            lambda w: f"/awards/records/{_record(w).pk}/certificate/",
            read,
        ),
        row(
            "awards:history",
            "GET",
            lambda w: (_record(w), f"/awards/history/?unit={w.own.pk}")[1],
            read,
        ),
        row(
            "awards:decision_attachment_upload",
            "POST",
            lambda w: f"/awards/decisions/{_decision(w).pk}/attachments/",
            managers,
            data=lambda w: {"file": SimpleUploadedFile("quyet-dinh.pdf", pdf_bytes())},
            ok=302,
        ),
        row(
            "awards:decision_attachment_download",
            "GET",
            lambda w: f"/awards/decision-attachments/{_decision_file(w).pk}/",
            readers,
        ),
        row("awards:record_create", "GET", lambda w: "/awards/history/new/", managers),
        row(
            "awards:record_create",
            "POST",
            lambda w: "/awards/history/new/",
            managers,
            data=lambda w: {
                "award_type": AwardType.objects.get(code="chien-si-thi-dua-co-so").pk,
                "year": "2024",
                "person_name": "Nguyễn Văn An",
                "source": "Sổ khen thưởng 2024",
            },
            ok=302,
        ),
    ]
    flag = "co-thi-dua-tinh"

    def pdf64():
        return base64.b64encode(pdf_bytes()).decode()

    api = [
        row("award-type-list", "GET", lambda w: "/api/award-types/?on=2025-12-05", read),
        row("award-rule-list", "GET", lambda w: "/api/award-rules/?on=2025-12-05", read),
        row(
            "award-rule-list",
            "POST",
            lambda w: "/api/award-rules/",
            managers,
            data=lambda w: {
                "award_type": flag,
                "kind": "quota",
                "valid_from": "2030-01-01",
                "source": "NĐ thử",
            },
            ok=201,
        ),
        row("award-quota-list", "GET", lambda w: "/api/award-quotas/?year=2025", read),
        row(
            "award-quota-list",
            "POST",
            lambda w: "/api/award-quotas/",
            managers,
            data=lambda w: {
                "receiver": _central(w).pk,
                "year": 2025,
                "award_type": flag,
                "count": 5,
                "source": "Công văn thử",
            },
        ),
        row("award-proposal-list", "GET", lambda w: (_prop(w), "/api/award-proposals/")[1], read),
        row(
            "award-proposal-list",
            "POST",
            lambda w: "/api/award-proposals/",
            staff,
            data=lambda w: {"title": "Đề nghị", "year": 2025, "receiver": _central(w).pk},
            ok=201,
        ),
        row(
            "award-proposal-detail",
            "GET",
            lambda w: f"/api/award-proposals/{_prop(w).pk}/",
            readers,
        ),
        row(
            "award-proposal-detail",
            "PATCH",
            lambda w: f"/api/award-proposals/{_prop(w).pk}/",
            own_staff,
            data=lambda w: {"chair": "Nguyễn Văn Minh"},
        ),
        row(
            "award-proposal-from-term",
            "POST",
            lambda w: (_voted(w), "/api/award-proposals/from-term/")[1],
            own_staff,
            data=lambda w: {"term": _voted(w).pk},
            ok=201,
        ),
        row(
            "award-proposal-check",
            "GET",
            lambda w: f"/api/award-proposals/{_prop(w).pk}/check/",
            readers,
        ),
        row(
            "award-proposal-candidates",
            "POST",
            lambda w: f"/api/award-proposals/{_prop(w).pk}/candidates/",
            own_staff,
            data=lambda w: {"award_type": "giay-khen-ca-nhan", "person_name": "Trần Văn Bình"},
            ok=201,
        ),
        row(
            "award-proposal-submit",
            "POST",
            lambda w: f"/api/award-proposals/{_prop(w).pk}/submit/",
            {"leader_own"},
            data=lambda w: {},
        ),
        row(
            "award-proposal-receive",
            "POST",
            lambda w: f"/api/award-proposals/{_prop(w, 'submitted').pk}/receive/",
            managers,
            data=lambda w: {},
        ),
        row(
            "award-proposal-review",
            "POST",
            lambda w: f"/api/award-proposals/{_prop(w, 'received').pk}/review/",
            managers,
            data=lambda w: {},
        ),
        row(
            "award-proposal-return",
            "POST",
            lambda w: f"/api/award-proposals/{_prop(w, 'under_review').pk}/return/",
            managers,
            data=lambda w: {"comment": "Bổ sung biên bản."},
        ),
        row(
            "award-proposal-pass",
            "POST",
            lambda w: f"/api/award-proposals/{_prop(w, 'under_review').pk}/pass/",
            managers,
            data=lambda w: {
                "outcomes": {
                    str(_prop(w, "under_review").candidates.get().pk): {"outcome": "accepted"}
                }
            },
        ),
        row(
            "award-proposal-decide",
            "POST",
            lambda w: f"/api/award-proposals/{_prop(w, 'passed').pk}/decide/",
            managers,
            data=decision_form,
        ),
        row(
            "award-proposal-issue",
            "POST",
            lambda w: f"/api/award-proposals/{_prop(w, 'decided').pk}/issue/",
            managers,
            data=lambda w: {},
        ),
        row(
            "award-proposal-attachments",
            "POST",
            lambda w: f"/api/award-proposals/{_prop(w).pk}/attachments/",
            own_staff,
            data=lambda w: {"file_name": "bao-cao.pdf", "content_base64": pdf64()},
            ok=201,
        ),
        row(
            "award-candidate-detail",
            "GET",
            lambda w: f"/api/award-candidates/{_candidate(w).pk}/",
            readers,
        ),
        row(
            "award-candidate-detail",
            "PATCH",
            lambda w: f"/api/award-candidates/{_candidate(w).pk}/",
            own_staff,
            data=lambda w: {"members_ldtt": 28},
        ),
        row(
            "award-candidate-detail",
            "DELETE",
            lambda w: f"/api/award-candidates/{_candidate(w).pk}/",
            own_staff,
            data=lambda w: {},
            ok=204,
        ),
        row(
            "award-record-list",
            "GET",
            lambda w: (_record(w), f"/api/award-records/?unit={w.own.pk}")[1],
            read,
        ),
        row(
            "award-record-list",
            "POST",
            lambda w: "/api/award-records/",
            managers,
            data=lambda w: {
                "award_type": "chien-si-thi-dua-co-so",
                "year": 2024,
                "person_name": "Nguyễn Văn An",
                "source": "Sổ 2024",
            },
            ok=201,
        ),
        row(
            "award-decision-attachments",
            "POST",
            lambda w: f"/api/award-decisions/{_decision(w).pk}/attachments/",
            managers,
            data=lambda w: {"file_name": "quyet-dinh.pdf", "content_base64": pdf64()},
            ok=201,
        ),
        row(
            "award-record-detail",
            "GET",
            lambda w: f"/api/award-records/{_record(w).pk}/",
            read,
        ),
    ]
    return ui, api
