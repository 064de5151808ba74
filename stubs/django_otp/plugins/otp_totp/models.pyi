from django.db import models
from django_otp.models import Device

class TOTPDevice(Device):
    key = models.CharField(max_length=80)  # hex
    @property
    def bin_key(self) -> bytes: ...
    @property
    def config_url(self) -> str: ...
