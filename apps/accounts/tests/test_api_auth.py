"""API authentication: tokens, sessions with CSRF, anonymous callers, and the public API description
(schema and Swagger UI, served from local static files only)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.core.models import AuditEvent
from apps.organizations.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

CSRF_SECRET = "a" * 32  # a well-formed CSRF secret, sent as cookie and header alike


def obtain_token(client: APIClient, username: str, password: str = DEMO_PASSWORD):
    return client.post("/api/auth/token/", {"username": username, "password": password})


def test_token_is_obtained_and_used(demo):
    client = APIClient()
    response = obtain_token(client, "phutho.chuyenvien")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == demo.users["phutho.chuyenvien"]

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/units/").status_code == 200
    # Token requests carry no cookie, so no CSRF token is needed to write.
    term = demo.terms[2025]
    response = client.post(f"/api/terms/{term.pk}/notes/", {"notes": "Qua API"}, format="json")
    assert response.status_code == 200, response.content
    assert (
        AuditEvent.objects.get(action="term.update_notes").actor == demo.users["phutho.chuyenvien"]
    )
    # The same permission layer: this officer may not create units.
    response = client.post("/api/units/", {"name": "X", "short_name": "X", "kind": "other"})
    assert response.status_code == 403


def test_wrong_password_gets_no_token(demo):
    response = obtain_token(APIClient(), "phutho.chuyenvien", "sai-mat-khau")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Token.objects.exists()


@pytest.mark.parametrize(
    "header",
    ["Token 0000000000000000000000000000000000000000", "Token", "Token a b", "Bearer abc"],
)
def test_wrong_token_is_refused(demo, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/units/")
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_token_of_a_deactivated_user_is_refused(demo):
    user = demo.users["caobang.chuyenvien"]
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/units/").status_code in (401, 403)


def test_session_auth_reads_and_writes_with_csrf(demo):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="tw.chuyenvien", password=DEMO_PASSWORD)
    assert client.get("/api/clusters/").status_code == 200

    body = {"sector": demo.sector.pk, "number": 5, "name": "Cụm thi đua số 5"}
    refused = client.post("/api/clusters/", body, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not AuditEvent.objects.filter(action="cluster.create", actor__isnull=False).exists()

    client.cookies["csrftoken"] = CSRF_SECRET
    response = client.post("/api/clusters/", body, format="json", HTTP_X_CSRFTOKEN=CSRF_SECRET)
    assert response.status_code == 201, response.content
    event = AuditEvent.objects.get(action="cluster.create", actor__isnull=False)
    assert event.actor == demo.users["tw.chuyenvien"]


def test_anonymous_gets_no_data(demo):
    client = APIClient()
    for url in ("/api/provinces/", "/api/units/", "/api/clusters/", "/api/terms/"):
        response = client.get(url)
        assert response.status_code in (401, 403), url
        assert "results" not in response.json()


def test_schema_and_docs_are_served_from_local_files(client, settings):
    # The docs page links static files; read their plain URLs rather than the collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/units/{id}/lineage/",
        "/api/units/for-province/",
        "/api/terms/{id}/notes/",
        "/api/terms/{id}/open-next/",
    ):
        assert path in paths

    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert not re.search(r"https?://(?!localhost|127\.0\.0\.1)[a-z0-9.-]+\.[a-z]", html)
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html)
    assert len(assets) >= 3  # the Swagger UI script, preset and stylesheet
    for asset in assets:
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset


def test_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/units/{id}/merge/" in (tmp_path / "schema.yml").read_text()


def test_api_errors_are_in_vietnamese(db):
    from rest_framework.test import APIClient

    from apps.accounts.tests.factories import UserFactory

    client = APIClient()
    response = client.get("/api/units/")
    assert response.status_code == 401
    assert response.data["detail"].startswith("Chưa cung cấp thông tin xác thực")
    client.force_authenticate(UserFactory(role="central_officer"))
    response = client.post("/api/units/", {"short_name": "X"}, format="json")
    assert response.status_code == 400
    assert response.data["name"] == ["Trường này là bắt buộc."]
