from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Principle
from lov_portal.core.choices import ResponsibleSide

from .models import Commitment, CommitmentStatus, StatusUpdate


class StatusUpdateForm(forms.Form):
    """Post a status update. The commitments offered are the ones the user may report on."""

    commitment = forms.ModelChoiceField(
        label=_("Åtagande"), queryset=Commitment.objects.none(), empty_label=_("Välj åtagande")
    )
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    refers_to = forms.DateField(
        label=_("Avser datum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    narrative = forms.CharField(
        label=_("Kort beskrivning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    links = forms.CharField(
        label=_("Länkar till underlag (en per rad)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    corrects = forms.ModelChoiceField(
        label=_("Rättar uppdatering"),
        queryset=StatusUpdate.objects.none(),
        required=False,
        empty_label=_("Ingen – en ny uppdatering"),
    )
    is_internal = forms.BooleanField(label=_("Intern (visas inte för allmänheten)"), required=False)

    def __init__(
        self,
        *args: object,
        commitments: object,
        can_mark_internal: bool,
        corrections_of: Commitment | None = None,
        **kwargs: object,
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("refers_to", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = commitments
        self.fields["commitment"].label_from_instance = lambda c: (
            f"{c.principle.order}.{c.order} {c.text[:70]}"
        )
        if corrections_of is not None:
            self.fields["corrects"].queryset = corrections_of.updates.all()
            self.fields["corrects"].label_from_instance = lambda u: (
                f"{u.created_at:%Y-%m-%d} · {u.get_status_display()}"
            )
        else:
            del self.fields["corrects"]
        if not can_mark_internal:
            del self.fields["is_internal"]

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


class DashboardFilterForm(forms.Form):
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

    def __init__(self, *args: object, principles: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["principle"].queryset = principles
