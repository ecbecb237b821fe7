"""The UI shell through the test client: sign-in, home, navigation, partials, error pages, assets.

Assertions avoid English UI text: the pages are translated into Vietnamese, so expected messages are
computed through gettext under "vi", and structure is checked through ids, classes and URLs.
"""

import datetime as dt
import re
from html import escape
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import include, path, reverse
from django.utils import translation

from apps.accounts.choices import Role
from apps.accounts.forms import LoginForm
from apps.accounts.models import User
from apps.accounts.tests.factories import PASSWORD, UserFactory
from apps.core.history import history_url
from apps.core.views import current_year
from apps.organizations import services as org_services
from apps.organizations.choices import TermRole, UnitKind
from apps.organizations.tests.factories import ClusterFactory, UnitFactory

# --- a URLconf for the error handlers: the project's, plus views that fail on purpose -------------


def _forbidden(request):
    raise PermissionDenied("Đơn vị của đồng chí không được xem mục này.")


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-forbidden/", _forbidden),
    path("test-broken/", _broken),
    path("", include("thidua.urls")),
]
handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"

BASE_DIR = Path(settings.BASE_DIR)
VENDOR_FILES = [
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/css/bootstrap.min.css.map",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/bootstrap/js/bootstrap.bundle.min.js.map",
    "vendor/bootstrap/LICENSE",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
    "vendor/bootstrap-icons/LICENSE",
    "vendor/htmx/htmx.min.js",
    "vendor/htmx/LICENSE",
    "css/thidua.css",
    "js/thidua.js",
]


def vi(message) -> str:
    """A message as the Vietnamese page shows it, HTML-escaped."""
    with translation.override("vi"):
        return escape(str(message))


@pytest.fixture
def officer(db):
    return UserFactory(full_name="Lê Thị Lan", role=Role.UNIT_OFFICER)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


# --- sign-in and sign-out ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_renders_a_form_in_vietnamese_layout(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'id="id_username"' in html and 'id="id_password"' in html
    assert 'id="main-nav"' not in html  # no navigation before signing in


def test_wrong_password_shows_the_error_and_keeps_the_username(client, officer):
    response = client.post(
        reverse("accounts:login"), {"username": officer.username, "password": "sai-mat-khau"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert vi(LoginForm.error_messages["invalid_login"]) in html
    assert 'class="alert alert-danger"' in html
    assert f'value="{officer.username}"' in html
    assert "sai-mat-khau" not in html  # a password is never sent back


def test_login_then_home_shows_the_users_unit(client, officer):
    response = client.post(
        reverse("accounts:login"),
        {"username": officer.username, "password": PASSWORD},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert officer.unit.name in html
    assert officer.unit.short_name in html  # in the navigation bar
    assert escape(officer.full_name) in html
    assert vi(officer.get_role_display()) in html


def test_login_honours_next(client, officer):
    target = reverse("core:history", args=[1, 1])
    response = client.post(
        f"{reverse('accounts:login')}?next={target}",
        {"username": officer.username, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == target


def test_login_refuses_a_next_on_another_host(client, officer):
    response = client.post(
        reverse("accounts:login"),
        {"username": officer.username, "password": PASSWORD, "next": "https://example.com/"},
    )
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_logout_by_post_ends_the_session(client, officer):
    login(client, officer)
    home = client.get(reverse("core:home")).content.decode()
    assert f'action="{reverse("accounts:logout")}"' in home

    assert client.get(reverse("accounts:logout")).status_code == 405  # Django 5: POST only
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("core:home")).status_code == 302


# --- home ------------------------------------------------------------------------------------------


def test_home_shows_this_years_cluster_term_with_leader_and_own_role(client, officer):
    leader = UnitFactory(short_name="Cao Bằng")
    cluster = ClusterFactory(name="Cụm thi đua số 7")
    org_services.term_create(
        actor=None,
        cluster=cluster,
        year=current_year(),
        members=[officer.unit, leader],
        leader=leader,
        deputies=[officer.unit],
    )
    login(client, officer)
    response = client.get(reverse("core:home"))
    html = response.content.decode()
    assert "Cụm thi đua số 7" in html
    assert "Cao Bằng" in html
    assert vi(TermRole.DEPUTY.label) in html
    [item] = response.context["terms"]
    assert item["membership"].role == TermRole.DEPUTY


def test_home_ignores_other_years(client, officer):
    cluster = ClusterFactory(name="Cụm thi đua số 8")
    org_services.term_create(
        actor=None, cluster=cluster, year=current_year() - 1, members=[officer.unit]
    )
    login(client, officer)
    response = client.get(reverse("core:home"))
    assert response.context["terms"] == []
    assert "Cụm thi đua số 8" not in response.content.decode()


def test_home_says_so_when_the_user_has_no_unit(client, db):
    user = UserFactory(unit=None, role=Role.VIEWER)
    login(client, user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert 'id="home-no-unit"' in response.content.decode()


def test_current_year_is_vietnams():
    # 31/12 18:00 UTC is already 1 January in Hà Nội (UTC+7).
    assert current_year(dt.datetime(2025, 12, 31, 18, 0, tzinfo=dt.UTC)) == 2026
    assert current_year(dt.datetime(2025, 12, 31, 16, 59, tzinfo=dt.UTC)) == 2025


# --- the layout ------------------------------------------------------------------------------------


def test_layout_has_csrf_meta_navigation_and_active_item(client, officer):
    login(client, officer)
    response = client.get(reverse("core:home"))
    html = response.content.decode()
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', html)
    assert token and token.group(1)
    assert 'name="viewport"' in html
    for name in ("core:home", "organizations:cluster_list", "organizations:unit_list"):
        assert f'href="{reverse(name)}"' in html
    assert f'href="{reverse("api-docs")}"' in html
    assert re.search(
        rf'<a class="nav-link active" aria-current="page" href="{reverse("core:home")}"', html
    )
    assert 'class="navbar-toggler"' in html  # collapses on narrow screens


def test_messages_render_as_dismissible_alerts(rf, officer):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.get("/")
    request.user = officer
    request.session = {}
    storage = FallbackStorage(request)
    storage.add(40, "Lỗi thử")
    storage.add(25, "Đã lưu")
    html = render_to_string("_partials/messages.html", {"messages": storage}, request=request)
    assert 'class="alert alert-danger alert-dismissible fade show"' in html
    assert 'class="alert alert-success alert-dismissible fade show"' in html
    assert html.count('data-bs-dismiss="alert"') == 2


def test_breadcrumbs_link_all_but_the_last():
    html = render_to_string(
        "_partials/breadcrumbs.html",
        {"breadcrumbs": [("Trang chủ", "/"), ("Đơn vị", "/units/"), ("Phú Thọ", None)]},
    )
    assert '<a href="/">Trang chủ</a>' in html
    assert '<a href="/units/">Đơn vị</a>' in html
    assert '<li class="breadcrumb-item active" aria-current="page">Phú Thọ</li>' in html


def test_pagination_keeps_filters_and_counts_with_vietnamese_grouping():
    request = RequestFactory().get("/units/", {"q": "ha giang", "kind": "provincial", "page": "3"})
    page = Paginator(range(2619), 25).get_page(3)
    html = render_to_string("_partials/pagination.html", {"page": page}, request=request)
    assert "2.619" in html  # the total, grouped the Vietnamese way
    assert "105" in html  # pages
    assert 'href="?q=ha+giang&amp;kind=provincial&amp;page=2"' in html
    assert 'href="?q=ha+giang&amp;kind=provincial&amp;page=4"' in html
    assert (
        '<li class="page-item active" aria-current="page"><span class="page-link">3</span>' in html
    )


def test_pagination_hides_page_links_when_one_page_is_enough():
    request = RequestFactory().get("/units/")
    page = Paginator(range(3), 25).get_page(1)
    html = render_to_string("_partials/pagination.html", {"page": page}, request=request)
    assert 'class="pagination' not in html  # the count only, no page links
    assert "3" in html


class UserFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="icontains")
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = User
        fields = ["username", "role"]


@pytest.mark.django_db
def test_filter_form_is_a_get_form_that_keeps_the_query():
    request = RequestFactory().get("/users/", {"username": "phu tho", "role": "viewer"})
    filterset = UserFilter(request.GET, queryset=User.objects.all())
    html = render_to_string(
        "_partials/filter_form.html", {"filter": filterset, "target": "#t"}, request=request
    )
    assert '<form method="get" action="/users/"' in html
    assert 'hx-get="/users/" hx-target="#t"' in html
    assert re.search(r'<input type="text" name="username" value="phu tho"[^>]*form-control', html)
    assert re.search(r'<select name="role" class="form-select form-select-sm"', html)
    assert '<option value="viewer" selected>' in html
    assert 'type="submit"' in html
    assert '<a class="btn btn-outline-secondary btn-sm" href="/users/">' in html  # Clear


class SampleForm(forms.Form):
    name = forms.CharField(label="Tên", help_text="Tên đầy đủ")
    count = forms.IntegerField(label="Số lượng")
    kind = forms.ChoiceField(label="Loại", choices=[("a", "A"), ("b", "B")])
    agree = forms.BooleanField(label="Đồng ý", required=False)
    colour = forms.ChoiceField(
        label="Màu", choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect
    )

    def clean(self):
        raise forms.ValidationError("Lỗi chung của biểu mẫu")


def test_form_fields_marks_errors_and_keeps_what_was_typed():
    form = SampleForm(data={"name": "Nguyễn Văn A", "count": "mười", "kind": "b", "colour": "y"})
    assert not form.is_valid()
    html = render_to_string("_partials/form_fields.html", {"form": form})
    assert '<div class="alert alert-danger" role="alert">' in html
    assert "Lỗi chung của biểu mẫu" in html
    assert re.search(r'<input type="text" name="name" value="Nguyễn Văn A"[^>]*form-control', html)
    assert re.search(r'name="count" value="mười"[^>]*class="form-control is-invalid"', html)
    assert 'aria-invalid="true"' in html
    assert 'id="id_count_error"' in html and 'class="invalid-feedback d-block"' in html
    assert 'id="id_name_helptext"' in html and "Tên đầy đủ" in html
    assert '<select name="kind" class="form-select"' in html
    assert '<option value="b" selected>' in html
    assert 'class="form-check-input"' in html  # the checkbox
    assert re.search(r'<input type="radio" name="colour" value="y"[^>]*checked', html)
    assert 'class="choice-list"' in html
    assert '<label class="form-label" for="id_name">' in html


# --- history ---------------------------------------------------------------------------------------


def test_history_page_lists_events_with_readable_values(client, db):
    admin = UserFactory(role=Role.ADMIN, full_name="Quản trị hệ thống")
    unit = org_services.unit_create(
        actor=admin,
        name="Ban Tổ chức Tỉnh ủy Phú Thọ",
        short_name="Phú Thọ",
        kind=UnitKind.PROVINCIAL_BOARD,
        active_from=dt.date(2025, 7, 1),
    )
    org_services.unit_update(actor=admin, unit=unit, phone="0210 3846 123")
    login(client, admin)
    response = client.get(history_url(unit))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quản trị hệ thống" in html
    assert "01/07/2025" in html  # an ISO date in the snapshot, shown the Vietnamese way
    assert vi(UnitKind.PROVINCIAL_BOARD.label) in html  # a choice shown by its label
    assert "0210 3846 123" in html
    assert html.count('class="td-change"') >= 2
    assert f'<a href="{unit.get_absolute_url()}">' in html  # breadcrumb back to the unit


# --- error pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_404_uses_the_projects_template(client):
    assert settings.DEBUG is False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "errors/404.html" in [t.name for t in response.templates]
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.urls(__name__)
def test_403_shows_the_reason(client, officer):
    login(client, officer)
    response = client.get("/test-forbidden/")
    assert response.status_code == 403
    assert "errors/403.html" in [t.name for t in response.templates]
    assert "Đơn vị của đồng chí không được xem mục này." in response.content.decode()


@pytest.mark.urls(__name__)
def test_500_is_standalone_and_styled(client, officer, django_assert_num_queries):
    login(client, officer)
    client.raise_request_exception = False
    response = client.get("/test-broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "bootstrap.min.css" in html and "thidua.css" in html
    assert '<html lang="vi">' in html

    from apps.core.views import server_error

    with django_assert_num_queries(0):
        server_error(RequestFactory().get("/"))


@pytest.mark.django_db
def test_400_page(rf):
    from apps.core.views import bad_request

    request = rf.get("/")
    request.user = UserFactory.build(unit=None)
    assert bad_request(request).status_code == 400


# --- static assets ---------------------------------------------------------------------------------


def _template_files() -> list[Path]:
    roots = [BASE_DIR / "templates", *sorted((BASE_DIR / "apps").glob("*/templates"))]
    return [p for root in roots for p in root.rglob("*.html")]


def test_vendor_and_project_assets_are_found():
    for name in VENDOR_FILES:
        assert finders.find(name), f"{name} is missing from static/"


def test_every_static_reference_in_the_shell_resolves():
    for template in ("base.html", "errors/500.html"):
        text = (BASE_DIR / "templates" / template).read_text()
        names = re.findall(r"{% static '([^']+)' %}", text)
        assert names, template
        for name in names:
            assert finders.find(name), f"{template} refers to missing {name}"


def test_icon_font_files_named_by_the_css_exist():
    css = Path(finders.find("vendor/bootstrap-icons/bootstrap-icons.min.css"))
    for ref in re.findall(r'url\("([^"?#]+)', css.read_text()):
        assert (css.parent / ref).exists(), ref


def test_no_template_loads_anything_from_another_host():
    external = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
    offenders = [
        f"{path.relative_to(BASE_DIR)}: {match.group(0)}"
        for path in _template_files()
        for match in external.finditer(path.read_text())
    ]
    assert not offenders, offenders
