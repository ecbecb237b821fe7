"""Pacts for tests, built through the services (so they carry their audit rows)."""

from decimal import Decimal

from apps.emulation import services
from apps.emulation.choices import CriterionKind


def draft_pact(term, *, title="Giao ước thử", criteria=(60, 40), bonus=5, penalty=5):
    pact = services.pact_create(actor=None, term=term, title=title)
    group = services.content_group_add(actor=None, pact=pact, code="I", title="Nhóm một")
    for points in criteria:
        services.criterion_add(
            actor=None, group=group, title=f"Tiêu chí {points}", max_points=Decimal(points)
        )
    if bonus:
        services.criterion_add(
            actor=None,
            group=group,
            title="Điểm thưởng",
            max_points=Decimal(bonus),
            kind=CriterionKind.BONUS,
        )
    if penalty:
        services.criterion_add(
            actor=None,
            group=group,
            title="Điểm trừ",
            max_points=Decimal(penalty),
            kind=CriterionKind.PENALTY,
        )
    return pact


def open_pact(term, **kwargs):
    pact = draft_pact(term, **kwargs)
    return services.pact_open_for_signing(actor=None, pact=pact)


def signed_pact(term, **kwargs):
    pact = open_pact(term, **kwargs)
    for membership in term.memberships.all():
        services.pact_sign(actor=None, pact=pact, unit=membership.unit)
    pact.refresh_from_db()
    return pact


def review_period(term, *, kind="year_end", opens_on=None, deadline=None, panel=None, **extra):
    """A review period open today (unless dates are given). Test arrangement only: the services
    that create periods are tested on their own."""
    import datetime as dt

    from django.utils import timezone

    from apps.emulation.models import ReviewPeriod

    today = timezone.localdate()
    period = ReviewPeriod.objects.create(
        term=term,
        kind=kind,
        opens_on=opens_on or today - dt.timedelta(days=10),
        deadline=deadline or today + dt.timedelta(days=10),
        **extra,
    )
    if panel is None:
        panel = [m.unit for m in term.memberships.all() if m.role in ("leader", "deputy")]
    period.panel.set(panel)
    return period
