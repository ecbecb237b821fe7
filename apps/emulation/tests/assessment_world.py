"""The world the self-assessment tests share: a 2025 term of three member units with a signed
pact (criteria of 60 and 40 points, a bonus of up to 5, a penalty of up to 5), a year-end period
open today, one unit outside the term, and an account per role."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.emulation import services
from apps.emulation.choices import CriterionKind, ScoringMethod
from apps.emulation.models import PeriodReopening
from apps.emulation.tests.factories import review_period, signed_pact
from apps.organizations import services as org
from apps.organizations.tests.factories import ClusterFactory, UnitFactory


@dataclass
class World:
    term: object
    pact: object
    period: object
    lead: object  # leads the term (its staff are the secretariat)
    member: object
    third: object
    outsider: object  # not a member of the term
    users: dict = field(default_factory=dict)

    def open(self, unit=None, actor=None):
        return services.assessment_open(actor=actor, period=self.period, unit=unit or self.member)

    def line(self, assessment, kind=CriterionKind.CRITERION, n=0):
        return list(assessment.items.filter(criterion__kind=kind).order_by("id"))[n]

    def fill(self, assessment, points=Decimal("30")):
        for item in assessment.items.filter(criterion__kind=CriterionKind.CRITERION):
            item.refresh_from_db()
            services.assessment_item_update(
                actor=None, item=item, version=item.version, points=points
            )
        return assessment

    def close(self, days_ago=1):
        """Move the deadline into the past (the period closed ``days_ago`` days ago)."""
        today = timezone.localdate()
        self.period.opens_on = today - dt.timedelta(days=30)
        self.period.deadline = today - dt.timedelta(days=days_ago)
        self.period.save(update_fields=["opens_on", "deadline"])

    def reopen(self, unit=None, days=3):
        return PeriodReopening.objects.create(
            period=self.period,
            unit=unit or self.member,
            until=timezone.localdate() + dt.timedelta(days=days),
            reason="Đơn vị gặp sự cố mạng",
        )


def make_world() -> World:
    lead = UnitFactory(short_name="Phú Thọ", name="Ban Tổ chức Tỉnh ủy Phú Thọ")
    member = UnitFactory(short_name="Cao Bằng", name="Ban Tổ chức Tỉnh ủy Cao Bằng")
    third = UnitFactory(short_name="Lào Cai", name="Ban Tổ chức Tỉnh ủy Lào Cai")
    outsider = UnitFactory(short_name="Hà Nội", name="Ban Tổ chức Thành ủy Hà Nội")
    term = org.term_create(
        actor=None,
        cluster=ClusterFactory(),
        year=2025,
        members=[lead, member, third],
        leader=lead,
    )
    pact = signed_pact(term)
    # One criterion the unit scores itself (its points count directly).
    criterion = pact.groups.get().criteria.get(kind=CriterionKind.CRITERION, max_points=40)
    criterion.scoring_method = ScoringMethod.SELF
    criterion.guidance = "Nêu số văn bản đã tham mưu"
    criterion.evidence_required = "Quyết định, kế hoạch"
    criterion.save()
    world = World(term, pact, review_period(term), lead, member, third, outsider)
    specs = {
        "officer": (Role.UNIT_OFFICER, member, "Nông Thị Mai"),
        "officer2": (Role.UNIT_OFFICER, member, "Đinh Văn Hùng"),
        "leader": (Role.UNIT_LEADER, member, "Hoàng Văn Đức"),
        "viewer": (Role.VIEWER, member, "Phạm Văn An"),
        "third_officer": (Role.UNIT_OFFICER, third, "Lò Thị Hoa"),
        "third_leader": (Role.UNIT_LEADER, third, "Vàng A Sình"),
        "third_viewer": (Role.VIEWER, third, "Giàng Thị Dung"),
        "lead_officer": (Role.UNIT_OFFICER, lead, "Lê Thị Lan"),
        "lead_viewer": (Role.VIEWER, lead, "Trần Văn Bình"),
        "outsider_leader": (Role.UNIT_LEADER, outsider, "Nguyễn Văn Minh"),
        "central": (Role.CENTRAL_OFFICER, UnitFactory(kind="central"), "Trần Thị Hoa"),
    }
    for name, (role, unit, full_name) in specs.items():
        world.users[name] = UserFactory(
            username=f"tc.{name}", role=role, unit=unit, full_name=full_name
        )
    return world
