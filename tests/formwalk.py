"""Every Form class of the portal, found by importing the project's modules (like
tests/urlwalk.py for URL patterns), so a form added later is covered without a new test."""

from __future__ import annotations

import importlib
import pkgutil

from django import forms
from django.conf import settings


def _project_modules() -> list[str]:
    names = []
    for app in settings.LOCAL_APPS:
        package = importlib.import_module(app)
        names.append(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=app + "."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            names.append(info.name)
    return names


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Every Form class defined in the portal's own modules (importing them finds them)."""
    for name in _project_modules():
        importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            prefixes = tuple(app + "." for app in settings.LOCAL_APPS)
            if getattr(getattr(sub, "_meta", None), "model", True) is None:
                continue  # a base for ModelForms (the admin's), not a form of its own
            if sub.__module__.startswith(prefixes) and hasattr(sub, "base_fields"):
                found.append(sub)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")
