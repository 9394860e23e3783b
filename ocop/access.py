"""Pages for signed-in users who pass a test: anonymous users go to the sign-in page, others get a 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def signed_in_and(check: Callable, *, login_url: str) -> Callable:
    """A view decorator: signed in (else to ``login_url``) and ``check(user)`` true (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper, login_url=login_url)

    return decorator
