"""The one site navigation: which pages each role sees in the header, and where each role lands after signing in.

Every page outside the Django admin extends ``base.html``, which prints ``site_nav`` (this module's context
processor) once. Links follow the same permission checks as the views they lead to, so a link is never a 403.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from catalog.permissions import membership_of, sees_everything


@dataclass(frozen=True)
class NavItem:
    key: str  # the URL name, e.g. "applications:notices" (the link's id is "nav-applications-notices")
    url: str
    label: str
    current: bool = False

    @property
    def element_id(self) -> str:
        return "nav-" + self.key.replace(":", "-").replace("_", "-")


def _producer_id(user):
    membership = membership_of(user)
    return membership.producer_id if membership is not None else None


def _commune_id(user):
    membership = membership_of(user)
    return membership.commune_id if membership is not None else None


def home_url(user) -> str:
    """Where ``user`` lands after signing in: each role on its own home."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return reverse("storefront:home")
    if user.is_superuser:
        return reverse("admin:index")
    if _producer_id(user):
        return reverse("producer_portal:home")
    if _commune_id(user):
        return reverse("applications:staff_queue")
    if user.has_perm("integrations.view_all_points"):
        return reverse("integrations:department_dashboard")
    if sees_everything(user):
        return reverse("integrations:ocop_dashboard")
    if user.has_perm("integrations.view_salespoint"):
        return reverse("integrations:point_list")
    return reverse("storefront:home")


def _store_links():
    return [
        ("storefront:product_list", _("Products")),
        ("storefront:combo_list", _("Gift combos")),
        ("storefront:events", _("Events")),
        ("storefront:cart", _("Cart")),
    ]


def _producer_links():
    return [
        ("producer_portal:home", _("Dashboard")),
        ("applications:list", _("Applications")),
        ("producer_lots:list", _("Lots and QR codes")),
        ("listings:mine", _("Store listings")),
        ("programme_portal:events", _("Events")),
        ("applications:notices", _("Notices")),
    ]


def _staff_links(user):
    from catalog.applications.services import is_level_staff
    from storefront.permissions import may_review
    from traceability.approvals import may_approve
    from traceability.oversight.permissions import may_triage

    everything, all_points = sees_everything(user), user.has_perm("integrations.view_all_points")
    checks = [
        ("integrations:department_dashboard", _("Sales-point dashboard"), all_points),
        ("integrations:ocop_dashboard", _("OCOP dashboard"), everything),
        ("applications:staff_queue", _("Applications to handle"), is_level_staff(user)),
        ("programme:home", _("OCOP programme"), user.has_perm("programme.view_reportingperiod")),
        ("oversight:dashboard", _("Oversight"), everything),
        ("oversight:reports", _("Consumer reports"), may_triage(user)),
        ("oversight:inspections", _("Inspections"), user.has_perm("oversight.view_inspection")),
        ("integrations:point_list", _("Sales points"), user.has_perm("integrations.view_salespoint")),
        ("integrations:report_upload", _("Upload a sales report"), user.has_perm("integrations.report_sales")),
        ("listings:review_queue", _("Listing changes to review"), may_review(user)),
        ("applications:account_ties", _("Producer accounts"), user.has_perm("accounts.suspend_producertie")),
        ("traceability:approvals", _("Printing to approve"), may_approve(user)),
        ("integrations:notices", _("Notices"), user.has_perm("integrations.view_operatornotice")),
    ]
    links = [(name, label) for name, label, allowed in checks if allowed]
    if is_level_staff(user) and not user.has_perm("integrations.view_operatornotice"):
        links.append(("applications:notices", _("Notices")))
    return links


def nav_items(user, path: str = "") -> list[NavItem]:
    """The header links for ``user``; the one whose page is open (longest matching prefix) is marked current."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        links = _store_links()
    elif _producer_id(user):
        links = _producer_links()
    else:
        links = _staff_links(user) or _store_links()
    items = [(name, reverse(name), _labelled(name, label, user)) for name, label in links]
    current = max((url for _name, url, _label in items if path.startswith(url)), key=len, default=None)
    return [NavItem(key=name, url=url, label=label, current=url == current) for name, url, label in items]


def _labelled(name: str, label, user) -> str:
    if name != "applications:notices":
        return str(label)
    from catalog.applications.models import Notice

    unread = Notice.objects.filter(user=user, read=False).count()
    return f"{label} ({unread})" if unread else str(label)


def site(request):
    """Context processor: the navigation of the signed-in user (computed only when a template prints it)."""
    user = getattr(request, "user", None)
    return {
        "site_nav": SimpleLazyObject(lambda: nav_items(user, request.path)),
        "site_home": SimpleLazyObject(lambda: home_url(user)),
    }
