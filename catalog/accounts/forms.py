"""Forms of self-registration and of the one-time code. Saving always goes through services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.validators import MAX_PASSWORD

from .models import TieCode


class SelfRegistrationForm(forms.Form):
    """No phone or e-mail to match: the code goes to the contact the registry holds, whatever is typed here."""

    registration_number = forms.CharField(label=_("business/tax registration number"), max_length=32)
    producer_name = forms.CharField(label=_("producer name"), max_length=255)
    channel = forms.ChoiceField(
        label=_("send the one-time code by"),
        choices=TieCode.Channel.choices,
        initial=TieCode.Channel.SMS,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(label=_("your e-mail (for this account)"))
    username = forms.CharField(label=_("user name"), max_length=150)
    password = forms.CharField(max_length=MAX_PASSWORD, label=_("password"), widget=forms.PasswordInput, strip=False)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("one-time code"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the 6 digits of the code.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
