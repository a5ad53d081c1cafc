from django import forms
from django.utils.translation import gettext_lazy as _

from lov_portal.core.text import InputPolicyMixin

from .actions import label


class AuditFilterForm(InputPolicyMixin, forms.Form):
    action = forms.ChoiceField(label=_("Händelse"), required=False)
    actor = forms.CharField(label=_("Vem (e-post)"), required=False, max_length=200)
    date_from = forms.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labelled = sorted(((a, label(a)) for a in actions), key=lambda c: c[1].lower())
        self.fields["action"].choices = [("", _("Alla")), *labelled]
