from typing import Any, Generic, TypeVar

_T = TypeVar("_T")

class FactoryMetaClass(type):
    # Calling a factory class builds or creates its model, as its Meta.strategy says: only
    # create() and build() can say which model that is.
    def __call__(cls, **kwargs: Any) -> Any: ...

class BaseFactory(Generic[_T]):
    @classmethod
    def build(cls, **kwargs: Any) -> _T: ...
    @classmethod
    def create(cls, **kwargs: Any) -> _T: ...

class Factory(BaseFactory[_T], metaclass=FactoryMetaClass): ...
