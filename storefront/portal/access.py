"""Who may open a page of the producers' portal: one rule for every page, signed in at the portal's login first.

A producer page needs an account tied to a producer (``request.producer`` is set for the view); anyone else is
refused, except staff who have a desk of their own in that part of the portal, who are sent there. A staff page
needs the staff test of its part (application desk, listing review, account ties).
"""

from collections.abc import Callable
from functools import partial, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from catalog.applications.services import producer_of
from ocop.access import signed_in_and

LOGIN_URL = "applications:login"

#: (URL name of a staff desk, the test a user passes to be sent there instead of being refused)
StaffHome = tuple[str, Callable]


def portal_page(view):
    """Signed in (any account): the page itself decides what the user sees."""
    return login_required(view, login_url=LOGIN_URL)


def producer_page(view=None, *, staff_home: StaffHome | None = None):
    """Signed in with a producer account; usable as ``@producer_page`` or ``@producer_page(staff_home=...)``."""
    if view is None:
        return partial(producer_page, staff_home=staff_home)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        producer = producer_of(request.user)
        if producer is None:
            if staff_home is not None and staff_home[1](request.user):
                return redirect(staff_home[0])
            raise PermissionDenied
        request.producer = producer
        return view(request, *args, **kwargs)

    return portal_page(wrapper)


def staff_page(allowed: Callable) -> Callable:
    """Signed in and ``allowed(user)``: a decorator for the staff pages of one part of the portal."""
    return signed_in_and(allowed, login_url=LOGIN_URL)
