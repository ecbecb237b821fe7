from django.urls import path

from apps.awards import views

app_name = "awards"

urlpatterns = [
    path("awards/catalog/", views.catalog, name="catalog"),
    path("awards/base-salaries/new/", views.base_salary_create, name="base_salary_create"),
    path(
        "awards/types/<int:pk>/coefficients/new/",
        views.coefficient_create,
        name="coefficient_create",
    ),
    # rules, quotas, certificate templates
    path("awards/rules/", views.rule_list, name="rule_list"),
    path("awards/rules/new/", views.rule_create, name="rule_create"),
    path("awards/quotas/new/", views.quota_create, name="quota_create"),
    path("awards/certificate-templates/", views.template_list, name="template_list"),
    path("awards/certificate-templates/new/", views.template_create, name="template_create"),
    path("awards/certificate-templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path(
        "awards/certificate-templates/<int:pk>/preview/",
        views.template_preview,
        name="template_preview",
    ),
    # proposals
    path("awards/proposals/", views.proposal_list, name="proposal_list"),
    path("awards/proposals/new/", views.proposal_create, name="proposal_create"),
    path(
        "terms/<int:term_pk>/award-proposal/", views.proposal_from_term, name="proposal_from_term"
    ),
    path("awards/proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("awards/proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path(
        "awards/proposals/<int:pk>/candidates/new/",
        views.candidate_create,
        name="candidate_create",
    ),
    path("awards/candidates/<int:pk>/edit/", views.candidate_edit, name="candidate_edit"),
    path("awards/candidates/<int:pk>/delete/", views.candidate_delete, name="candidate_delete"),
    path(
        "awards/proposals/<int:pk>/step/<slug:action>/", views.proposal_step, name="proposal_step"
    ),
    path("awards/proposals/<int:pk>/return/", views.proposal_return, name="proposal_return"),
    path("awards/proposals/<int:pk>/pass/", views.proposal_pass, name="proposal_pass"),
    path("awards/proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path(
        "awards/proposals/<int:pk>/documents/<slug:kind>/",
        views.proposal_document,
        name="proposal_document",
    ),
    path(
        "awards/proposals/<int:pk>/attachments/",
        views.proposal_attachment_upload,
        name="proposal_attachment_upload",
    ),
    path(
        "awards/proposal-attachments/<int:pk>/",
        views.proposal_attachment_download,
        name="proposal_attachment_download",
    ),
    path(
        "awards/proposals/<int:pk>/certificates/",
        views.proposal_certificates,
        name="proposal_certificates",
    ),
    path(
        "awards/records/<int:pk>/certificate/",
        views.certificate_download,
        name="certificate_download",
    ),
    path(
        "awards/decisions/<int:pk>/attachments/",
        views.decision_attachment_upload,
        name="decision_attachment_upload",
    ),
    path(
        "awards/decision-attachments/<int:pk>/",
        views.decision_attachment_download,
        name="decision_attachment_download",
    ),
    # history
    path("awards/history/", views.award_history, name="history"),
    path("awards/history/new/", views.award_record_create, name="record_create"),
]
