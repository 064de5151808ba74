from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("<int:pk>/", views.round_overview, name="round"),
    path("<int:pk>/compute/", views.compute, name="compute"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/comments/", views.comments, name="comments"),
    path("<int:pk>/comments/<int:review_pk>/", views.comment, name="comment"),
    path("<int:pk>/resultater.xlsx", views.workbook, name="workbook"),
    path("<int:pk>/<str:audience>/svar.csv", views.answers_csv, name="answers_csv"),
    path("<int:pk>/<str:audience>/rapport.pdf", views.area_report, name="area_report"),
    path("<int:pk>/<str:audience>/<slug:key>/", views.cell, name="cell"),
    path("<int:pk>/<str:audience>/<slug:key>/rapport.pdf", views.cell_report, name="cell_report"),
]
