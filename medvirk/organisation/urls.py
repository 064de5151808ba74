from django.urls import path

from . import signin_views, views

app_name = "organisation"

urlpatterns = [
    path("organisation/", views.structure, name="structure"),
    path("organisation/settings/", views.municipality_settings, name="settings"),
    path("organisation/service-areas/new/", views.service_area_edit, name="service_area_create"),
    path(
        "organisation/service-areas/<int:pk>/edit/",
        views.service_area_edit,
        name="service_area_edit",
    ),
    path("organisation/districts/new/", views.district_edit, name="district_create"),
    path("organisation/districts/<int:pk>/edit/", views.district_edit, name="district_edit"),
    path("organisation/units/new/", views.unit_create, name="unit_create"),
    path("organisation/units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("organisation/units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path(
        "organisation/units/<int:pk>/services/add/",
        views.unit_service_add,
        name="unit_service_add",
    ),
    path(
        "organisation/units/<int:pk>/services/<int:service_pk>/remove/",
        views.unit_service_remove,
        name="unit_service_remove",
    ),
    path("organisation/service-types/", views.service_types, name="service_types"),
    path("organisation/service-types/new/", views.service_type_edit, name="service_type_create"),
    path(
        "organisation/service-types/<int:pk>/edit/",
        views.service_type_edit,
        name="service_type_edit",
    ),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/update/", views.user_update, name="user_update"),
    path("users/<int:pk>/password/", views.user_set_password, name="user_set_password"),
    path("users/<int:pk>/roles/add/", views.role_assign, name="role_assign"),
    path(
        "users/<int:pk>/roles/<int:assignment_pk>/remove/",
        views.role_revoke,
        name="role_revoke",
    ),
    path(
        "users/<int:pk>/two-factor/reset/",
        views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    path("users/<int:pk>/sign-in/unlock/", views.user_signin_unlock, name="user_signin_unlock"),
    path("audit/", views.audit_log, name="audit_log"),
    # The signed-in user's own two-factor sign-in (middleware.TWO_FACTOR_OPEN_PREFIXES).
    path("account/two-factor/", signin_views.two_factor, name="two_factor"),
    path("account/two-factor/setup/", signin_views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", signin_views.two_factor_verify, name="two_factor_verify"),
    path(
        "account/two-factor/backup-codes/",
        signin_views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
]
