from django.urls import path

from apps.members import views, views_classification, views_country, views_orgs

app_name = "members"

urlpatterns = [
    path("party/", views.org_list, name="org_list"),
    path("party/import/", views.member_import, name="import"),
    path("party/import/template/", views.import_template, name="import_template"),
    path("party/imports/<int:pk>/", views.import_detail, name="import_detail"),
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
    # Organisation management, classification steps, badge awards, the whole country.
    path("party/orgs/<int:pk>/new/", views_orgs.org_child_create, name="org_child_create"),
    path("party/orgs/<int:pk>/edit/", views_orgs.org_edit, name="org_edit"),
    path("party/orgs/<int:pk>/move/", views_orgs.org_move, name="org_move"),
    path("party/orgs/<int:pk>/succession/", views_orgs.org_succession, name="org_succession"),
    path(
        "party/orgs/<int:pk>/classification/members/",
        views_classification.member_classification_record,
        name="member_classification_record",
    ),
    path(
        "party/orgs/<int:pk>/classification/self-assess/",
        views_classification.org_self_assess,
        name="org_self_assess",
    ),
    path(
        "party/orgs/<int:pk>/classification/appraise/",
        views_classification.org_appraise,
        name="org_appraise",
    ),
    path(
        "party/orgs/<int:pk>/classification/decide/",
        views_classification.org_decide,
        name="org_decide",
    ),
    path("party/members/<int:pk>/badges/award/", views_orgs.badge_award, name="badge_award"),
    path("party/statistics/", views_country.country, name="country_statistics"),
    path(
        "party/statistics/export/",
        views_country.country_export,
        name="country_statistics_export",
    ),
]
