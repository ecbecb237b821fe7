"""Suite-wide pytest hooks that belong to no app."""

from __future__ import annotations


def pytest_report_header(config):
    """Name the database the suite runs on, so a CI log shows PostgreSQL was really used."""
    try:
        from django.conf import settings
        from django.db import connections

        db = settings.DATABASES["default"]
        vendor = connections["default"].vendor
    except Exception as exc:  # the header must never break a run
        return f"database: unknown ({exc.__class__.__name__})"
    where = db.get("HOST") or "local file"
    return f"database: {vendor} ({db['ENGINE']}, {db.get('NAME')} on {where}; tests use its test_ copy)"
