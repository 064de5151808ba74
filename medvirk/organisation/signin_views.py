"""Sign-in pages beyond the password: the lock-out page, and two-factor sign-in (set up an
authenticator app, give a code, backup codes). Thin: the rules are in rules.py and signin.py,
the writes in services/ (signin.py).

Everything works without JavaScript: the QR code is an SVG drawn on the server (the letters'
own encoder), with the key beside it as text for typing into the app by hand.
"""

from __future__ import annotations

from base64 import b32encode
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from medvirk.core.documents.qr import svg as qr_svg
from medvirk.core.http import SignedInRequest

from . import services
from .forms import TwoFactorCodeForm
from .rules import must_use_two_factor

# The backup codes just made, kept in the session until the page that shows them once.
FRESH_CODES_KEY = "medvirk_fresh_backup_codes"
WRONG_CODE = gettext_lazy(
    "That code is not right. Check that the time on your phone is right, and try again."
)


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The page for a sign-in that axes refused: what happened, when to try again, whom to
    ask. The same whether the password was right or not."""
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    return render(
        request,
        "organisation/signin_locked.html",
        {"until": until, "minutes": settings.MEDVIRK_SIGNIN_COOLOFF_MINUTES},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def _next(request: HttpRequest) -> str:
    """Where to go once the second factor is given: ``next`` if it is ours, else the overview."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _verified(request: HttpRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[union-attr]


def _wait_message(until: datetime) -> str:
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1)
    return ngettext(
        "Too many wrong codes. Wait %(n)s second and try again.",
        "Too many wrong codes. Wait %(n)s seconds and try again.",
        seconds,
    ) % {"n": seconds}


def _check(device: Device, code: str, form: TwoFactorCodeForm, user: Any) -> bool:
    """Try ``code`` on ``device``, within django-otp's throttling; a refusal goes on the form."""
    verdict = device.verify_is_allowed()
    if not verdict[0]:
        form.add_error("code", _wait_message(verdict[1]["locked_until"]))
        return False
    if verify_token(user, device.persistent_id, code) is not None:
        return True
    form.add_error("code", WRONG_CODE)
    return False


def _key_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, as authenticator apps ask for it by hand."""
    key = b32encode(device.bin_key).decode("ascii")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), give a code."""
    user = request.user
    if user_has_device(user) and not _verified(request):
        # Replacing a phone needs the old one (or a backup code) first: a password alone
        # must not be able to swap in the thief's app.
        return redirect(_step("organisation:two_factor_verify", request.get_full_path()))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    form = TwoFactorCodeForm(request.POST or None, backup=False)
    code = form.cleaned_data["code"] if form.is_bound and form.is_valid() else None
    if code is not None and _check(device, code, form, user):
        codes = services.two_factor_enrol(
            actor=user,
            municipality=getattr(request, "municipality", None),
            device=device,
        )
        otp_login(request, device)
        request.session[FRESH_CODES_KEY] = codes
        messages.success(request, _("Two-factor sign-in is set up."))
        return redirect(_step("organisation:two_factor_backup_codes", _next(request)))
    return render(
        request,
        "organisation/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(qr_svg(device.config_url)),  # noqa: S308 (our own drawing)
            "url": device.config_url,
            "key": _key_for_typing(device),
            "next": _next(request),
            "required": must_use_two_factor(user),
            "replacing": user_has_device(user),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor_verify(request: SignedInRequest) -> HttpResponse:
    """The second step of sign-in: a code from the app, or a backup code."""
    user = request.user
    if _verified(request):
        return redirect(_next(request))
    if not user_has_device(user):
        return redirect(_step("organisation:two_factor_setup", _next(request)))
    form = TwoFactorCodeForm(request.POST or None, backup=True)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        model: type[Device] = TOTPDevice if code.isdigit() and len(code) <= 8 else StaticDevice
        device = model.objects.filter(user=user, confirmed=True).first()
        if device is None:
            form.add_error("code", WRONG_CODE)
        elif _check(device, code, form, user):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a backup code; %(n)s is left. If your phone is "
                        "lost, set up a new one under Two-factor sign-in.",
                        "You signed in with a backup code; %(n)s are left. If your phone is "
                        "lost, set up a new one under Two-factor sign-in.",
                        left,
                    )
                    % {"n": left},
                )
            return redirect(_next(request))
    return render(
        request,
        "organisation/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@login_required
def two_factor(request: SignedInRequest) -> HttpResponse:
    """The user's own two-factor page: whether it is on, a new phone, new backup codes."""
    user = request.user
    enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if request.method == "POST" and enrolled:
        codes = services.two_factor_backup_codes_renew(
            actor=user,
            municipality=getattr(request, "municipality", None),
        )
        request.session[FRESH_CODES_KEY] = codes
        return redirect("organisation:two_factor_backup_codes")
    backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return render(
        request,
        "organisation/two_factor.html",
        {
            "enrolled": enrolled,
            "backup_left": backup.token_set.count() if backup is not None else 0,
            "required": must_use_two_factor(user),
        },
    )


@never_cache
@login_required
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """The backup codes just made, shown once: read from the session and gone from it."""
    codes = request.session.pop(FRESH_CODES_KEY, None)
    return render(
        request,
        "organisation/two_factor_backup_codes.html",
        {
            "codes": [f"{code[:4]} {code[4:]}" for code in codes or []],
            "next": _next(request),
        },
    )


def _step(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"
