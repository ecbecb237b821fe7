from django.urls import path

from apps.emulation import views

app_name = "emulation"

urlpatterns = [
    path("terms/<int:term_pk>/pacts/", views.term_pacts, name="term_pacts"),
    path("terms/<int:term_pk>/pacts/new/", views.pact_create, name="pact_create"),
    path("terms/<int:term_pk>/pacts/copy/", views.pact_copy, name="pact_copy"),
    path("pacts/<int:pk>/", views.pact_detail, name="pact_detail"),
    path("pacts/<int:pk>/edit/", views.pact_edit, name="pact_edit"),
    path("pacts/<int:pk>/open/", views.pact_open, name="pact_open"),
    path("pacts/<int:pk>/sign/", views.pact_sign, name="pact_sign"),
    path("pacts/<int:pk>/close/", views.pact_close, name="pact_close"),
    path("pacts/<int:pk>/amend/", views.pact_amend, name="pact_amend"),
    path("pacts/<int:pk>/groups/new/", views.group_create, name="group_create"),
    path("pact-groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("pact-groups/<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("pact-groups/<int:pk>/criteria/new/", views.criterion_create, name="criterion_create"),
    path("pact-criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("pact-criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
]
