# The parts of django-rules 3.5 that Medvirk uses, typed so that every predicate and
# permission in */rules.py is checked. The package ships py.typed, but `predicate` and
# `add_perm` are unannotated and it re-exports its names implicitly.
from collections.abc import Callable
from typing import Any, TypeAlias

# A predicate takes the user and the object, or fewer; None means "no opinion" to & and |.
_PredicateFunction: TypeAlias = (
    Callable[[], bool | None] | Callable[[Any], bool | None] | Callable[[Any, Any], bool | None]
)

class Predicate:
    def __and__(self, other: Predicate) -> Predicate: ...
    def __or__(self, other: Predicate) -> Predicate: ...

def predicate(fn: _PredicateFunction, name: str | None = None) -> Predicate: ...

# Any callable would be made a predicate, but Medvirk registers only predicates.
def add_perm(name: str, pred: Predicate) -> None: ...
