"""Classification of party organisations (QĐ 366): every step allowed and refused from every state,
the level capped by the score and a disqualifying fact, who appraises and who decides, the
deciding committee's quota of "xuất sắc" on both sides of 20 % and 25 %, the audit rows, and the
grassroots roll-up against the target."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent
from apps.members import selectors_orgs, services
from apps.members.choices import ORG_TRANSITIONS, OrgClassificationState, OrgKind
from apps.members.models import OrgClassification
from apps.members.org_classification import deciding_org
from apps.members.tests.factories import org, tree

pytestmark = pytest.mark.django_db

YEAR = 2025
DAY = dt.date(2026, 1, 15)


def self_assess(o, score=85, **kw):
    return services.org_classification_self_assess(actor=None, org=o, year=YEAR, score=score, **kw)


def appraise(o, level="good", **kw):
    return services.org_classification_appraise(actor=None, org=o, year=YEAR, level=level, **kw)


def decide(o, level="good", approved=False, number="01-QĐ/ĐU"):
    return services.org_classification_decide(
        actor=None,
        org=o,
        year=YEAR,
        level=level,
        decision_number=number,
        decision_date=DAY,
        approved=approved,
    )


def codes(error: ValidationError) -> set[str]:
    """The codes of a service error, field by field or not (the texts are translated)."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def fails(code, call, *args, **kwargs):
    with pytest.raises(ValidationError) as error:
        call(*args, **kwargs)
    assert code in codes(error.value), codes(error.value)
    return error.value


def to_state(o, state, score=95):
    """Bring ``o``'s record to ``state`` (None: no record)."""
    if state is None:
        return
    self_assess(o, score=score)
    if state in {"appraised", "decided"}:
        appraise(o, level="good" if score >= 70 else "complete")
    if state == "decided":
        decide(o, level="good")


STEPS = {
    "self_assess": lambda o: self_assess(o),
    "appraise": lambda o: appraise(o),
    "decide": lambda o: decide(o),
}


@pytest.mark.parametrize("step", sorted(ORG_TRANSITIONS))
@pytest.mark.parametrize("state", [None, "self_assessed", "appraised", "decided"])
def test_every_step_from_every_state(step, state):
    _province, grassroots, _cell, _lone = tree()
    to_state(grassroots, state)
    sources, target, _who = ORG_TRANSITIONS[step]
    if state in sources:
        record = STEPS[step](grassroots)
        assert record.state == target
    else:
        error = fails("wrong_state", STEPS[step], grassroots)
        text = " ".join(error.messages)
        # Both states are named: where the record is, and where the step may start from.
        here = OrgClassificationState(state).label if state else "Not started"
        assert str(here) in text or state is None
        assert all(str(OrgClassificationState(s).label) in text for s in sources if s)
        record = OrgClassification.objects.filter(organization=grassroots, year=YEAR).first()
        assert (record.state if record else None) == state


def test_the_three_steps_record_what_each_level_said_and_audit_each():
    province, grassroots, _cell, _lone = tree()
    before = AuditEvent.objects.count()
    record = self_assess(grassroots, score=Decimal("92.5"), comment="Tự đánh giá tốt")
    assert (record.self_level, record.self_score) == ("excellent", Decimal("92.5"))
    record = appraise(grassroots, level="good", comment="Chưa đủ điều kiện xuất sắc")
    assert record.appraised_level == "good" and record.appraised_at is not None
    record = decide(grassroots, level="good", number="15-QĐ/TU")
    assert record.state == "decided" and record.level == "good"
    assert record.decided_by == province and record.decision_number == "15-QĐ/TU"
    actions = list(AuditEvent.objects.order_by("id")[before:].values_list("action", flat=True))
    assert actions == [
        "member.org_classification_self_assess",
        "member.org_classification_appraise",
        "member.org_classification_decide",
    ]


def test_self_assessment_can_be_revised_until_appraised():
    _province, grassroots, _cell, _lone = tree()
    self_assess(grassroots, score=75)
    record = self_assess(grassroots, score=60)
    assert record.self_level == "complete"
    assert OrgClassification.objects.filter(organization=grassroots).count() == 1


@pytest.mark.parametrize(
    ("score", "level", "disqualified", "ok"),
    [
        (90, "excellent", "", True),
        (Decimal("89.99"), "excellent", "", False),
        (Decimal("89.99"), "good", "", True),
        (70, "good", "", True),
        (Decimal("69.99"), "good", "", False),
        (50, "complete", "", True),
        (Decimal("49.99"), "complete", "", False),
        (95, "incomplete", "", True),  # a lower level than the score allows is the organisation's
        (95, "complete", "Kỷ luật khiển trách", False),
        (95, "incomplete", "Kỷ luật khiển trách", True),
    ],
)
def test_the_level_is_capped_by_the_score_and_a_disqualifying_fact(score, level, disqualified, ok):
    _province, grassroots, _cell, _lone = tree()
    if ok:
        assert self_assess(grassroots, score=score, level=level, disqualified=disqualified)
    else:
        fails(
            "disqualified" if disqualified else "level_cap",
            self_assess,
            grassroots,
            score=score,
            level=level,
            disqualified=disqualified,
        )


def test_disqualified_organisation_cannot_be_appraised_or_decided_above_incomplete():
    _province, grassroots, _cell, _lone = tree()
    self_assess(grassroots, score=95, disqualified="Kỷ luật cảnh cáo", level="incomplete")
    fails("disqualified", appraise, grassroots, level="good")
    appraise(grassroots, level="incomplete")
    fails("disqualified", decide, grassroots, level="complete")
    assert decide(grassroots, level="incomplete").level == "incomplete"


@pytest.mark.parametrize("score", [-1, "101", "abc", None])
def test_bad_scores_are_refused(score):
    _province, grassroots, _cell, _lone = tree()
    fails("score", self_assess, grassroots, score=score)


def test_kinds_not_classified_here_are_refused():
    province, *_ = tree()
    above = org(OrgKind.ABOVE_GRASSROOTS, province)
    for target in (province, above):
        fails("not_classified", self_assess, target)


def test_decision_needs_its_number_and_a_date_not_in_the_future():
    _province, grassroots, _cell, _lone = tree()
    to_state(grassroots, "appraised")
    fails("required", decide, grassroots, number=" ")
    fails(
        "date",
        services.org_classification_decide,
        actor=None,
        org=grassroots,
        year=YEAR,
        level="good",
        decision_number="1",
        decision_date=dt.date.today() + dt.timedelta(days=1),
    )


def test_who_decides():
    province, grassroots, cell, lone = tree()
    section = org(OrgKind.SECTION, grassroots)
    under_section = org(OrgKind.CELL, section)
    above = org(OrgKind.ABOVE_GRASSROOTS, province)
    grassroots_below = org(OrgKind.GRASSROOTS, above)
    assert deciding_org(grassroots) == province
    assert deciding_org(lone) == province
    assert deciding_org(cell) == grassroots
    assert deciding_org(section) == grassroots
    assert deciding_org(under_section) == grassroots  # the section appraises, the committee decides
    assert deciding_org(grassroots_below) == above


def _cells(parent, n):
    return [org(OrgKind.CELL, parent) for _ in range(n)]


def _decided(cells, level):
    for cell in cells:
        to_state(cell, "appraised")
        decide(cell, level=level)


@pytest.mark.parametrize(
    ("good", "excellent_before", "approved", "ok"),
    [
        (5, 0, False, True),  # 1 of 5 good = 20 %
        (5, 1, False, False),  # 2 of 5 > 20 %
        (10, 1, False, True),  # 2 of 10 = 20 %
        (4, 0, False, False),  # 1 of 4 > 20 % …
        (4, 0, True, True),  # … but = 25 % with approval
        (8, 1, True, True),  # 2 of 8 = 25 %
        (8, 2, True, False),  # 3 of 8 > 25 %
    ],
)
def test_the_deciding_committees_quota_of_excellent(good, excellent_before, approved, ok):
    _province, grassroots, _cell, _lone = tree()
    _decided(_cells(grassroots, good), "good")
    for cell in _cells(grassroots, excellent_before):
        to_state(cell, "appraised")
        decide(cell, level="excellent", approved=True)
    candidate = _cells(grassroots, 1)[0]
    to_state(candidate, "appraised")
    if ok:
        assert decide(candidate, level="excellent", approved=approved).level == "excellent"
    else:
        error = fails("quota", decide, candidate, level="excellent", approved=approved)
        assert grassroots.name in " ".join(error.messages)
        candidate_record = OrgClassification.objects.get(organization=candidate)
        assert candidate_record.state == "appraised"


def test_the_quota_is_per_deciding_committee():
    province, grassroots, _cell, _lone = tree()
    other = org(OrgKind.GRASSROOTS, province)
    _decided(_cells(other, 5), "good")  # another committee's "good" do not count
    candidate = _cells(grassroots, 1)[0]
    to_state(candidate, "appraised")
    fails("quota", decide, candidate, level="excellent")


def test_grassroots_roll_up_against_the_target():
    province = org(OrgKind.PROVINCE)
    grassroots = [org(OrgKind.GRASSROOTS, province) for _ in range(9)] + [
        org(OrgKind.GRASSROOTS_CELL, province)
    ]
    levels = ["good"] * 8 + ["complete", "incomplete"]
    for o, level in zip(grassroots, levels, strict=True):
        to_state(o, "appraised", score=80 if level == "good" else 60)
        decide(o, level=level)
    cells = _cells(grassroots[0], 3)  # cells are decided but are not grassroots organisations
    _decided(cells, "complete")
    summary = selectors_orgs.org_classification_summary(province, year=YEAR)
    assert summary.classified == 10 and summary.good_or_better == 8
    assert summary.good_or_better_percent == Decimal("80.00") and not summary.meets_target
    # One more "good" grassroots organisation: 9 of 11 = 81.82 %; at target 80 it is met.
    extra = org(OrgKind.GRASSROOTS, province)
    to_state(extra, "appraised", score=80)
    decide(extra, level="good")
    summary = selectors_orgs.org_classification_summary(province, year=YEAR, target=80)
    assert summary.good_or_better_percent == Decimal("81.82") and summary.meets_target
    # Not decided yet: not counted.
    pending = org(OrgKind.GRASSROOTS, province)
    to_state(pending, "appraised", score=80)
    assert selectors_orgs.org_classification_summary(province, year=YEAR).classified == 11
