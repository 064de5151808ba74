from typing import Any, ClassVar, Literal, Self, TypeVar

from django.conf import settings
from django.db import models

_D = TypeVar("_D", bound=Device)

class DeviceManager(models.Manager[_D]): ...

class Device(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=True)
    objects: ClassVar[DeviceManager[Self]]

    class Meta:
        abstract = True

    @property
    def persistent_id(self) -> str: ...
    # (True, None), or (False, why not): for throttling "reason", "failure_count" and
    # "locked_until".
    def verify_is_allowed(
        self,
    ) -> tuple[Literal[True], None] | tuple[Literal[False], dict[str, Any]]: ...
    def verify_token(self, token: str) -> bool: ...
