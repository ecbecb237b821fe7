"""Self-assessment services: opening, lines (range, decimals, optimistic locking), indicators,
submission (deadline, reopening, completeness), read-only after submission; and the selectors
other steps build on."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from apps.core.models import AuditEvent
from apps.emulation import selectors, services
from apps.emulation.choices import CriterionKind, SheetState
from apps.emulation.models import Assessment, AssessmentItem, IndicatorValue
from apps.emulation.services.assessment import AssessmentItemConflict
from apps.emulation.tests.assessment_files import good_upload
from apps.emulation.tests.assessment_world import make_world
from apps.emulation.tests.factories import review_period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in their English source; the Vietnamese is checked in the views."""
    with translation.override("en"):
        yield


@pytest.fixture
def w():
    return make_world()


# --- opening -----------------------------------------------------------------------------------


def test_first_open_makes_one_line_per_item_of_the_pact_in_force(w):
    officer = w.users["officer"]
    assessment = w.open(actor=officer)
    assert assessment.pact == w.pact and assessment.state == SheetState.DRAFT
    kinds = sorted(assessment.items.values_list("criterion__kind", flat=True))
    assert kinds == ["bonus", "criterion", "criterion", "penalty"]
    assert not assessment.items.exclude(points=None).exists()
    event = AuditEvent.objects.get(action="assessment.create")
    assert event.actor == officer and event.after["lines"] == 4
    # Opening again changes nothing and records nothing.
    before = AuditEvent.objects.count()
    assert w.open(actor=officer) == assessment
    assert AuditEvent.objects.count() == before
    assert Assessment.objects.count() == 1


def test_a_unit_outside_the_term_has_no_assessment(w):
    with pytest.raises(ValidationError, match="is not a member of"):
        w.open(unit=w.outsider)
    assert not Assessment.objects.exists()


def test_no_signed_pact_no_assessment(w):
    from apps.organizations import services as org
    from apps.organizations.tests.factories import ClusterFactory

    term = org.term_create(
        actor=None, cluster=ClusterFactory(), year=2026, members=[w.member], leader=w.member
    )
    period = review_period(term)
    with pytest.raises(ValidationError, match="has no signed pact yet"):
        services.assessment_open(actor=None, period=period, unit=w.member)


def test_opening_after_the_deadline_is_refused_and_allowed_during_a_reopening(w):
    w.close()
    with pytest.raises(ValidationError, match="The deadline of the Year-end review"):
        w.open()
    w.reopen()
    assert w.open().pk


def test_opening_before_the_period_opens_is_refused(w):
    today = timezone.localdate()
    w.period.opens_on, w.period.deadline = today + dt.timedelta(days=2), today + dt.timedelta(9)
    w.period.save()
    with pytest.raises(ValidationError, match="opens on"):
        w.open()


# --- lines -------------------------------------------------------------------------------------


def test_points_are_saved_with_the_explanation_and_the_version_grows(w):
    assessment = w.open()
    line = w.line(assessment)  # 60 points at most
    officer = w.users["officer"]
    saved = services.assessment_item_update(
        actor=officer, item=line, version=0, points=Decimal("55.5"), explanation=" Đạt 9/10 "
    )
    assert (saved.points, saved.explanation, saved.version) == (Decimal("55.50"), "Đạt 9/10", 1)
    assert saved.updated_by == officer
    event = AuditEvent.objects.get(action="assessment.item_update")
    assert event.before == {"criterion": line.criterion_id, "points": None, "explanation": ""}
    assert event.after["points"] == "55.50" and event.after["version"] == 1
    # Only the explanation, over the new version.
    saved = services.assessment_item_update(actor=officer, item=line, version=1, explanation="X")
    assert (saved.points, saved.explanation, saved.version) == (Decimal("55.50"), "X", 2)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (Decimal("60.01"), "At most 60 points for this item."),
        (Decimal("61"), "At most 60 points for this item."),
        (Decimal("-1"), "Points cannot be negative."),
        (Decimal("-0.01"), "Points cannot be negative."),
        (Decimal("7.255"), "Points have at most two decimal places."),
        ("abc", "Enter a number."),
        (Decimal("NaN"), "Enter a number."),
        (Decimal("Infinity"), "Enter a number."),
    ],
)
def test_points_out_of_range_are_refused_and_nothing_changes(w, points, message):
    assessment = w.open()
    line = w.line(assessment)
    with pytest.raises(ValidationError) as error:
        services.assessment_item_update(actor=None, item=line, version=0, points=points)
    assert error.value.message_dict == {"points": [message]}
    line.refresh_from_db()
    assert (line.points, line.version) == (None, 0)
    assert not AuditEvent.objects.filter(action="assessment.item_update").exists()


def test_the_maximum_itself_and_two_decimals_are_accepted(w):
    assessment = w.open()
    line = w.line(assessment)
    assert services.assessment_item_update(
        actor=None, item=line, version=0, points=Decimal("60")
    ).points == Decimal("60")
    assert services.assessment_item_update(
        actor=None, item=line, version=1, points=Decimal("7.250")
    ).points == Decimal("7.25")  # trailing zeros are not a third decimal
    bonus = w.line(assessment, CriterionKind.BONUS)
    with pytest.raises(ValidationError, match="At most 5 points"):
        services.assessment_item_update(actor=None, item=bonus, version=0, points=Decimal("6"))


def test_two_saves_over_the_same_version_the_second_is_a_conflict(w):
    assessment = w.open()
    line = w.line(assessment)
    first, second = w.users["officer"], w.users["officer2"]
    services.assessment_item_update(
        actor=first, item=line, version=0, points=Decimal("50"), explanation="Của Mai"
    )
    with pytest.raises(AssessmentItemConflict) as conflict:
        services.assessment_item_update(
            actor=second, item=line, version=0, points=Decimal("40"), explanation="Của Hùng"
        )
    current = conflict.value.current
    assert (current.points, current.explanation, current.version) == (Decimal("50"), "Của Mai", 1)
    assert current.updated_by == first
    assert "Nông Thị Mai saved this line" in conflict.value.messages[0]
    assert "50 points" in conflict.value.messages[0]
    line.refresh_from_db()
    assert (line.points, line.explanation) == (Decimal("50"), "Của Mai")
    assert AuditEvent.objects.filter(action="assessment.item_update").count() == 1
    # Over the version just shown, the second person's save goes through.
    saved = services.assessment_item_update(
        actor=second, item=line, version=1, points=Decimal("40"), explanation="Của Hùng"
    )
    assert (saved.points, saved.version, saved.updated_by) == (Decimal("40"), 2, second)


def test_a_stale_version_that_sends_what_is_stored_is_no_conflict(w):
    assessment = w.open()
    line = w.line(assessment)
    services.assessment_item_update(actor=None, item=line, version=0, points=Decimal("10"))
    same = services.assessment_item_update(actor=None, item=line, version=0, points=Decimal("10"))
    assert same.version == 1  # nothing written, the caller learns the version


def test_the_version_guard_is_in_the_update_itself(w):
    """Simulate the other save landing between the read and the write: the UPDATE … WHERE
    version = n matches no row and nothing is overwritten."""
    assessment = w.open()
    line = w.line(assessment)
    AssessmentItem.objects.filter(pk=line.pk).update(points=Decimal("12"), version=5)
    with pytest.raises(AssessmentItemConflict):
        services.assessment_item_update(actor=None, item=line, version=4, points=Decimal("1"))
    line.refresh_from_db()
    assert (line.points, line.version) == (Decimal("12"), 5)


def test_explanation_length_is_bounded(w):
    line = w.line(w.open())
    with pytest.raises(ValidationError, match="at most 10.000 characters"):
        services.assessment_item_update(actor=None, item=line, version=0, explanation="x" * 10001)


def test_lines_cannot_change_after_the_deadline_but_can_during_a_reopening(w):
    assessment = w.open()
    line = w.line(assessment)
    w.close()
    with pytest.raises(ValidationError, match="not reopened for Ban Tổ chức Tỉnh ủy Cao Bằng"):
        services.assessment_item_update(actor=None, item=line, version=0, points=Decimal("1"))
    w.reopen(unit=w.third)  # another unit's reopening does not help
    with pytest.raises(ValidationError):
        services.assessment_item_update(actor=None, item=line, version=0, points=Decimal("1"))
    w.reopen()
    assert services.assessment_item_update(
        actor=None, item=line, version=0, points=Decimal("1")
    ).points == Decimal("1")


# --- submission --------------------------------------------------------------------------------


def test_submit_refuses_an_incomplete_assessment_naming_the_criteria(w):
    assessment = w.open()
    first = w.line(assessment)
    services.assessment_item_update(actor=None, item=first, version=0, points=Decimal("10"))
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(actor=w.users["leader"], assessment=assessment)
    assert error.value.messages == ["These criteria have no points yet: I. Tiêu chí 40"]
    assessment.refresh_from_db()
    assert assessment.state == SheetState.DRAFT


def test_submit_records_who_and_when_and_bonus_penalty_may_stay_empty(w):
    assessment = w.fill(w.open())
    leader = w.users["leader"]
    submitted = services.assessment_submit(actor=leader, assessment=assessment)
    assert submitted.state == SheetState.SUBMITTED and submitted.submitted_by == leader
    assert submitted.submitted_at and not submitted.submitted_late
    event = AuditEvent.objects.get(action="assessment.submit")
    assert event.actor == leader and event.after["late"] is False


def test_submit_after_the_deadline_is_refused_and_marked_late_during_a_reopening(w):
    assessment = w.fill(w.open())
    w.close(days_ago=2)
    with pytest.raises(ValidationError, match=r"deadline of the Year-end review \(tổng kết\) was"):
        services.assessment_submit(actor=None, assessment=assessment)
    reopening = w.reopen()
    submitted = services.assessment_submit(actor=w.users["leader"], assessment=assessment)
    assert submitted.submitted_late is True
    assert AuditEvent.objects.get(action="assessment.submit").after["reopening"] == reopening.pk


def test_submit_on_the_deadline_day_is_on_time(w):
    assessment = w.fill(w.open())
    w.period.deadline = timezone.localdate()
    w.period.save()
    assert services.assessment_submit(actor=None, assessment=assessment).submitted_late is False


def test_a_submitted_assessment_is_read_only_for_every_write(w):
    assessment = w.open()
    evidence = services.evidence_add(actor=None, item=w.line(assessment), upload=good_upload())
    w.fill(assessment)
    services.assessment_submit(actor=None, assessment=assessment)
    line = w.line(assessment)
    line.refresh_from_db()
    message = "This self-assessment is Submitted"
    writes = [
        lambda: services.assessment_item_update(
            actor=None, item=line, version=line.version, points=Decimal("1")
        ),
        lambda: services.evidence_add(actor=None, item=line, upload=good_upload("so-do.png")),
        lambda: services.evidence_delete(actor=None, evidence=evidence),
        lambda: services.indicator_values_set(
            actor=None, assessment=assessment, values={"inspections": (Decimal(1), "")}
        ),
    ]
    for write in writes:
        with pytest.raises(ValidationError, match=message):
            write()
    with pytest.raises(ValidationError, match="only a draft can be submitted"):
        services.assessment_submit(actor=None, assessment=assessment)
    # Even a reopening does not make a submitted assessment editable.
    w.reopen()
    with pytest.raises(ValidationError, match=message):
        services.assessment_item_update(
            actor=None, item=line, version=line.version, points=Decimal("1")
        )


# --- indicators --------------------------------------------------------------------------------


def test_indicator_values_are_set_changed_and_cleared(w):
    assessment = w.open()
    services.indicator_values_set(
        actor=None,
        assessment=assessment,
        values={
            "good_practices": (Decimal("5"), "Mô hình dân vận khéo"),
            "members_with_cccd_pct": (Decimal("99.5"), ""),
            "support_money": (Decimal("70000000"), ""),
            "inspections": (None, ""),
        },
    )
    values = {v.indicator.code: v.value for v in assessment.indicator_values.all()}
    assert values == {
        "good_practices": Decimal("5"),
        "members_with_cccd_pct": Decimal("99.5"),
        "support_money": Decimal("70000000"),
    }
    event = AuditEvent.objects.get(action="assessment.indicators_set")
    assert set(event.after) == {"good_practices", "members_with_cccd_pct", "support_money"}
    # Same values again: nothing recorded. Clearing one removes it.
    before = AuditEvent.objects.count()
    services.indicator_values_set(
        actor=None,
        assessment=assessment,
        values={"good_practices": (Decimal(5), "Mô hình dân vận khéo")},
    )
    assert AuditEvent.objects.count() == before
    services.indicator_values_set(
        actor=None, assessment=assessment, values={"good_practices": (None, "")}
    )
    assert not IndicatorValue.objects.filter(indicator__code="good_practices").exists()


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("members_with_cccd_pct", Decimal("100.01"), "A percentage cannot be above 100."),
        ("good_practices", Decimal("-1"), "An indicator value cannot be negative."),
        ("good_practices", Decimal("2.5"), "Enter a whole number."),
        ("support_money", Decimal("1.5"), "Enter a whole number."),
        ("members_with_cccd_pct", Decimal("99.999"), "At most two decimal places."),
        ("good_practices", "nhiều", "Enter a number."),
    ],
)
def test_bad_indicator_values_are_refused_by_code(w, code, value, message):
    assessment = w.open()
    with pytest.raises(ValidationError) as error:
        services.indicator_values_set(
            actor=None,
            assessment=assessment,
            values={code: (value, ""), "inspections": (Decimal(2), "")},
        )
    assert error.value.message_dict == {code: [message]}
    assert not assessment.indicator_values.exists()  # nothing written, not even the good one


def test_unknown_or_retired_indicators_are_refused(w):
    from apps.emulation.models import Indicator

    Indicator.objects.filter(code="supervisions").update(active=False)
    with pytest.raises(ValidationError, match="supervisions, tuyen-truyen"):
        services.indicator_values_set(
            actor=None,
            assessment=w.open(),
            values={"tuyen-truyen": (Decimal(1), ""), "supervisions": (Decimal(1), "")},
        )


def _submitted_with(w, unit, indicators, points=Decimal("30")):
    assessment = w.fill(w.open(unit=unit), points)
    services.indicator_values_set(
        actor=None, assessment=assessment, values={k: (v, "") for k, v in indicators.items()}
    )
    return services.assessment_submit(actor=None, assessment=assessment)


def test_indicator_totals_sum_counts_and_money_and_average_percentages(w):
    _submitted_with(
        w,
        w.member,
        {"good_practices": Decimal(5), "members_with_cccd_pct": Decimal(100), "support_money": 7},
    )
    _submitted_with(
        w,
        w.third,
        {
            "good_practices": Decimal(7),
            "members_with_cccd_pct": Decimal("95.5"),
            "support_money": 3,
        },
    )
    draft = w.open(unit=w.lead)  # a draft does not count
    services.indicator_values_set(
        actor=None, assessment=draft, values={"good_practices": (Decimal(100), "")}
    )
    totals = {t.indicator.code: t for t in selectors.indicator_totals(term_ids=[w.term.pk])}
    assert totals["good_practices"].value == Decimal(12)
    assert totals["good_practices"].units == 2
    assert totals["members_with_cccd_pct"].value == Decimal("97.75")
    assert totals["members_with_cccd_pct"].is_mean
    assert totals["support_money"].value == Decimal(10)
    assert "inspections" not in totals
    by_period = selectors.indicator_totals(period_ids=[w.period.pk], submitted_only=False)
    assert {t.indicator.code: t.value for t in by_period}["good_practices"] == Decimal(112)
    # A term's mid-year period is not added to its year-end one.
    assert selectors.indicator_totals(term_ids=[w.term.pk], period_kind="mid_year") == []
    assert selectors.indicator_values_by_unit(period=w.period, code="good_practices") == {
        "good_practices": {w.member.pk: Decimal(5), w.third.pk: Decimal(7)}
    }


def test_self_points_selectors_for_cross_scoring(w):
    submitted = _submitted_with(w, w.member, {}, points=Decimal("20"))
    draft = w.fill(w.open(unit=w.third), Decimal("10"))
    by_unit = selectors.self_points(period=w.period)
    assert set(by_unit) == {w.member.pk}
    lines = {i.criterion.title: i.criterion_id for i in submitted.items.select_related("criterion")}
    assert by_unit[w.member.pk][lines["Tiêu chí 60"]] == Decimal("20")
    assert by_unit[w.member.pk][lines["Điểm thưởng"]] is None
    assert w.third.pk in selectors.self_points(period=w.period, submitted_only=False)
    # Only the criterion scored by the unit itself counts directly.
    assert selectors.self_scored_points(period=w.period) == {
        w.member.pk: {lines["Tiêu chí 40"]: Decimal("20")}
    }
    assert draft.state == SheetState.DRAFT


def test_running_total_is_criteria_plus_bonus_minus_penalty(w):
    assessment = w.open()
    for kind, points in [
        (CriterionKind.CRITERION, Decimal("50")),
        (CriterionKind.BONUS, Decimal("2.5")),
        (CriterionKind.PENALTY, Decimal("1")),
    ]:
        services.assessment_item_update(
            actor=None, item=w.line(assessment, kind), version=0, points=points
        )
    totals = selectors.assessment_totals(assessment=assessment)
    assert (totals.criteria, totals.bonus, totals.penalty) == (50, Decimal("2.5"), 1)
    assert totals.total == Decimal("51.5")
    assert (totals.filled, totals.required, totals.missing) == (1, 2, 1)
