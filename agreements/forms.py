"""Input of signing, withdrawal, the region's decision and receipt look-ups."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lov_portal.core.forms import text_area_field
from lov_portal.core.text import InputPolicyMixin
from organisations.models import Organisation, OrganisationStatus


class AuthorityBasis:
    SIGNATORY = "firmatecknare"
    DECISION = "beslut"
    CHOICES = [
        (SIGNATORY, _("Jag är firmatecknare för organisationen.")),
        (DECISION, _("Jag har fått uppdraget genom beslut enligt organisationens stadgar.")),
    ]


class SignForm(InputPolicyMixin, forms.Form):
    signer_name = forms.CharField(
        label=_("Ditt fullständiga namn"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    signer_title = forms.CharField(
        label=_("Din titel eller roll"),
        max_length=200,
        help_text=_("Till exempel ordförande eller verksamhetsledare."),
    )
    authority_basis = forms.ChoiceField(
        label=_("Din behörighet att underteckna"),
        choices=AuthorityBasis.CHOICES,
        widget=forms.RadioSelect,
    )
    authority_reference = forms.CharField(
        label=_("Beslutets datum och paragraf"),
        max_length=200,
        required=False,
        help_text=_("Frivilligt. Till exempel ”styrelsemöte 2026-03-12, § 7”."),
    )
    confirm = forms.BooleanField(
        label=_(
            "Jag intygar att jag är behörig att underteckna för organisationen och att "
            "organisationen undertecknar överenskommelsen i den version som visas ovan."
        ),
        error_messages={"required": _("Kryssa i rutan för att bekräfta att du är behörig.")},
    )


class BankIDSignForm(SignForm):
    """Signing with BankID: the name is the one BankID gives, not a typed one."""

    signer_name = None


class WithdrawForm(InputPolicyMixin, forms.Form):
    reason = text_area_field(
        _("Skäl till utträdet"),
        rows=4,
        max_length=2000,
        help_text=_(
            "Skälet visas inte offentligt. Det sparas för organisationen och portalens personal."
        ),
    )
    confirm = forms.BooleanField(
        label=_(
            "Jag bekräftar att organisationen lämnar överenskommelsen. Organisationen tas bort "
            "ur registret över undertecknare, men historiken sparas."
        ),
        error_messages={"required": _("Kryssa i rutan för att bekräfta utträdet.")},
    )


class RegionDecisionForm(InputPolicyMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Offentlig part"),
        queryset=Organisation.objects.filter(side="public", status=OrganisationStatus.APPROVED),
    )
    decision_body = forms.CharField(
        label=_("Beslutande organ"), max_length=200, initial=_("Regionfullmäktige")
    )
    decision_date = forms.DateField(
        label=_("Beslutsdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    decision_reference = forms.CharField(
        label=_("Paragraf"), max_length=100, help_text=_("Till exempel § 142.")
    )


class ReceiptLookupForm(InputPolicyMixin, forms.Form):
    code = forms.CharField(label=_("Kvittokod"), max_length=64)
