from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from apps.emulation.api.views import ContentGroupViewSet, CriterionViewSet, PactViewSet
from apps.organizations.api.views import ClusterViewSet, ProvinceViewSet, TermViewSet, UnitViewSet

# Basenames are part of the API's contract: URL names such as "unit-detail" or "term-open-next"
# are used by tests and the permission matrix.
router = DefaultRouter()
router.register("provinces", ProvinceViewSet, basename="province")
router.register("units", UnitViewSet, basename="unit")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("terms", TermViewSet, basename="term")
router.register("pacts", PactViewSet, basename="pact")
router.register(r"pacts/(?P<pact_pk>[0-9]+)/groups", ContentGroupViewSet, basename="pact-group")
router.register(r"pacts/(?P<pact_pk>[0-9]+)/criteria", CriterionViewSet, basename="pact-criterion")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(router.urls)),
]
