from django.urls import path

from apps.members import (
    views,
    views_classification,
    views_country,
    views_inspections,
    views_orgs,
    views_training,
)

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
    # inspections and supervisions
    path(
        "party/orgs/<int:pk>/inspections/",
        views_inspections.org_inspections,
        name="org_inspections",
    ),
    path(
        "party/orgs/<int:pk>/inspections/new/",
        views_inspections.inspection_create,
        name="inspection_create",
    ),
    path(
        "party/members/<int:pk>/inspections/new/",
        views_inspections.member_inspection_create,
        name="member_inspection_create",
    ),
    path(
        "party/inspections/<int:pk>/",
        views_inspections.inspection_detail,
        name="inspection_detail",
    ),
    path(
        "party/inspections/<int:pk>/edit/",
        views_inspections.inspection_edit,
        name="inspection_edit",
    ),
    path(
        "party/inspections/<int:pk>/conclude/",
        views_inspections.inspection_conclude,
        name="inspection_conclude",
    ),
    path(
        "party/inspections/<int:pk>/reopen/",
        views_inspections.inspection_reopen,
        name="inspection_reopen",
    ),
    path(
        "party/inspections/<int:pk>/delete/",
        views_inspections.inspection_delete,
        name="inspection_delete",
    ),
    # training courses
    path("party/orgs/<int:pk>/training/", views_training.org_training, name="org_training"),
    path("party/orgs/<int:pk>/training/new/", views_training.course_create, name="course_create"),
    path("party/training/<int:pk>/", views_training.course_detail, name="course_detail"),
    path("party/training/<int:pk>/edit/", views_training.course_edit, name="course_edit"),
    path(
        "party/training/<int:pk>/participants/add-member/",
        views_training.course_add_member,
        name="course_add_member",
    ),
    path(
        "party/training/<int:pk>/participants/add-person/",
        views_training.course_add_person,
        name="course_add_person",
    ),
    path(
        "party/training/<int:pk>/participants/<int:participant_pk>/result/",
        views_training.course_participant_result,
        name="course_participant_result",
    ),
    path(
        "party/training/<int:pk>/participants/<int:participant_pk>/remove/",
        views_training.course_participant_remove,
        name="course_participant_remove",
    ),
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
