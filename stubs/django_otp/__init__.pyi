# The parts of django-otp 1.7 that Medvirk uses (organisation/ and the tests), copied from
# its sources: it ships no py.typed marker and no stubs are published.
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from .models import Device

DEVICE_ID_SESSION_KEY: str

def login(request: HttpRequest, device: Device) -> None: ...
def verify_token(user: AbstractBaseUser, device_id: str, token: str) -> Device | None: ...

# False for an anonymous user.
def user_has_device(
    user: AbstractBaseUser | AnonymousUser, confirmed: bool | None = True
) -> bool: ...
