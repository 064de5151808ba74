from typing import TypeVar

from .base import Factory

_T = TypeVar("_T")

class DjangoModelFactory(Factory[_T]): ...

class Password:
    def __init__(self, password: str) -> None: ...
