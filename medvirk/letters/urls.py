from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("round/<int:pk>/", views.round_letters, name="round"),
    path(
        "round/<int:pk>/text/<str:kind>/<str:audience>/<str:language>/",
        views.text_edit,
        name="text_edit",
    ),
    path(
        "round/<int:pk>/text/<str:kind>/<str:audience>/<str:language>/delete/",
        views.text_delete,
        name="text_delete",
    ),
    path("round/<int:pk>/print/", views.print_start, name="print"),
    path("round/<int:pk>/reissue/", views.reissue_search, name="reissue"),
    path("round/<int:pk>/reissue/<int:recipient_pk>/", views.reissue, name="reissue_letter"),
    path("printed/<uuid:task>/download/", views.download, name="download"),
    path("printed/<uuid:task>/manifest.csv", views.manifest, name="manifest"),
]
