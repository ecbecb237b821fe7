from django.urls import path

from apps.members import views

app_name = "members"

urlpatterns = [
    path("party/", views.org_list, name="org_list"),
    path("party/import/", views.member_import, name="import"),
    path("party/import/template/", views.import_template, name="import_template"),
    path("party/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("party/imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("party/imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("party/orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("party/orgs/<int:pk>/statistics/", views.org_statistics, name="org_statistics"),
    path("party/orgs/<int:pk>/badges/", views.org_badges, name="org_badges"),
    path(
        "party/orgs/<int:pk>/classification/",
        views.org_classification,
        name="org_classification",
    ),
    path("party/orgs/<int:pk>/export/", views.org_export, name="org_export"),
    path("party/orgs/<int:pk>/members/new/", views.member_create, name="member_create"),
    path("party/members/<int:pk>/", views.member_detail, name="member_detail"),
    path("party/members/<int:pk>/cccd/", views.member_cccd, name="member_cccd"),
    path("party/members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("party/members/<int:pk>/status/", views.member_status, name="member_status"),
    path("party/members/<int:pk>/merge/<int:other>/", views.member_merge, name="member_merge"),
    path("party/orgs/<int:pk>/duplicates/", views.org_duplicates, name="org_duplicates"),
]
