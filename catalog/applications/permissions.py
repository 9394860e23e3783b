"""What the OCOP office may do with this app's records in the admin (added to catalog's role group)."""

from catalog.permissions import OCOP_OFFICE

ROLE_PERMISSIONS = {
    OCOP_OFFICE: [
        "view_application",
        "view_applicationdocument",
        "view_applicationstep",
        "view_councilscore",
        "view_registrationrequest",
        "change_registrationrequest",
        "view_producerinvitation",
        "add_documentkind",
        "change_documentkind",
        "view_documentkind",
        "add_levelseat",
        "change_levelseat",
        "delete_levelseat",
        "view_levelseat",
    ]
}
