"""One call per award-catalog service for ``test_audit``, and the permission-matrix rows of the
catalog pages (everyone reads; central officers and administrators add versions)."""

import datetime as dt

from apps.awards import services
from apps.awards.models import AwardType

LATER = dt.date(2030, 1, 1)


def audit_scenarios() -> dict:
    prefix = "apps.awards.services."
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
    return ui, []
