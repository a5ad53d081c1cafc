from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Principle
from lov_portal.core.choices import ResponsibleSide
from lov_portal.core.forms import CallerChoicesMixin, text_area_field
from lov_portal.core.text import InputPolicyMixin, shortened
from lov_portal.core.uploads import UploadPolicy

from .models import (
    ATTACHMENT_POLICY,
    Action,
    Commitment,
    CommitmentStatus,
    DevelopmentArea,
    StatusUpdate,
)
from .selectors import DashboardFilters


def commitment_label(commitment: Commitment) -> str:
    """A commitment in a choice list: its number under the principle and the start of its text."""
    return f"{commitment.principle.order}.{commitment.order} {shortened(commitment.text, 70)}"


class StatusUpdateForm(CallerChoicesMixin, InputPolicyMixin, forms.Form):
    """Post a status update. The commitments offered are the ones the user may report on."""

    commitment = forms.ModelChoiceField(
        label=_("Åtagande"), queryset=Commitment.objects.none(), empty_label=_("Välj åtagande")
    )
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    refers_to = forms.DateField(
        label=_("Avser datum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    narrative = text_area_field(_("Kort beskrivning"), max_length=2000, rows=3)
    links = text_area_field(_("Länkar till underlag (en per rad)"), max_length=2000, rows=2)
    attachment = forms.FileField(
        label=_("Bilaga (valfri)"),
        required=False,
        help_text=_("PDF, Office-dokument, text eller bild, högst 10 MB."),
    )
    corrects = forms.ModelChoiceField(
        label=_("Rättar uppdatering"),
        queryset=StatusUpdate.objects.none(),
        required=False,
        empty_label=_("Ingen – en ny uppdatering"),
    )
    is_internal = forms.BooleanField(label=_("Intern (visas inte för allmänheten)"), required=False)

    caller_choices = {"commitments": ("commitment",)}

    def __init__(
        self,
        *args: object,
        can_mark_internal: bool,
        corrections_of: Commitment | None = None,
        **kwargs: object,
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("refers_to", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["commitment"].label_from_instance = commitment_label
        if corrections_of is not None:
            correctable = corrections_of.updates.all()
            if not can_mark_internal:
                # Only staff see internal updates, so only they can correct one.
                correctable = correctable.filter(is_internal=False)
            self.fields["corrects"].queryset = correctable
            self.fields["corrects"].label_from_instance = lambda u: (
                f"{u.created_at:%Y-%m-%d} · {u.get_status_display()}"
            )
        else:
            del self.fields["corrects"]
        if not can_mark_internal:
            del self.fields["is_internal"]

    def clean_attachment(self) -> object:
        attachment = self.cleaned_data.get("attachment")
        if attachment:
            ATTACHMENT_POLICY.check(attachment)
        return attachment

    def clean_links(self) -> str:
        validator = forms.URLField(assume_scheme="https")
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        for line in lines:
            try:
                validator.clean(line)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("”%(line)s” är inte en giltig länk."), params={"line": line}
                ) from error
        return "\n".join(lines)

    def clean(self) -> dict:
        cleaned = super().clean()
        corrects = cleaned.get("corrects")
        commitment = cleaned.get("commitment")
        if corrects and commitment and corrects.commitment_id != commitment.pk:
            self.add_error("corrects", _("Rättelsen måste gälla samma åtagande."))
        return cleaned


class DashboardFilterForm(CallerChoicesMixin, InputPolicyMixin, forms.Form):
    principle = forms.ModelChoiceField(
        label=_("Princip"), queryset=Principle.objects.none(), required=False, empty_label=_("Alla")
    )
    side = forms.ChoiceField(
        label=_("Ansvarig part"),
        choices=[("", _("Alla")), *ResponsibleSide.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alla")), *CommitmentStatus.choices], required=False
    )

    caller_choices = {"principles": ("principle",)}

    def __init__(self, *args: object, **kwargs: object) -> None:
        # Its own ids: the update form on the same page has a "status" field too.
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)

    def filters(self) -> DashboardFilters:
        """What the dashboard shows: the valid choices, or everything."""
        if not self.is_valid():
            return DashboardFilters()
        principle = self.cleaned_data["principle"]
        return DashboardFilters(
            principle=principle.pk if principle else None,
            side=self.cleaned_data["side"],
            status=self.cleaned_data["status"],
        )


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class CommitmentForm(CallerChoicesMixin, InputPolicyMixin, forms.ModelForm):
    class Meta:
        model = Commitment
        fields = [
            "principle",
            "text",
            "responsible_side",
            "responsible_units",
            "participation_level",
            "target_date",
            "owners",
            "responsible_organisations",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "target_date": _DateInput(),
        }
        help_texts = {
            "owners": _("De som rapporterar status för åtagandet."),
            "responsible_organisations": _(
                "Godkända organisationer i bokstavsordning. Håll ned Ctrl (Cmd på Mac) för att"
                " välja flera."
            ),
        }

    caller_choices = {
        "principles": ("principle",),
        "users": ("owners",),
        "organisations": ("responsible_organisations",),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A commitment stays under its principle: its history belongs there.
            del self.fields["principle"]


class ActionForm(CallerChoicesMixin, InputPolicyMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "principle",
            "commitment",
            "title",
            "description",
            "owner",
            "due_date",
            "status",
            "source",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": _DateInput(),
        }

    development_areas = forms.ModelMultipleChoiceField(
        label=_("Utvecklingsområden"), queryset=DevelopmentArea.objects.none(), required=False
    )

    caller_choices = {
        "principles": ("principle",),
        "commitments": ("commitment",),
        "users": ("owner",),
        "areas": ("development_areas",),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitment"].label_from_instance = commitment_label
        if self.instance.pk:
            del self.fields["principle"]
            self.fields["development_areas"].initial = list(
                self.instance.development_areas.values_list("pk", flat=True)
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        principle = cleaned.get("principle") or getattr(self.instance, "principle", None)
        commitment = cleaned.get("commitment")
        if principle and commitment and commitment.principle_id != principle.pk:
            self.add_error("commitment", _("Åtagandet hör till en annan princip."))
        return cleaned


class DevelopmentAreaForm(CallerChoicesMixin, InputPolicyMixin, forms.ModelForm):
    class Meta:
        model = DevelopmentArea
        fields = ["name", "description", "identified_on", "commitments", "actions"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "identified_on": _DateInput(),
        }

    caller_choices = {"commitments": ("commitments",), "actions": ("actions",)}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitments"].label_from_instance = commitment_label


class RetireForm(InputPolicyMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Ja, avsluta åtagandet. Historiken finns kvar, men det tar inte emot nya uppdateringar."
        )
    )


# The import is text: UTF-8, or cp1252 as older Excel saves it; never markup or a program.
IMPORT_POLICY = UploadPolicy(
    extensions=("csv", "txt"), max_bytes=2 * 1024 * 1024, text_encodings=("utf-8-sig", "cp1252")
)


class ImportForm(InputPolicyMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_("Samma format som exporten: vanlig CSV eller Excel-anpassad CSV."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 2 MB."))
        IMPORT_POLICY.check(upload)
        return upload
