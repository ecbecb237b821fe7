"""Numbers, money and dates in Vietnamese style (Babel; Django's vi formats do not group)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal
from django.utils import timezone


def vn_number(value: int | float | Decimal | None, digits: int | None = None) -> str:
    """2619 -> "2.619"; 12.5 -> "12,5"."""
    if value is None or value == "":
        return ""
    try:
        if digits is not None:
            pattern = "#,##0" + ("." + "0" * digits if digits else "")
            return format_decimal(value, format=pattern, locale="vi")
        return format_decimal(value, locale="vi")
    except (NumberFormatError, InvalidOperation, TypeError, ValueError):
        # A template filter must not break the page over a value that is not a number.
        return str(value)


def vn_money(value: int | Decimal | None) -> str:
    """70000000 -> "70.000.000 đ" (whole đồng)."""
    if value is None or value == "":
        return ""
    try:
        whole = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{vn_number(whole, 0)} đ"


def _as_local_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def vn_date(value: dt.date | dt.datetime | None) -> str:
    """05/12/2025."""
    if not value:
        return ""
    return _as_local_date(value).strftime("%d/%m/%Y")


def vn_date_long(value: dt.date | dt.datetime | None) -> str:
    """ngày 05 tháng 12 năm 2025 (the form used in document headers)."""
    if not value:
        return ""
    d = _as_local_date(value)
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def vn_datetime(value: dt.datetime | None) -> str:
    """05/12/2025 14:30 in Asia/Ho_Chi_Minh."""
    if not value:
        return ""
    if not isinstance(value, dt.datetime):
        return vn_date(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return local.strftime("%d/%m/%Y %H:%M")
