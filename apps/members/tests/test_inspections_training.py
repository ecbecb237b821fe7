"""Inspections and training courses through their services: the database constraints, each
rule and refusal, and the counts the statistics page shows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core.models import AuditEvent
from apps.members import selectors, services
from apps.members.choices import CourseKind, CourseResult, InspectionKind, OrgKind
from apps.members.models import CourseParticipant, Inspection
from apps.members.tests.factories import member, org, tree

pytestmark = pytest.mark.django_db

START = dt.date(2025, 3, 1)


def _inspection(subject_org=None, subject_member=None, *, by=None, **fields):
    data = {
        "kind": InspectionKind.INSPECTION,
        "conducted_by": by,
        "topic": "Việc chấp hành Điều lệ Đảng",
        "started_on": START,
        "subject_org": subject_org,
        "subject_member": subject_member,
    }
    data.update(fields)
    return services.inspection_create(actor=None, **data)


def _conclude(inspection, **fields):
    data = {
        "concluded_on": dt.date(2025, 4, 1),
        "conclusion": "Thực hiện tốt.",
        "outcome": "no_violation",
    }
    data.update(fields)
    return services.inspection_conclude(actor=None, inspection=inspection, **data)


# --- inspections ----------------------------------------------------------------------------------


def test_an_inspection_has_exactly_one_subject_in_the_database():
    province, grassroots, cell, _lone = tree()
    person = member(cell)
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.create(
            kind="inspection", conducted_by=province, topic="x", started_on=START
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.create(
            kind="inspection",
            conducted_by=province,
            topic="x",
            started_on=START,
            subject_org=grassroots,
            subject_member=person,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.create(
            kind="inspection",
            conducted_by=province,
            topic="x",
            started_on=START,
            ended_on=START - dt.timedelta(days=1),
            subject_org=grassroots,
        )


def test_create_refuses_both_or_no_subject_bad_dates_and_a_conductor_below_the_subject():
    province, grassroots, cell, lone = tree()
    person = member(cell)
    with pytest.raises(ValidationError, match="không phải cả hai"):
        _inspection(by=province)
    with pytest.raises(ValidationError, match="không phải cả hai"):
        _inspection(grassroots, person, by=province)
    with pytest.raises(ValidationError) as error:
        _inspection(grassroots, by=province, ended_on=START - dt.timedelta(days=1))
    assert "ended_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _inspection(grassroots, by=cell)  # a cell does not inspect the committee above it
    assert "conducted_by" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _inspection(subject_member=person, by=lone)  # another branch
    assert "conducted_by" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _inspection(grassroots, by=province, topic="  ")
    assert "topic" in error.value.message_dict
    row = _inspection(subject_member=person, by=cell, body_name=" Chi bộ  ")
    assert row.subject == person and row.subject_path == cell.path and row.body_name == "Chi bộ"


def test_conclude_then_read_only_until_a_central_reopen():
    province, grassroots, _cell, _lone = tree()
    row = _inspection(grassroots, by=province)
    with pytest.raises(ValidationError) as error:
        _conclude(row, concluded_on=START - dt.timedelta(days=1))
    assert "concluded_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _conclude(row, conclusion=" ")
    assert "conclusion" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _conclude(row, outcome="maybe")
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _conclude(row, concluded_on=dt.date.today() + dt.timedelta(days=2))
    assert "concluded_on" in error.value.message_dict
    with pytest.raises(ValidationError, match="chưa kết luận"):
        services.inspection_reopen(actor=None, inspection=row, reason="sửa")
    _conclude(row, outcome="violation", measure="Đề nghị khiển trách")
    row.refresh_from_db()
    assert row.is_concluded and row.measure == "Đề nghị khiển trách"
    for call in (
        lambda: services.inspection_update(actor=None, inspection=row, topic="Khác"),
        lambda: _conclude(row),
        lambda: services.inspection_delete(actor=None, inspection=row),
    ):
        with pytest.raises(ValidationError, match="đã kết luận ngày 01/04/2025"):
            call()
    with pytest.raises(ValidationError) as error:
        services.inspection_reopen(actor=None, inspection=row, reason=" ")
    assert "reason" in error.value.message_dict
    services.inspection_reopen(actor=None, inspection=row, reason="Sai số quyết định")
    event = AuditEvent.objects.filter(action="member.inspection_reopen").get()
    assert event.before["outcome"] == "violation" and event.after == {"reason": "Sai số quyết định"}
    services.inspection_update(actor=None, inspection=row, decision_number="25-QĐ/UBKTTU")
    row.refresh_from_db()
    assert not row.is_concluded and row.conclusion == "Thực hiện tốt."  # kept to correct
    services.inspection_delete(actor=None, inspection=row)
    assert not Inspection.objects.filter(pk=row.pk).exists()


def test_update_keeps_the_rules_and_refuses_other_fields():
    province, grassroots, cell, _lone = tree()
    row = _inspection(grassroots, by=province)
    with pytest.raises(ValidationError) as error:
        services.inspection_update(actor=None, inspection=row, ended_on=START - dt.timedelta(1))
    assert "ended_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.inspection_update(actor=None, inspection=row, subject_org=cell)
    services.inspection_update(
        actor=None, inspection=row, kind="supervision", basis="thematic", conducted_by=grassroots
    )
    row.refresh_from_db()
    assert (row.kind, row.basis, row.conducted_by) == ("supervision", "thematic", grassroots)
    event = AuditEvent.objects.filter(action="member.inspection_update").get()
    assert event.before["kind"] == "inspection" and event.after["kind"] == "supervision"


def test_inspections_under_a_subtree_follow_the_subject_and_count_by_year():
    province, grassroots, cell, lone = tree()
    person = member(cell)
    elsewhere = org(OrgKind.GRASSROOTS_CELL, org(OrgKind.PROVINCE))
    a = _inspection(grassroots, by=province)
    b = _inspection(subject_member=person, by=province, kind="supervision", basis="thematic")
    c = _inspection(lone, by=province, basis="signs")
    _inspection(elsewhere, by=elsewhere)
    _inspection(grassroots, by=province, started_on=dt.date(2024, 12, 31))
    _conclude(a, outcome="violation")
    _conclude(b)
    assert set(selectors.inspections_under(grassroots)) == {
        a,
        b,
        *Inspection.objects.filter(started_on__year=2024),
    }
    assert set(selectors.inspections_under(lone)) == {c}
    assert list(selectors.inspections_of_member(person)) == [b]
    counts = selectors.inspection_counts(province, year=2025)
    assert counts.by_kind == {"inspection": 2, "supervision": 1} and counts.total == 3
    assert counts.by_kind_basis[("inspection", "signs")] == 1
    assert counts.by_kind_basis[("supervision", "thematic")] == 1
    assert (counts.concluded, counts.violations) == (2, 1)
    assert selectors.inspection_counts(province, year=2024).total == 1
    assert selectors.inspection_counts(lone, year=2025).total == 1


# --- training -------------------------------------------------------------------------------------


def _course(organizer, kind=CourseKind.AWARENESS, **fields):
    data = {"name": "Lớp bồi dưỡng", "started_on": START, "ended_on": dt.date(2025, 3, 5)}
    data.update(fields)
    return services.course_create(actor=None, organizer=organizer, kind=kind, **data)


def _person(course, **fields):
    data = {
        "full_name": "Hoàng Thị Mai",
        "birth_date": dt.date(2000, 2, 3),
        "sex": "female",
        "cccd": "025300000123",
    }
    data.update(fields)
    return services.course_participant_add(actor=None, course=course, **data)


def test_course_dates_and_kind():
    province, *_ = tree()
    with pytest.raises(ValidationError) as error:
        _course(province, ended_on=START - dt.timedelta(days=1))
    assert "ended_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _course(province, kind="other-kind")
    assert "kind" in error.value.message_dict
    course = _course(province)
    _person(course)
    with pytest.raises(ValidationError) as error:
        services.course_update(actor=None, course=course, kind=CourseKind.NEW_MEMBER)
    assert "kind" in error.value.message_dict
    services.course_update(actor=None, course=course, name="Lớp nhận thức", place="Việt Trì")
    course.refresh_from_db()
    assert (course.name, course.place) == ("Lớp nhận thức", "Việt Trì")


def test_awareness_course_takes_non_members_only():
    province, _grassroots, cell, _lone = tree()
    person = member(cell)  # Nguyễn Văn An, 12/04/1985, 025085012345
    course = _course(province)
    with pytest.raises(ValidationError, match="đã là đảng viên"):
        services.course_participant_add(actor=None, course=course, member=person)
    with pytest.raises(ValidationError, match="đã là đảng viên"):
        _person(
            course, full_name="NGUYEN VAN AN", birth_date=dt.date(1985, 4, 12), sex="male", cccd=""
        )
    with pytest.raises(ValidationError, match="đã là đảng viên"):
        _person(
            course,
            full_name="Tên Khác",
            birth_date=dt.date(1985, 4, 12),
            sex="male",
            cccd="025085012345",
        )
    with pytest.raises(ValidationError) as error:
        _person(course, cccd="025000000123")  # born 2000 but the ID says 1900s
    assert "cccd" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _person(course, birth_date=None)
    assert "birth_date" in error.value.message_dict
    with pytest.raises(ValidationError, match="không phải cả hai|Học viên là đảng viên"):
        services.course_participant_add(actor=None, course=course)
    row = _person(course)
    assert row.name == "Hoàng Thị Mai" and row.search_name == "hoang thi mai"
    with pytest.raises(ValidationError, match="đã có trong lớp"):
        _person(course, cccd="")
    # Someone who has left the Party may attend again.
    left = member(
        cell,
        full_name="Trần Văn Cũ",
        cccd="",
        status="left",
        status_reason="Xóa tên",
        birth_date=dt.date(1980, 1, 1),
    )
    _person(course, full_name=left.full_name, birth_date=left.birth_date, sex="male", cccd="")


def test_new_member_course_takes_members_of_the_subtree_who_have_not_left():
    province, grassroots, cell, lone = tree()
    newcomer = member(cell)
    away = member(lone, full_name="Lê Văn Xa", cccd="025085000999")
    gone = member(cell, full_name="Đỗ Văn Đi", cccd="", status="left", status_reason="Chuyển")
    course = _course(grassroots, kind=CourseKind.NEW_MEMBER, name="Lớp đảng viên mới")
    with pytest.raises(ValidationError, match="chỉ nhận đảng viên"):
        _person(course)
    with pytest.raises(ValidationError, match="không còn là đảng viên"):
        services.course_participant_add(actor=None, course=course, member=gone)
    with pytest.raises(ValidationError, match="không phải đảng viên thuộc"):
        services.course_participant_add(actor=None, course=course, member=away)
    row = services.course_participant_add(actor=None, course=course, member=newcomer)
    assert row.name == "Nguyễn Văn An" and row.cccd_masked == "0250******45"
    with pytest.raises(ValidationError, match="đã có trong lớp"):
        services.course_participant_add(actor=None, course=course, member=newcomer)
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseParticipant.objects.create(course=course, member=newcomer)


def test_results_certificates_and_removal():
    province, *_ = tree()
    course = _course(province)
    mai = _person(course)
    lan = _person(course, full_name="Vũ Thị Lan", cccd="")
    with pytest.raises(ValidationError) as error:
        services.course_result_record(actor=None, participant=mai, result="completed")
    assert "completed_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.course_result_record(
            actor=None, participant=mai, result="completed", completed_on=START - dt.timedelta(1)
        )
    assert "completed_on" in error.value.message_dict
    services.course_result_record(
        actor=None,
        participant=mai,
        result="completed",
        completed_on=dt.date(2025, 3, 5),
        certificate_number=" GCN 01 ",
    )
    with pytest.raises(ValidationError) as error:
        services.course_result_record(
            actor=None,
            participant=lan,
            result="completed",
            completed_on=dt.date(2025, 3, 5),
            certificate_number="GCN01",
        )
    assert "certificate_number" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseParticipant.objects.filter(pk=lan.pk).update(
            result="completed", certificate_number="GCN01"
        )
    # The same number on another course is fine.
    other = _course(province, name="Lớp khác")
    services.course_result_record(
        actor=None,
        participant=_person(other),
        result="completed",
        completed_on=dt.date(2025, 3, 5),
        certificate_number="GCN01",
    )
    services.course_result_record(
        actor=None,
        participant=lan,
        result=CourseResult.NOT_COMPLETED,
        completed_on=dt.date(2025, 3, 5),
        certificate_number="X",
    )
    lan.refresh_from_db()
    assert (lan.result, lan.completed_on, lan.certificate_number) == ("not_completed", None, None)
    with pytest.raises(ValidationError, match="giấy chứng nhận số GCN01"):
        services.course_participant_remove(actor=None, participant=mai)
    with pytest.raises(ValidationError) as error:
        services.course_update(
            actor=None, course=course, started_on=dt.date(2025, 3, 6), ended_on=None
        )
    assert "started_on" in error.value.message_dict
    services.course_participant_remove(actor=None, participant=lan)
    assert list(course.participants.all()) == [mai]
    assert AuditEvent.objects.filter(action="member.course_participant_remove").count() == 1


def test_training_counts_by_subtree_and_year():
    province, grassroots, cell, lone = tree()
    awareness = _course(grassroots)
    _person(awareness)
    done = _person(awareness, full_name="Vũ Thị Lan", cccd="")
    services.course_result_record(
        actor=None, participant=done, result="completed", completed_on=dt.date(2025, 3, 5)
    )
    theory = _course(province, kind=CourseKind.NEW_MEMBER, name="Lý luận")
    services.course_participant_add(actor=None, course=theory, member=member(cell))
    _course(lone, started_on=dt.date(2024, 5, 1), ended_on=None)
    counts = selectors.training_counts(province, year=2025)
    assert counts.courses == {"awareness": 1, "new_member": 1, "other": 0}
    assert counts.participants == {"awareness": 2, "new_member": 1, "other": 0}
    assert counts.completed == {"awareness": 1, "new_member": 0, "other": 0}
    assert (counts.total_courses, counts.total_participants, counts.total_completed) == (2, 3, 1)
    assert selectors.training_counts(grassroots, year=2025).total_courses == 1
    assert selectors.training_counts(province, year=2024).courses["awareness"] == 1
    assert set(selectors.courses_under(grassroots)) == {awareness}
