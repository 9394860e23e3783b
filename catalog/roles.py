"""The role groups get their permissions from every app that has some for them.

Each such app's config is a ``RolesConfig``: after every migrate (idempotent) it gives each role group named in its
permissions module's ``ROLE_PERMISSIONS`` (role → permissions) those permissions, written as codenames of the app
itself or dotted ``app_label.codename`` for another app's. The roles themselves are named in catalog.permissions.
"""

from importlib import import_module

from django.apps import AppConfig
from django.db.models import Q
from django.db.models.signals import post_migrate

CRUD = ("add", "change", "view")


def managing(models) -> list[str]:
    """The codenames to add, change and view ``models`` (model names in lower case)."""
    return [f"{action}_{model}" for model in models for action in CRUD]


def grant(role_permissions: dict[str, list[str]], app_label: str) -> None:
    """Give each role group its permissions: codenames of ``app_label`` or dotted ``app_label.codename``."""
    from django.contrib.auth.models import Group, Permission

    for role, names in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = Q(pk__in=[])
        for name in names:
            label, _dot, codename = name.rpartition(".")
            wanted |= Q(content_type__app_label=label or app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))


class RolesConfig(AppConfig):
    """An app that gives the role groups the permissions its ``permissions`` module lists, after every migrate.

    An apps.py imports this module, not the class: with two AppConfig classes in it, Django would pick neither.
    """

    permissions_module = "permissions"

    def ready(self):
        post_migrate.connect(self.ensure_roles, sender=self, dispatch_uid=f"{self.label}.ensure_roles")

    def ensure_roles(self, **kwargs) -> None:
        """Create the role groups with this app's permissions (idempotent)."""
        grant(import_module(f"{self.name}.{self.permissions_module}").ROLE_PERMISSIONS, self.label)
