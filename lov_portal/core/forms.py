"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms


class AccessibleFormMixin:
    """Links each field's error and help text to its input with aria-describedby."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            bound = self[name]  # type: ignore[index]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-help")
            if name in self.errors:  # type: ignore[attr-defined]
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"{self[name].auto_id}-help")  # type: ignore[index]


class AccessibleForm(AccessibleFormMixin, forms.Form):
    pass
