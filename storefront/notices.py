"""The storefront's notices to producers, as message keys (see ``catalog.applications.notices``)."""

from django.utils.translation import gettext_lazy as _

from catalog.applications.notices import define

CHANGE_APPROVED = define("listings.change_approved", _("Your changes to %(product)s were approved and are live."))
CHANGE_REJECTED = define("listings.change_rejected", _("Your changes to %(product)s were rejected: %(comment)s"))
