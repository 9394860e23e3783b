"""The notices of producer accounts, as message keys (see ``catalog.applications.notices``)."""

from django.utils.translation import gettext_lazy as _

from catalog.applications.notices import define

from .models import ProducerTie

TIED_FOR_PRODUCER = define(
    "accounts.tied.producer",
    _(
        "A new account “%(username)s” now acts for %(producer)s (%(via)s, %(tied_at)s). If you do not know this "
        "person, tell the OCOP office at once: it can suspend the account."
    ),
    via=ProducerTie.Via.choices,
)
TIED_FOR_OFFICE = define(
    "accounts.tied.office",
    _(
        "Account “%(username)s” was tied to %(producer)s (%(via)s, %(tied_at)s). Check it and suspend it if it is "
        "not the producer's."
    ),
    via=ProducerTie.Via.choices,
)
SUSPENDED = define(
    "accounts.suspended",
    _(
        "The OCOP office suspended the tie of your account “%(username)s” to %(producer)s (%(suspended_at)s). "
        "Contact the office if you think this is a mistake."
    ),
)
CODE_LOCKED_FOR_OFFICE = define(
    "accounts.code_locked.office",
    _(
        "Five wrong codes were entered to tie an account “%(username)s” to %(producer)s (%(locked_at)s): the request "
        "is locked. It may be someone trying to take over the producer's account."
    ),
)
