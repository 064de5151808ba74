"""URLs: public pages at the root, staff pages under /staff/, one include per module."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from medvirk.api.api import api
from medvirk.core.metrics import metrics
from medvirk.core.views import healthz
from medvirk.organisation import oidc_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("staff/login/", oidc_views.StaffLoginView.as_view(), name="login"),
    path("staff/login/provider/", oidc_views.oidc_start, name="oidc_start"),
    path("staff/login/provider/return/", oidc_views.oidc_callback, name="oidc_callback"),
    path("staff/logout/", oidc_views.StaffLogoutView.as_view(), name="logout"),
    path("staff/", include("medvirk.organisation.urls")),
    path("staff/surveys/", include("medvirk.surveys.urls")),
    path("staff/letters/", include("medvirk.letters.urls")),
    path("staff/results/", include("medvirk.results.urls")),
    path("staff/councils/", include("medvirk.councils.urls")),
    path("staff/", include("medvirk.api.urls")),
    path("api/v1/", api.urls),
    # Modules to come mount here the same way: feedback, volunteering,
    # benchmarks, alarms.
    path("svar/", include("medvirk.surveys.answer_urls")),
    path("resultater/", include("medvirk.results.public_urls")),
    path("brukerrad/", include("medvirk.councils.public_urls")),
    path("admin/", admin.site.urls),
    path("", include("medvirk.core.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
