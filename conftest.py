"""Fixtures shared by the whole suite.

``reference``: the provinces of both schemes and the 2025 merger map, loaded from the project's file.
``demo``: the demo data set (see ``apps.organizations.demo``), with attributes ``sector``,
``cluster``, ``terms`` (by year), ``units`` (current units by short name: ``units["Phú Thọ"]`` is
the board formed on 1/7/2025), ``old`` (boards that ceased in the merger: ``old["Phú Thọ"]``,
``old["Vĩnh Phúc"]``) and ``users`` (by username; every password is ``apps.organizations.demo.DEMO_PASSWORD``).
"""

import pytest

# A fast hasher for the demo accounts: the default PBKDF2 takes ~0.3 s per account and the
# fixture creates seven; hashing strength is not what these tests check.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests read static files from the app directories, whether or not collectstatic has run."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def reference(db):
    from apps.organizations.management.commands.load_reference import load_reference

    return load_reference()


@pytest.fixture
def demo(db, settings):
    from apps.organizations.demo import load_demo

    settings.PASSWORD_HASHERS = FAST_HASHERS
    return load_demo()
