# The parts of factory_boy 3.3 that Medvirk's tests use (tests/factories.py). The package
# ships py.typed, but its declarations and decorators are unannotated and it re-exports its
# names implicitly, so strict mypy would see untyped calls in every factory.
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from . import django as django
from .base import Factory

_T = TypeVar("_T")

class Sequence(Generic[_T]):
    def __init__(self, function: Callable[[int], _T]) -> None: ...

# The function gets the object being built, its attributes so far (a LazyStub).
class LazyAttribute(Generic[_T]):
    def __init__(self, function: Callable[[Any], _T]) -> None: ...

class SubFactory(Generic[_T]):
    def __init__(self, factory: type[Factory[_T]], **kwargs: Any) -> None: ...

class PostGeneration: ...

# The function gets the object, whether it was saved, and the value passed for it, if any.
def post_generation(fun: Callable[[Any, bool, Any], None]) -> PostGeneration: ...
