"""Every text a form accepts is bounded (issue #14): a 10,000-character listing description is refused with a
clear message instead of breaking the review page, and no form of the platform takes text of any length."""

import importlib
import pkgutil

import pytest
from django import forms

from storefront.forms import ListingChangeForm

PACKAGES = ("catalog", "traceability", "storefront", "integrations", "ocop")


def project_forms() -> list[type[forms.BaseForm]]:
    for package in PACKAGES:
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, f"{package}."):
            if ".tests" not in module.name and ".migrations" not in module.name and "management" not in module.name:
                importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PACKAGES:
            found.append(cls)
    return found


def unbounded_text_fields(form_class) -> list[str]:
    fields = getattr(form_class, "base_fields", {})
    return [
        f"{form_class.__module__}.{form_class.__name__}.{name}"
        for name, field in fields.items()
        if isinstance(field, forms.CharField) and not field.max_length and not getattr(field, "limit", None)
    ]


def test_no_form_of_the_platform_takes_text_of_any_length():
    found = project_forms()

    assert len(found) > 20  # the walk found the platform's forms
    unbounded = [name for form_class in found for name in unbounded_text_fields(form_class)]
    assert unbounded == []


@pytest.mark.django_db
def test_a_ten_thousand_character_description_is_refused_with_a_clear_message():
    form = ListingChangeForm(data={"description_vi": "Cà phê " * 1500, "story_vi": "ngon"})

    assert not form.is_valid()
    assert form.errors["description_vi"] == ["Ensure this value has at most 5000 characters (it has 10499)."]
