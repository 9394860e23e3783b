"""What the OCOP office may do with producer accounts (added to catalog's role group after every migrate)."""

from catalog.permissions import OCOP_OFFICE

SUSPEND = "accounts.suspend_producertie"
APPROVE_PROBATION_WORK = "accounts.approve_probation_work"
ROLE_PERMISSIONS = {OCOP_OFFICE: ["view_producertie", "suspend_producertie", "approve_probation_work", "view_tiecode"]}
