"""Cross-scoring services: who scores what, sheets, optimistic locking, submitting, final scores."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.core.models import AuditEvent
from apps.emulation import selectors, services
from apps.emulation.choices import SheetState
from apps.emulation.models import (
    Assessment,
    FinalScore,
    PeriodReopening,
    Score,
    ScoreSheet,
)
from apps.emulation.tests.scenarios_scoring import (
    BONUS,
    CRIT,
    PENALTY,
    SELF,
    P,
    X,
    fill_all,
    fill_sheet,
    scoring_setup,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in their English source; one test checks the Vietnamese."""
    with translation.override("en"):
        yield


@pytest.fixture
def setup():
    # A leads, B deputises: the panel is A and B. C and D are members.
    return scoring_setup(count=4)


def _officer(unit, role=Role.UNIT_OFFICER, name=None):
    return UserFactory(role=role, unit=unit, full_name=name or f"Cán bộ {unit.short_name}")


# --- who scores what ---------------------------------------------------------------------------


def test_plan_members_score_peers_criteria_and_the_panel_its_own(setup):
    a, b, c, d = setup.units
    plan = selectors.scoring_plan(period=setup.period)
    titles = lambda unit: [x.title for x in plan.criteria_for(unit.pk)]  # noqa: E731
    # C is a member only: the peers' criteria (criterion, bonus, penalty), never self/panel ones.
    assert titles(c) == ["Công tác cán bộ", "Điểm thưởng", "Điểm trừ"]
    # A sits on the panel: the panel criterion too.
    assert titles(a) == [
        "Công tác cán bộ",
        "Sắp xếp tổ chức bộ máy",
        "Điểm thưởng",
        "Điểm trừ",
    ]
    pairs = plan.expected_pairs()
    assert len(pairs) == 12 and all(s != t for s, t in pairs)
    panel_criterion = setup.criterion("Sắp xếp tổ chức bộ máy")
    # A panel unit's panel criterion is scored by the other panel members only.
    assert plan.scorer_ids_for(a.pk, panel_criterion) == {b.pk}
    assert plan.scorer_ids_for(c.pk, panel_criterion) == {a.pk, b.pk}
    assert plan.scorer_ids_for(c.pk, setup.criterion("Cập nhật dữ liệu đảng viên")) == set()


def test_panel_only_pact_needs_sheets_from_the_panel_only():
    s = scoring_setup(count=4, criteria=(("Chỉ hội đồng", 20, X, CRIT),))
    a, b, c, d = s.units
    plan = selectors.scoring_plan(period=s.period)
    assert sorted(plan.expected_pairs()) == sorted(
        [(a.pk, t.pk) for t in (b, c, d)] + [(b.pk, t.pk) for t in (a, c, d)]
    )
    with pytest.raises(ValidationError, match="no criteria to score"):
        services.score_sheet_start(actor=None, period=s.period, scorer=c, target=d)


def test_sheet_lists_only_the_criteria_of_its_scorer(setup):
    a, b, c, d = setup.units
    sheet = services.score_sheet_start(actor=None, period=setup.period, scorer=c, target=a)
    assert [s.criterion.title for s in sheet.scores.select_related("criterion")] == [
        "Công tác cán bộ",
        "Điểm thưởng",
        "Điểm trừ",
    ]
    panel_sheet = services.score_sheet_start(actor=None, period=setup.period, scorer=b, target=c)
    assert panel_sheet.scores.count() == 4
    assert sheet.state == SheetState.DRAFT
    event = AuditEvent.objects.get(action="score_sheet.start", object_id=str(sheet.pk))
    assert event.after["target"]["id"] == a.pk


def test_a_unit_never_scores_itself_service_and_database(setup):
    a = setup.units[0]
    with pytest.raises(ValidationError, match="never scores itself"):
        services.score_sheet_start(actor=None, period=setup.period, scorer=a, target=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.create(period=setup.period, scorer=a, target=a)


def test_start_is_refused_for_an_outsider_target(setup):
    from apps.organizations.tests.factories import UnitFactory

    with pytest.raises(ValidationError, match="is not a member"):
        services.score_sheet_start(
            actor=None, period=setup.period, scorer=setup.units[1], target=UnitFactory()
        )


def test_start_waits_for_the_targets_self_assessment():
    s = scoring_setup(count=3, assess=False)
    a, b, c = s.units
    with pytest.raises(ValidationError, match="has not submitted its self-assessment"):
        services.score_sheet_start(actor=None, period=s.period, scorer=a, target=b)
    draft = Assessment.objects.create(period=s.period, unit=b, pact=s.pact)
    with pytest.raises(ValidationError, match="has not submitted"):
        services.score_sheet_start(actor=None, period=s.period, scorer=a, target=b)
    draft.state = SheetState.SUBMITTED
    draft.save(update_fields=["state"])
    assert services.score_sheet_start(actor=None, period=s.period, scorer=a, target=b).pk


def test_start_twice_returns_the_same_sheet_without_a_second_event(setup):
    a, b = setup.units[:2]
    first = services.score_sheet_start(actor=None, period=setup.period, scorer=b, target=a)
    events = AuditEvent.objects.count()
    again = services.score_sheet_start(actor=None, period=setup.period, scorer=b, target=a)
    assert again.pk == first.pk and AuditEvent.objects.count() == events
    assert ScoreSheet.objects.filter(period=setup.period, scorer=b, target=a).count() == 1


def test_closed_period_refuses_scores_until_reopened_for_the_unit():
    today = timezone.localdate()
    s = scoring_setup(
        count=3, opens_on=today - dt.timedelta(days=30), deadline=today - dt.timedelta(days=1)
    )
    a, b, c = s.units
    with pytest.raises(ValidationError, match="does not accept scores"):
        services.score_sheet_start(actor=None, period=s.period, scorer=b, target=a)
    PeriodReopening.objects.create(period=s.period, unit=b, until=today, reason="Ốm")
    assert services.score_sheet_start(actor=None, period=s.period, scorer=b, target=a)
    with pytest.raises(ValidationError, match="does not accept scores"):
        services.score_sheet_start(actor=None, period=s.period, scorer=c, target=a)


# --- saving a line -----------------------------------------------------------------------------


@pytest.fixture
def sheet(setup):
    a, b, c, d = setup.units
    return services.score_sheet_start(actor=None, period=setup.period, scorer=c, target=d)


def _line(sheet, title="Công tác cán bộ"):
    return sheet.scores.select_related("criterion").get(criterion__title=title)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "cannot be negative"),
        ("60.01", "At most 60 points"),
        ("12.345", "at most two decimal places"),
        ("abc", "Enter a number"),
        ("NaN", "Enter a number"),
    ],
)
def test_points_are_checked(sheet, value, message):
    score = _line(sheet)
    with pytest.raises(ValidationError, match=message) as caught:
        services.score_update(actor=None, score=score, version=0, points=value)
    assert "points" in caught.value.message_dict
    score.refresh_from_db()
    assert score.points is None and score.version == 0


def test_save_bumps_the_version_and_is_audited(sheet):
    officer = _officer(sheet.scorer)
    score = _line(sheet)
    saved = services.score_update(
        actor=officer, score=score, version=0, points="45.5", comment="Đạt khá"
    )
    assert saved.points == Decimal("45.50") and saved.version == 1
    assert saved.updated_by == officer and saved.comment == "Đạt khá"
    event = AuditEvent.objects.get(action="score.update")
    assert event.object_id == str(sheet.pk) and event.actor == officer
    assert event.before["points"] is None and event.after["points"] == "45.50"
    # The same values again: nothing changes, nothing is recorded.
    services.score_update(actor=officer, score=saved, version=1, points="45.50")
    assert AuditEvent.objects.filter(action="score.update").count() == 1
    assert Score.objects.get(pk=score.pk).version == 1
    # Emptying a draft line is allowed; leaving points out keeps them.
    services.score_update(actor=officer, score=saved, version=1, comment="Chỉ sửa nhận xét")
    assert Score.objects.get(pk=score.pk).points == Decimal("45.50")
    cleared = services.score_update(actor=officer, score=saved, version=2, points="")
    assert cleared.points is None and cleared.version == 3


def test_two_officers_saving_the_same_version_never_lose_work(sheet):
    first = _officer(sheet.scorer, name="Lê Thị Lan")
    second = _officer(sheet.scorer, name="Trần Văn Hùng")
    # Both opened the sheet at version 0.
    seen_by_first = _line(sheet)
    seen_by_second = _line(sheet)
    services.score_update(actor=first, score=seen_by_first, version=0, points="50")
    with pytest.raises(services.ScoreConflict) as caught:
        services.score_update(actor=second, score=seen_by_second, version=0, points="40")
    conflict = caught.value
    assert conflict.current.points == Decimal("50.00") and conflict.current.version == 1
    assert conflict.current.updated_by == first
    assert "Lê Thị Lan" in conflict.messages[0] and "50" in conflict.messages[0]
    stored = Score.objects.get(pk=seen_by_first.pk)
    assert stored.points == Decimal("50.00") and stored.version == 1
    # With the version the conflict named, the second officer's value goes in deliberately.
    services.score_update(actor=second, score=seen_by_second, version=1, points="40")
    assert Score.objects.get(pk=stored.pk).points == Decimal("40.00")
    assert AuditEvent.objects.filter(action="score.update").count() == 2


def test_conflict_message_in_vietnamese(sheet):
    first = _officer(sheet.scorer, name="Lê Thị Lan")
    services.score_update(actor=first, score=_line(sheet), version=0, points="12.5")
    with translation.override("vi"), pytest.raises(services.ScoreConflict) as caught:
        services.score_update(actor=None, score=_line(sheet), version=0, points="1")
    message = caught.value.messages[0]
    assert "Lê Thị Lan" in message and "12,5" in message and "đã lưu" in message


# --- submitting --------------------------------------------------------------------------------


def test_submit_needs_every_line_then_locks_the_sheet(sheet):
    leader = _officer(sheet.scorer, role=Role.UNIT_LEADER)
    services.score_update(actor=None, score=_line(sheet), version=0, points="50")
    with pytest.raises(ValidationError, match="empty: Điểm thưởng; Điểm trừ"):
        services.score_sheet_submit(actor=leader, sheet=sheet)
    for title in ("Điểm thưởng", "Điểm trừ"):
        services.score_update(actor=None, score=_line(sheet, title), version=0, points="0")
    submitted = services.score_sheet_submit(actor=leader, sheet=sheet)
    assert submitted.state == SheetState.SUBMITTED and submitted.submitted_by == leader
    assert AuditEvent.objects.filter(action="score_sheet.submit").count() == 1
    with pytest.raises(ValidationError, match="Submitted and can no longer be changed"):
        services.score_update(actor=None, score=_line(sheet), version=1, points="10")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.score_sheet_submit(actor=leader, sheet=sheet)


def test_submit_refused_after_the_deadline(setup):
    a, b, c, d = setup.units
    sheet = fill_sheet(setup.period, c, d, submit=False)
    setup.period.deadline = timezone.localdate() - dt.timedelta(days=1)
    setup.period.save(update_fields=["deadline"])
    with pytest.raises(ValidationError, match="does not accept scores"):
        services.score_sheet_submit(actor=None, sheet=sheet)


# --- final scores ------------------------------------------------------------------------------


def test_final_score_needs_a_reason_only_when_it_differs(setup):
    a, b, c, d = setup.units
    criterion = setup.criterion("Công tác cán bộ")
    fill_sheet(setup.period, a, d, {"Công tác cán bộ": 50})
    fill_sheet(setup.period, b, d, {"Công tác cán bộ": 45})
    secretary = _officer(a)
    assert selectors.computed_score(period=setup.period, unit=d, criterion=criterion) == Decimal(
        "47.50"
    )
    with pytest.raises(ValidationError, match=r"differs from the computed one \(47,5\)") as caught:
        services.final_score_set(
            actor=secretary, period=setup.period, unit=d, criterion=criterion, points="48"
        )
    assert "reason" in caught.value.message_dict
    same = services.final_score_set(
        actor=secretary, period=setup.period, unit=d, criterion=criterion, points="47.5"
    )
    assert same.reason == "" and same.computed == Decimal("47.50")
    changed = services.final_score_set(
        actor=secretary,
        period=setup.period,
        unit=d,
        criterion=criterion,
        points="48",
        reason="  Bổ sung minh chứng tại hội nghị  ",
    )
    assert changed.pk == same.pk and changed.points == Decimal("48.00")
    assert changed.reason == "Bổ sung minh chứng tại hội nghị" and changed.decided_by == secretary
    events = AuditEvent.objects.filter(action="final_score.set").order_by("id")
    assert [e.after["points"] for e in events] == ["47.50", "48.00"]
    assert events[1].before["points"] == "47.50" and events[1].object_id == str(setup.period.pk)
    # The same decision again records nothing.
    services.final_score_set(
        actor=secretary,
        period=setup.period,
        unit=d,
        criterion=criterion,
        points="48",
        reason="Bổ sung minh chứng tại hội nghị",
    )
    assert events.count() == 2


def test_final_score_is_checked(setup):
    a, b, c, d = setup.units
    criterion = setup.criterion("Công tác cán bộ")
    with pytest.raises(ValidationError, match="At most 60"):
        services.final_score_set(
            actor=None, period=setup.period, unit=d, criterion=criterion, points="61", reason="x"
        )
    with pytest.raises(ValidationError, match="Enter the final score"):
        services.final_score_set(
            actor=None, period=setup.period, unit=d, criterion=criterion, points="", reason="x"
        )
    # Nothing computed yet: any final score needs its reason.
    with pytest.raises(ValidationError, match=r"computed one \(none\)"):
        services.final_score_set(
            actor=None, period=setup.period, unit=d, criterion=criterion, points="30"
        )
    other = scoring_setup(count=2)
    with pytest.raises(ValidationError, match="not in the pact in force"):
        services.final_score_set(
            actor=None,
            period=setup.period,
            unit=d,
            criterion=other.criteria[0],
            points="1",
            reason="x",
        )
    from apps.organizations.tests.factories import UnitFactory

    with pytest.raises(ValidationError, match="is not a member"):
        services.final_score_set(
            actor=None,
            period=setup.period,
            unit=UnitFactory(),
            criterion=criterion,
            points="1",
            reason="x",
        )
    assert not FinalScore.objects.exists()


def test_reconciliation_marks_a_final_score_whose_scores_changed_later(setup):
    a, b, c, d = setup.units
    criterion = setup.criterion("Công tác cán bộ")
    fill_sheet(setup.period, a, d, {"Công tác cán bộ": 50})
    services.final_score_set(
        actor=None, period=setup.period, unit=d, criterion=criterion, points="50"
    )
    line = selectors.reconciliation(period=setup.period, unit_id=d.pk).selected.lines[0]
    assert not line.final_is_stale
    fill_sheet(setup.period, b, d, {"Công tác cán bộ": 40})
    line = selectors.reconciliation(period=setup.period, unit_id=d.pk).selected.lines[0]
    assert line.computed == Decimal("45.00") and line.final_is_stale
    assert line.counted == Decimal("50.00")


# --- reconciliation figures --------------------------------------------------------------------


def test_mean_spread_and_flags(setup):
    a, b, c, d = setup.units  # flag margin 20 percent: 12 of 60 points
    submit = {"Công tác cán bộ": 60}
    fill_sheet(setup.period, a, d, {"Công tác cán bộ": 60})
    fill_sheet(setup.period, b, d, {"Công tác cán bộ": 50})
    fill_sheet(setup.period, c, d, {"Công tác cán bộ": 20})
    assert submit
    recon = selectors.reconciliation(period=setup.period, unit_id=d.pk)
    line = recon.selected.lines[0]
    assert line.self_points == Decimal("60.00")
    assert [(s.unit_name, s.points) for s in line.scores] == [
        (a.short_name, Decimal("60.00")),
        (b.short_name, Decimal("50.00")),
        (c.short_name, Decimal("20.00")),
    ]
    assert line.mean == Decimal("43.33") and line.spread == Decimal("40.00")
    assert line.margin == Decimal("12.00")
    assert [s.flagged for s in line.scores] == [True, False, True]
    assert line.self_flag  # 60 against 43.33
    assert recon.selected.sheets_submitted == 3 and recon.selected.sheets_expected == 3
    # Drafts do not count.
    assert all(u.unit != d or u.flags == 3 for u in recon.units)


def test_mean_rounds_half_up():
    s = scoring_setup(count=3, criteria=(("Một", 20, P, CRIT),))
    a, b, c = s.units
    fill_sheet(s.period, b, a, {"Một": "10.01"})
    fill_sheet(s.period, c, a, {"Một": "10.00"})
    line = selectors.reconciliation(period=s.period, unit_id=a.pk).selected.lines[0]
    assert line.mean == Decimal("10.01")  # 10.005 rounds up, not to even


def test_draft_scores_do_not_count(setup):
    a, b, c, d = setup.units
    fill_sheet(setup.period, a, d, {"Công tác cán bộ": 60})
    fill_sheet(setup.period, b, d, {"Công tác cán bộ": 10}, submit=False)
    line = selectors.reconciliation(period=setup.period, unit_id=d.pk).selected.lines[0]
    assert line.mean == Decimal("60.00") and len(line.scores) == 1


def test_self_criteria_take_the_units_own_points():
    s = scoring_setup(count=3, criteria=(("Tự chấm", 10, SELF, CRIT), ("Chấm chéo", 10, P, CRIT)))
    a, b, c = s.units
    from apps.emulation.tests.scenarios_scoring import submit_assessment

    submit_assessment(s.period, b, s.pact, points={"Tự chấm": "7.25"})
    recon = selectors.reconciliation(period=s.period, unit_id=b.pk)
    line = recon.selected.lines[0]
    assert line.computed == Decimal("7.25") and line.scores == [] and not line.self_flag
    assert line.expected_scorers == 0


def test_progress_counts_expected_started_and_submitted(setup):
    a, b, c, d = setup.units
    fill_sheet(setup.period, c, a)
    fill_sheet(setup.period, c, b, submit=False)
    progress = {p.unit.pk: p for p in selectors.scoring_progress(period=setup.period)}
    assert (progress[c.pk].expected, progress[c.pk].started, progress[c.pk].submitted) == (3, 2, 1)
    assert progress[a.pk].started == 0 and not progress[a.pk].done
    rows = selectors.scorer_sheets(period=setup.period, scorer=c)
    assert [r.target for r in rows] == [a, b, d]
    assert [(r.lines, r.filled, r.state) for r in rows] == [
        (3, 3, "submitted"),
        (3, 3, "draft"),
        (3, 0, "none"),
    ]
    fill_all(setup)
    assert all(p.done for p in selectors.scoring_progress(period=setup.period))


def test_bonus_and_penalty_are_scored_like_criteria():
    s = scoring_setup(
        count=3,
        criteria=(("Một", 10, P, CRIT), ("Thưởng", 5, P, BONUS), ("Trừ", 5, P, PENALTY)),
    )
    a, b, c = s.units
    fill_sheet(s.period, b, a, {"Một": 8, "Thưởng": 2, "Trừ": 1})
    fill_sheet(s.period, c, a, {"Một": 9, "Thưởng": 3, "Trừ": 2})
    row = next(r for r in selectors.compute_ranking(s.period).rows if r.unit == a)
    assert row.criteria_points == Decimal("8.50")
    assert row.bonus_points == Decimal("2.50") and row.penalty_points == Decimal("1.50")
    assert row.total == Decimal("9.50")
