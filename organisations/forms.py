"""Input of the organisation pages: the application steps, reviews and membership requests."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from lov_portal.core.forms import text_area_field
from lov_portal.core.text import InputPolicyMixin

from .models import (
    APPLICATION_DOCUMENT_POLICY,
    ApplicationDocumentKind,
    EligibilityCriterion,
    LegalForm,
    MembershipRole,
    Municipality,
    Organisation,
    ReviewAction,
)
from .validators import normalise_organisation_number

APPLICANT_LEGAL_FORMS = [
    (value, label) for value, label in LegalForm.choices if value != LegalForm.PUBLIC_BODY
]


class OrganisationDetailsForm(InputPolicyMixin, forms.Form):
    name = forms.CharField(label=_("Organisationens namn"), max_length=200)
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=20,
        help_text=_("Tio siffror, till exempel 802012-3456."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    legal_form = forms.ChoiceField(
        label=_("Juridisk form"), choices=[("", _("Välj juridisk form")), *APPLICANT_LEGAL_FORMS]
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner där organisationen är verksam"),
        queryset=Municipality.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    whole_county = forms.BooleanField(label=_("Verksam i hela länet"), required=False)
    website = forms.URLField(label=_("Webbplats"), required=False, assume_scheme="https")
    description = text_area_field(
        _("Kort beskrivning"),
        help_text=_("Visas offentligt i registret över undertecknare."),
        max_length=2000,
        rows=4,
    )

    existing_organisation: Organisation | None = None

    def clean_organisation_number(self) -> str:
        number = normalise_organisation_number(self.cleaned_data["organisation_number"])
        existing = Organisation.objects.filter(organisation_number=number).first()
        if existing is not None:
            self.existing_organisation = existing
            raise ValidationError(
                _(
                    "Organisationen med organisationsnummer %(number)s finns redan i portalen. "
                    "Be dess administratör om medlemskap i stället för att registrera den igen."
                ),
                code="duplicate",
                params={"number": number},
            )
        return number

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("municipalities") and not cleaned.get("whole_county"):
            self.add_error(
                "municipalities",
                _(
                    "Välj minst en kommun, eller kryssa i att organisationen är verksam "
                    "i hela länet."
                ),
            )
        return cleaned


class ContactForm(InputPolicyMixin, forms.Form):
    full_name = forms.CharField(label=_("Ditt namn"), max_length=200)
    contact_role = forms.CharField(
        label=_("Din roll i organisationen"),
        max_length=200,
        help_text=_("Till exempel ordförande, sekreterare eller verksamhetsledare."),
    )


class EligibilityForm(InputPolicyMixin, forms.Form):
    """One explicit checkbox per criterion of section 5.1; every one must be ticked."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for criterion in EligibilityCriterion:
            self.fields[criterion.value] = forms.BooleanField(
                label=criterion.label,
                required=True,
                error_messages={
                    "required": _(
                        "Kryssa i rutan för att intyga detta villkor. Alla villkor i avsnitt 5.1 "
                        "måste vara uppfyllda för att organisationen ska kunna underteckna."
                    )
                },
            )


class ReviewForm(InputPolicyMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("Beslut"),
        choices=[
            (ReviewAction.APPROVE, _("Godkänn ansökan")),
            (ReviewAction.REQUEST_INFO, _("Begär komplettering")),
            (ReviewAction.REJECT, _("Avslå ansökan")),
        ],
        widget=forms.RadioSelect,
    )
    reason = text_area_field(
        _("Motivering till sökanden"),
        help_text=_("Krävs vid avslag och när komplettering begärs. Skickas till sökanden."),
        max_length=4000,
        rows=4,
    )
    requested_document = forms.ChoiceField(
        label=_("Begär ett dokument"),
        help_text=_("Valfritt, när du begär komplettering: sökanden ombeds ladda upp det."),
        choices=[("", _("Inget dokument")), *ApplicationDocumentKind.choices],
        required=False,
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("action") in {ReviewAction.REJECT, ReviewAction.REQUEST_INFO}
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Skriv en motivering som sökanden kan förstå."))
        if cleaned.get("requested_document") and cleaned.get("action") != (
            ReviewAction.REQUEST_INFO
        ):
            self.add_error(
                "requested_document",
                _("Ett dokument kan bara begäras när du begär komplettering."),
            )
        return cleaned


def _document_help() -> str:
    return _("PDF, Word (docx), OpenDocument (odt) eller bild (PNG, JPEG), högst %(size)s.") % {
        "size": filesizeformat(APPLICATION_DOCUMENT_POLICY.max_bytes)
    }


document_help = lazy(_document_help, str)


class ApplicationDocumentForm(InputPolicyMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Vad är det för dokument?"),
        choices=ApplicationDocumentKind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("Fil"), help_text=document_help())


class ApplicantReplyForm(InputPolicyMixin, forms.Form):
    message = text_area_field(_("Din komplettering"), max_length=4000, rows=5)
    kind = forms.ChoiceField(
        label=_("Vad är det för dokument?"),
        help_text=_("Fyll i om du bifogar ett dokument."),
        choices=ApplicationDocumentKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    file = forms.FileField(
        label=_("Bifoga ett dokument"), help_text=document_help(), required=False
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        empty = not (cleaned.get("message") or "").strip() and not cleaned.get("file")
        if empty and "message" not in self.errors:
            self.add_error("message", _("Skriv en komplettering eller bifoga ett dokument."))
        if cleaned.get("file") and not cleaned.get("kind"):
            self.add_error("kind", _("Välj vilken sorts dokument det är."))
        return cleaned


class MembershipRequestForm(InputPolicyMixin, forms.Form):
    message = text_area_field(
        _("Meddelande till administratören"),
        help_text=_("Berätta vem du är och varför du vill företräda organisationen."),
        max_length=2000,
        rows=4,
    )


class InvitationForm(InputPolicyMixin, forms.Form):
    email = forms.EmailField(label=_("E-postadress"))
    role = forms.ChoiceField(
        label=_("Roll"), choices=MembershipRole.choices, widget=forms.RadioSelect
    )


class RoleForm(InputPolicyMixin, forms.Form):
    role = forms.ChoiceField(label=_("Roll"), choices=MembershipRole.choices)
