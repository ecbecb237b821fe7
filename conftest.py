"""Fixtures shared by the whole suite.

``reference``: the provinces of both schemes and the 2025 merger map, loaded from the project's file.
``demo``: the demo data set (see ``apps.organizations.demo``), with attributes ``sector``,
``cluster``, ``terms`` (by year), ``units`` (current units by short name: ``units["Phú Thọ"]`` is
the board formed on 1/7/2025), ``old`` (boards that ceased in the merger: ``old["Phú Thọ"]``,
``old["Vĩnh Phúc"]``) and ``users`` (by username; every password is ``apps.organizations.demo.DEMO_PASSWORD``).
"""

import pytest

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
    # Tasks run inside the request that enqueues them (tests that need a real queue and worker
    # switch to the database backend themselves).
    if "immediate" not in settings.TASKS["default"]["BACKEND"]:
        overrides["TASKS"] = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
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


# A fast hasher for the demo accounts: the default PBKDF2 takes ~0.3 s per account and the
# fixture creates seven; hashing strength is not what these tests check.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded files (evidence) go to a temporary folder, never into var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture
def reference(db):
    from apps.organizations.management.commands.load_reference import load_reference

    return load_reference()


@pytest.fixture
def demo(db, settings):
    from apps.organizations.demo import load_demo

    settings.PASSWORD_HASHERS = FAST_HASHERS
    return load_demo()
