from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("api/", views.api_docs, name="docs"),
    path("api-keys/", views.keys, name="keys"),
    path("api-keys/new/", views.key_create, name="key_create"),
    path("api-keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
]
