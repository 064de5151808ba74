from typing import Any

# The handler axes calls from its signal receivers and its authentication backend. Axes
# passes its own request, an HttpRequest with axes_* attributes added, hence Any.
class AxesDatabaseHandler:
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int: ...
    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None: ...
