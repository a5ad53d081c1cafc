from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lov_portal.core.text import InputPolicyMixin

from .models import AccessibilityReport


class AccessibilityReportForm(InputPolicyMixin, forms.ModelForm):
    class Meta:
        model = AccessibilityReport
        fields = ["description", "page_url", "name", "email"]
        labels = {
            "description": _("Beskriv problemet"),
            "page_url": _("Vilken sida gäller det?"),
            "name": _("Ditt namn"),
            "email": _("Din e-postadress"),
        }
        help_texts = {
            "description": _(
                "Vad försökte du göra, och vad hindrade dig? Berätta gärna vilket hjälpmedel "
                "du använder."
            ),
            "page_url": _("Adressen eller namnet på sidan (frivilligt)."),
            "name": _("Frivilligt."),
            "email": _("Frivilligt. Fyll i om du vill ha svar."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
