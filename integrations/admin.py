"""Staff pages of integrations, registered with the admin site by the parts that own them (Django discovers this
module only)."""

from .marketplaces import admin as marketplaces_admin
from .salespoints import admin as salespoints_admin

__all__ = ["marketplaces_admin", "salespoints_admin"]
