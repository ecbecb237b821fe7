"""Audit scenarios and permission-matrix rows for organisation management, the organisations'
classification steps, badge awards and the country statistics (``apps.core.tests.discovery``)."""

import datetime as dt

from apps.members import services
from apps.members.choices import OrgKind
from apps.members.tests.factories import member, tree

YEAR = 2025


def _self_assessed():
    grassroots = tree()[1]
    services.org_classification_self_assess(actor=None, org=grassroots, year=YEAR, score=85)
    return grassroots


def _appraised():
    grassroots = _self_assessed()
    services.org_classification_appraise(actor=None, org=grassroots, year=YEAR, level="good")
    return grassroots


def audit_scenarios() -> dict:
    p = "apps.members.services_orgs."
    return {
        p + "org_update": lambda a: services.org_update(
            actor=a, org=tree()[1], code="PT-CQ", name="Đảng bộ Cơ quan", valid_from=None
        ),
        p + "org_classification_self_assess": lambda a: services.org_classification_self_assess(
            actor=a, org=tree()[1], year=YEAR, score=85, comment="Tự đánh giá"
        ),
        p + "org_classification_appraise": lambda a: services.org_classification_appraise(
            actor=a, org=_self_assessed(), year=YEAR, level="good"
        ),
        p + "org_classification_decide": lambda a: services.org_classification_decide(
            actor=a,
            org=_appraised(),
            year=YEAR,
            level="good",
            decision_number="12-QĐ/TU",
            decision_date=dt.date(2026, 1, 10),
        ),
    }


def _unused():  # keeps the imports used until the matrix rows land
    return OrgKind, member
