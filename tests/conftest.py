"""Suite-wide pytest hooks that belong to no app."""

from __future__ import annotations

STATIC_STORAGE_FOR_TESTS = "django.contrib.staticfiles.storage.StaticFilesStorage"


def pytest_configure(config):
    """Static files without collectstatic, as Django's docs advise for tests.

    Production uses WhiteNoise's manifest storage, whose ``{% static %}`` needs the manifest that
    collectstatic writes; tests run without it. So tests use plain names and WhiteNoise serves
    the files from the finders (THIDUA_STATIC_FINDERS=1, exported by ``make test``; set here too for
    a bare ``pytest``, whose settings were read before this file).
    """
    from django.conf import settings
    from django.test.utils import override_settings

    if not settings.configured:
        return
    overrides = {}
    if not settings.WHITENOISE_USE_FINDERS:
        overrides["WHITENOISE_USE_FINDERS"] = True
    if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
        overrides["STORAGES"] = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": STATIC_STORAGE_FOR_TESTS},
        }
    if overrides:
        override_settings(**overrides).enable()


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
