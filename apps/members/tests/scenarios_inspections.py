"""Inspections and training courses: one call per service for ``test_audit`` and the rows of the
permission matrix (the world's party tree is ``scenarios._tree``: province → cell, a member)."""

import datetime as dt

from apps.members import services
from apps.members.tests.factories import tree
from apps.members.tests.scenarios import _cached, _tree

START = dt.date(2025, 3, 1)


def _inspection(subject_org, by, actor=None, **fields):
    return services.inspection_create(
        actor=actor,
        kind="inspection",
        conducted_by=by,
        topic="Chấp hành Điều lệ Đảng",
        started_on=START,
        subject_org=subject_org,
        **fields,
    )


def _concluded(subject_org, by):
    row = _inspection(subject_org, by)
    return services.inspection_conclude(
        actor=None,
        inspection=row,
        concluded_on=dt.date(2025, 4, 1),
        conclusion="Thực hiện tốt.",
        outcome="no_violation",
    )


def _course(organizer, kind="awareness", actor=None):
    return services.course_create(
        actor=actor, organizer=organizer, kind=kind, name="Lớp bồi dưỡng", started_on=START
    )


def _person(course, actor=None):
    return services.course_participant_add(
        actor=actor,
        course=course,
        full_name="Hoàng Thị Mai",
        birth_date=dt.date(2000, 2, 3),
        sex="female",
    )


def audit_scenarios() -> dict:
    p = "apps.members.services."
    return {
        p + "inspection_create": lambda a: (lambda t: _inspection(t[1], t[0], actor=a))(tree()),
        p + "inspection_update": lambda a: (
            lambda t: services.inspection_update(
                actor=a, inspection=_inspection(t[1], t[0]), topic="Chủ đề khác"
            )
        )(tree()),
        p + "inspection_conclude": lambda a: (
            lambda t: services.inspection_conclude(
                actor=a,
                inspection=_inspection(t[1], t[0]),
                concluded_on=dt.date(2025, 4, 1),
                conclusion="Có vi phạm.",
                outcome="violation",
            )
        )(tree()),
        p + "inspection_reopen": lambda a: (
            lambda t: services.inspection_reopen(
                actor=a, inspection=_concluded(t[1], t[0]), reason="Sửa kết luận"
            )
        )(tree()),
        p + "inspection_delete": lambda a: (
            lambda t: services.inspection_delete(actor=a, inspection=_inspection(t[1], t[0]))
        )(tree()),
        p + "course_create": lambda a: _course(tree()[0], actor=a),
        p + "course_update": lambda a: services.course_update(
            actor=a, course=_course(tree()[0]), place="Việt Trì"
        ),
        p + "course_participant_add": lambda a: _person(_course(tree()[0]), actor=a),
        p + "course_participant_remove": lambda a: services.course_participant_remove(
            actor=a, participant=_person(_course(tree()[0]))
        ),
        p + "course_result_record": lambda a: services.course_result_record(
            actor=a,
            participant=_person(_course(tree()[0])),
            result="completed",
            completed_on=dt.date(2025, 3, 5),
            certificate_number="GCN-01",
        ),
    }


def _world_inspection(w, concluded=False):
    province, cell, _person_ = _tree(w)
    key = "party_inspection_concluded" if concluded else "party_inspection"
    make = (
        (lambda: _concluded(cell, province)) if concluded else (lambda: _inspection(cell, province))
    )
    return _cached(w, key, make)


def _world_course(w):
    return _cached(w, "party_course", lambda: _course(_tree(w)[0]))


def _world_theory_course(w):
    return _cached(w, "party_theory_course", lambda: _course(_tree(w)[0], kind="new_member"))


def _world_participant(w):
    return _cached(w, "party_participant", lambda: _person(_world_course(w)))


INSPECTION_POST = {
    "kind": "supervision",
    "basis": "thematic",
    "topic": "Thực hiện nghị quyết",
    "started_on": "2025-05-01",
    "ended_on": "",
    "body_name": "Ủy ban Kiểm tra Tỉnh ủy",
    "decision_number": "",
}


def matrix_rows(Endpoint, read, managers):  # noqa: N803 - the matrix's own class
    own_staff = {"officer_own", "leader_own"}
    readers = managers | own_staff | {"viewer"}
    writers = managers | own_staff

    def row(name, method, url, allowed, data=None, ok=200):
        return Endpoint(name, method, url, allowed, data=data, ok=ok)

    def province(w):
        return _tree(w)[0]

    ui = [
        row(
            "members:org_inspections",
            "GET",
            lambda w: (
                f"/party/orgs/{province(w).pk}/inspections/?kind=inspection&state=open&year=2025"
            ),
            readers,
        ),
        row(
            "members:inspection_create",
            "GET",
            lambda w: f"/party/orgs/{_tree(w)[1].pk}/inspections/new/",
            writers,
        ),
        row(
            "members:inspection_create",
            "POST",
            lambda w: f"/party/orgs/{_tree(w)[1].pk}/inspections/new/",
            writers,
            data=lambda w: {**INSPECTION_POST, "conducted_by": province(w).pk},
            ok=302,
        ),
        row(
            "members:member_inspection_create",
            "GET",
            lambda w: f"/party/members/{_tree(w)[2].pk}/inspections/new/",
            writers,
        ),
        row(
            "members:member_inspection_create",
            "POST",
            lambda w: f"/party/members/{_tree(w)[2].pk}/inspections/new/",
            writers,
            data=lambda w: {**INSPECTION_POST, "conducted_by": _tree(w)[1].pk},
            ok=302,
        ),
        row(
            "members:inspection_detail",
            "GET",
            lambda w: f"/party/inspections/{_world_inspection(w).pk}/",
            readers,
        ),
        row(
            "members:inspection_edit",
            "GET",
            lambda w: f"/party/inspections/{_world_inspection(w).pk}/edit/",
            writers,
        ),
        row(
            "members:inspection_edit",
            "POST",
            lambda w: f"/party/inspections/{_world_inspection(w).pk}/edit/",
            writers,
            data=lambda w: {**INSPECTION_POST, "conducted_by": province(w).pk},
            ok=302,
        ),
        row(
            "members:inspection_conclude",
            "GET",
            lambda w: f"/party/inspections/{_world_inspection(w).pk}/conclude/",
            writers,
        ),
        row(
            "members:inspection_conclude",
            "POST",
            lambda w: f"/party/inspections/{_world_inspection(w).pk}/conclude/",
            writers,
            data=lambda w: {
                "concluded_on": "2025-06-01",
                "outcome": "violation",
                "conclusion": "Có vi phạm.",
                "measure": "",
            },
            ok=302,
        ),
        row(
            "members:inspection_reopen",
            "POST",
            lambda w: f"/party/inspections/{_world_inspection(w, concluded=True).pk}/reopen/",
            managers,
            data=lambda w: {"reason": "Sửa kết luận"},
            ok=302,
        ),
        row(
            "members:inspection_delete",
            "POST",
            lambda w: f"/party/inspections/{_world_inspection(w).pk}/delete/",
            writers,
            data=lambda w: {},
            ok=302,
        ),
        row(
            "members:org_training",
            "GET",
            lambda w: f"/party/orgs/{province(w).pk}/training/?kind=awareness&year=2025",
            readers,
        ),
        row(
            "members:course_create",
            "GET",
            lambda w: f"/party/orgs/{province(w).pk}/training/new/",
            writers,
        ),
        row(
            "members:course_create",
            "POST",
            lambda w: f"/party/orgs/{province(w).pk}/training/new/",
            writers,
            data=lambda w: {
                "kind": "awareness",
                "name": "Lớp nhận thức về Đảng",
                "started_on": "2025-03-01",
                "ended_on": "2025-03-05",
                "place": "",
            },
            ok=302,
        ),
        row(
            "members:course_detail",
            "GET",
            lambda w: (_world_participant(w), f"/party/training/{_world_course(w).pk}/")[1],
            readers,
        ),
        row(
            "members:course_edit",
            "GET",
            lambda w: f"/party/training/{_world_course(w).pk}/edit/",
            writers,
        ),
        row(
            "members:course_edit",
            "POST",
            lambda w: f"/party/training/{_world_course(w).pk}/edit/",
            writers,
            data=lambda w: {
                "kind": "awareness",
                "name": "Lớp đổi tên",
                "started_on": "2025-03-01",
                "ended_on": "",
                "place": "Việt Trì",
            },
            ok=302,
        ),
        row(
            "members:course_add_member",
            "POST",
            lambda w: f"/party/training/{_world_theory_course(w).pk}/participants/add-member/",
            writers,
            data=lambda w: {"m-reference": _tree(w)[2].cccd},
            ok=302,
        ),
        row(
            "members:course_add_person",
            "POST",
            lambda w: f"/party/training/{_world_course(w).pk}/participants/add-person/",
            writers,
            data=lambda w: {
                "n-full_name": "Vũ Thị Lan",
                "n-birth_date": "2001-01-01",
                "n-sex": "female",
                "n-cccd": "",
            },
            ok=302,
        ),
        row(
            "members:course_participant_result",
            "POST",
            lambda w: (
                f"/party/training/{_world_course(w).pk}/participants/"
                f"{_world_participant(w).pk}/result/"
            ),
            writers,
            data=lambda w: {
                f"p{_world_participant(w).pk}-result": "completed",
                f"p{_world_participant(w).pk}-completed_on": "2025-03-05",
                f"p{_world_participant(w).pk}-certificate_number": "GCN-1",
            },
            ok=302,
        ),
        row(
            "members:course_participant_remove",
            "POST",
            lambda w: (
                f"/party/training/{_world_course(w).pk}/participants/"
                f"{_world_participant(w).pk}/remove/"
            ),
            writers,
            data=lambda w: {},
            ok=302,
        ),
    ]
    api = [
        row(
            "party-inspection-list",
            "GET",
            lambda w: (_world_inspection(w), f"/api/party-inspections/?org={province(w).pk}")[1],
            readers,
        ),
        row(
            "party-inspection-list",
            "POST",
            lambda w: (_tree(w), "/api/party-inspections/")[1],
            writers,
            data=lambda w: {
                "subject_member": _tree(w)[2].pk,
                "conducted_by": province(w).pk,
                "kind": "inspection",
                "topic": "Kê khai tài sản",
                "started_on": "2025-05-01",
            },
            ok=201,
        ),
        row(
            "party-inspection-detail",
            "GET",
            lambda w: f"/api/party-inspections/{_world_inspection(w).pk}/",
            readers,
        ),
        row(
            "party-inspection-detail",
            "PATCH",
            lambda w: f"/api/party-inspections/{_world_inspection(w).pk}/",
            writers,
            data=lambda w: {"topic": "Chủ đề mới"},
        ),
        row(
            "party-inspection-conclude",
            "POST",
            lambda w: f"/api/party-inspections/{_world_inspection(w).pk}/conclude/",
            writers,
            data=lambda w: {
                "concluded_on": "2025-06-01",
                "conclusion": "Không vi phạm.",
                "outcome": "no_violation",
            },
        ),
        row(
            "party-inspection-reopen",
            "POST",
            lambda w: f"/api/party-inspections/{_world_inspection(w, concluded=True).pk}/reopen/",
            managers,
            data=lambda w: {"reason": "Sửa kết luận"},
        ),
        row(
            "training-course-list",
            "GET",
            lambda w: (_world_course(w), f"/api/training-courses/?org={province(w).pk}")[1],
            readers,
        ),
        row(
            "training-course-list",
            "POST",
            lambda w: (_tree(w), "/api/training-courses/")[1],
            writers,
            data=lambda w: {
                "organizer": province(w).pk,
                "kind": "new_member",
                "name": "Lớp lý luận chính trị cho đảng viên mới",
                "started_on": "2025-04-01",
            },
            ok=201,
        ),
        row(
            "training-course-detail",
            "GET",
            lambda w: f"/api/training-courses/{_world_course(w).pk}/",
            readers,
        ),
        row(
            "training-course-detail",
            "PATCH",
            lambda w: f"/api/training-courses/{_world_course(w).pk}/",
            writers,
            data=lambda w: {"place": "Việt Trì"},
        ),
        row(
            "training-participant-list",
            "GET",
            lambda w: (
                _world_participant(w),
                f"/api/training-courses/{_world_course(w).pk}/participants/",
            )[1],
            readers,
        ),
        row(
            "training-participant-list",
            "POST",
            lambda w: f"/api/training-courses/{_world_theory_course(w).pk}/participants/",
            writers,
            data=lambda w: {"member": _tree(w)[2].pk},
            ok=201,
        ),
        row(
            "training-participant-detail",
            "GET",
            lambda w: (
                f"/api/training-courses/{_world_course(w).pk}/participants/"
                f"{_world_participant(w).pk}/"
            ),
            readers,
        ),
        row(
            "training-participant-detail",
            "PATCH",
            lambda w: (
                f"/api/training-courses/{_world_course(w).pk}/participants/"
                f"{_world_participant(w).pk}/"
            ),
            writers,
            data=lambda w: {"result": "not_completed"},
        ),
        row(
            "training-participant-detail",
            "DELETE",
            lambda w: (
                f"/api/training-courses/{_world_course(w).pk}/participants/"
                f"{_world_participant(w).pk}/"
            ),
            writers,
            data=lambda w: {},
            ok=204,
        ),
    ]
    return ui, api
