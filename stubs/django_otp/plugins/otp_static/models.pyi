from django.db import models
from django_otp.models import Device

class StaticDevice(Device): ...

class StaticToken(models.Model):
    device = models.ForeignKey(StaticDevice, related_name="token_set", on_delete=models.CASCADE)
    token = models.CharField(max_length=16)

    @staticmethod
    def random_token() -> str: ...
