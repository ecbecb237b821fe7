from django.urls import path

from apps.practices import views

app_name = "practices"

urlpatterns = [
    path("practices/", views.practice_list, name="list"),
    path("practices/new/", views.practice_create, name="create"),
    path("practices/<int:pk>/", views.practice_detail, name="detail"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="edit"),
    path("practices/<int:pk>/recognise/", views.practice_recognise, name="recognise"),
    path("practices/<int:pk>/adopt/", views.practice_adopt, name="adopt"),
    path("practices/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("practice-attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("terms/<int:term_pk>/practices/", views.term_counts, name="term_counts"),
]
