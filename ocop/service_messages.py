"""A service's answer as the message the user reads on the next page.

Services refuse with a ``ValidationError`` (translated messages); a page that calls one shows the refusal as an
error message, or its own success message, and redirects either way.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError

#: What ``attempt`` answers when the service refused (its messages are already shown).
REFUSED = object()


def message_of(error: ValidationError) -> str:
    """A service's refusal as one line (all its messages, in the user's language)."""
    return " ".join(str(message) for message in error.messages)


def form_errors(form) -> str:
    """A bound form's errors as one line, for a page that redirects instead of showing the form again."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def attempt(request, operation: Callable, success: str = ""):
    """``operation()``'s result, with ``success`` shown if given; ``REFUSED`` after showing a refusal."""
    try:
        result = operation()
    except ValidationError as error:
        messages.error(request, message_of(error))
        return REFUSED
    if success:
        messages.success(request, success)
    return result
