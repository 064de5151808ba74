"""Staff sign-in pages: the sign-in page (a password, the municipality's provider, or both),
the way to the provider and back, and signing out of both. Thin: the protocol is Authlib's
(oidc.py), the writes are in services/provider.py.

A failed return from the provider counts as a failed sign-in from the address in
django-axes (``user_login_failed`` with no username), and the return is refused while the
address is locked: trying stolen or forged answers costs as much as guessing passwords.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from joserfc.errors import JoseError

from . import oidc, services
from .rules import must_use_two_factor, role_set
from .signin_views import locked_out

logger = logging.getLogger(__name__)

NEXT_KEY = "medvirk_oidc_next"
# The credentials a failed return is counted under in django-axes: the address's alone.
NO_CREDENTIALS = {"username": ""}


def _municipality(request: HttpRequest) -> Any:
    return getattr(request, "municipality", None)


class StaffLoginView(auth_views.LoginView):
    """Django's sign-in page, with the municipality's provider beside (or instead of) the
    password form."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        municipality = _municipality(self.request)
        context["provider"] = oidc.provider_for(municipality)
        context["local_signin"] = oidc.local_signin_allowed(municipality)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc.local_signin_allowed(_municipality(request)):
            response = self.render_to_response(self.get_context_data())
            response.status_code = 403
            return response
        return super().post(request, *args, **kwargs)


def _provider_or_404(request: HttpRequest) -> oidc.Provider:
    provider = oidc.provider_for(_municipality(request))
    if provider is None:
        raise Http404
    return provider


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@never_cache
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Off to the provider, with a new state, nonce and PKCE verifier kept in the session."""
    provider = _provider_or_404(request)
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next", ""))
    redirect_uri = request.build_absolute_uri(reverse("oidc_callback"))
    try:
        response: HttpResponse = oidc.client_for(provider).authorize_redirect(request, redirect_uri)
    except (AuthlibBaseError, requests.RequestException) as exc:
        logger.warning("OpenID Connect: cannot reach %s: %s", provider.issuer, type(exc).__name__)
        return _refused(
            request,
            _("The sign-in service cannot be reached just now. Try again in a few minutes."),
            status=502,
        )
    return response


def _refused(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(
        request,
        "organisation/signin_refused.html",
        {"message": message, "local_signin": oidc.local_signin_allowed(_municipality(request))},
        status=status,
    )


def _failed(request: HttpRequest, provider: oidc.Provider, reason: str) -> HttpResponse:
    """A return from the provider that proves nothing: logged without personal data, and
    counted against the address like a wrong password."""
    logger.warning("OpenID Connect: refused a sign-in via %s: %s", provider.issuer, reason)
    user_login_failed.send(sender=__name__, credentials=NO_CREDENTIALS, request=request)
    return _refused(
        request,
        _(
            "Sign-in through %(provider)s did not succeed. Start again from the sign-in page; "
            "if it keeps failing, ask your administrator."
        )
        % {"provider": provider.name},
        status=400,
    )


@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: check state, nonce and the ID token, find the user, sync the
    mapped roles, and sign in if they have a role here (and the second factor if needed)."""
    provider = _provider_or_404(request)
    if AxesProxyHandler.is_locked(request, NO_CREDENTIALS):
        return locked_out(request)
    # Authlib checks the issuer against the discovery document, and the audience only when
    # asked: both must be this municipality's.
    claims_options = {
        "iss": {"essential": True, "values": [provider.issuer]},
        "aud": {"essential": True, "values": [provider.client_id]},
    }
    try:
        token = oidc.client_for(provider).authorize_access_token(
            request, claims_options=claims_options
        )
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError) as exc:
        return _failed(request, provider, type(exc).__name__)
    claims = token.get("userinfo")
    if not claims or not claims.get("sub") or not token.get("id_token"):
        # Authlib checks the nonce only when it has one and the provider sent an ID token.
        return _failed(request, provider, "no verified ID token")
    return _sign_in(request, provider, dict(claims), str(token["id_token"]))


def _sign_in(
    request: HttpRequest, provider: oidc.Provider, claims: dict[str, Any], id_token: str
) -> HttpResponse:
    municipality = _municipality(request)
    given, managed = oidc.mapped_roles(provider, municipality, claims)
    try:
        user = services.provider_signin(
            municipality=municipality,
            issuer=provider.issuer,
            claims=claims,
            email=oidc.verified_email(claims),
            given=given if provider.maps_roles else None,
            managed=managed,
        )
    except ValidationError as exc:
        logger.info("OpenID Connect: no user for a sign-in via %s: %s", provider.issuer, exc.code)
        return _refused(request, " ".join(exc.messages), status=403)
    if not role_set(user, municipality.pk).is_staff_member:
        logger.info("OpenID Connect: user %s has no role", user.pk)
        return _refused(request, str(services.NO_ROLE_MESSAGE), status=403)
    if must_use_two_factor(user) and not (provider.trust_mfa or oidc.multi_factor(claims)):
        logger.info("OpenID Connect: user %s signed in without a second factor", user.pk)
        return _refused(
            request,
            _(
                "Your role needs two-factor sign-in, and %(provider)s did not confirm a second "
                "factor. Sign in again with one (for example a code from an app), or ask your "
                "administrator."
            )
            % {"provider": provider.name},
            status=403,
        )
    target = _safe_next(request, request.session.pop(NEXT_KEY, ""))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[oidc.SESSION_KEY] = {
        "provider": provider.key,
        "id_token": id_token,
        "end_session": oidc.end_session_endpoint(provider),
    }
    return HttpResponseRedirect(target)


class StaffLogoutView(auth_views.LogoutView):
    """Signing out of Medvirk, and of the provider too when it has an end-session endpoint
    (RP-initiated logout): there with the ID token as hint, and back to Medvirk's front page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signed_in = request.session.get(oidc.SESSION_KEY)
        provider = oidc.provider_for(_municipality(request))
        response: HttpResponse = super().post(request, *args, **kwargs)
        if not signed_in or provider is None or signed_in.get("provider") != provider.key:
            return response
        endpoint = signed_in.get("end_session", "")
        if not endpoint:
            return response
        query = urlencode(
            {
                "id_token_hint": signed_in["id_token"],
                "post_logout_redirect_uri": request.build_absolute_uri(
                    reverse(settings.LOGOUT_REDIRECT_URL)
                ),
                "client_id": provider.client_id,
            }
        )
        separator = "&" if "?" in endpoint else "?"
        return HttpResponseRedirect(f"{endpoint}{separator}{query}")
