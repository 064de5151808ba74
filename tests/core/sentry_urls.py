"""Medvirk's URLs and one view that fails, for tests/core/test_sentry.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from medvirk.urls import urlpatterns as medvirk_urlpatterns


class ReportedError(Exception):
    pass


@csrf_exempt  # the test posts as a WSGI server hands it over, without a form token
def fail(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "")  # a local variable with personal data in it
    raise ReportedError(f"failed while handling a request of {len(name)} characters")


urlpatterns = [path("test-failure/", fail, name="test_failure"), *medvirk_urlpatterns]
