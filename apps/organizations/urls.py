from django.urls import path

from apps.organizations import views

app_name = "organizations"

urlpatterns = [
    path("provinces/", views.province_list, name="province_list"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/merge/", views.unit_merge, name="unit_merge"),
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/new/", views.cluster_create, name="cluster_create"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("clusters/<int:pk>/edit/", views.cluster_edit, name="cluster_edit"),
    path("clusters/<int:cluster_pk>/terms/new/", views.term_create, name="term_create"),
    path("terms/<int:pk>/", views.term_detail, name="term_detail"),
    path("terms/<int:pk>/edit/", views.term_edit, name="term_edit"),
    path("terms/<int:pk>/notes/", views.term_notes, name="term_notes"),
    path("terms/<int:pk>/open-next/", views.term_open_next, name="term_open_next"),
]
