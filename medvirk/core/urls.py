from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.dashboard, name="dashboard"),
    path("staff/tasks/<uuid:pk>/", views.task_status, name="task_status"),
]
