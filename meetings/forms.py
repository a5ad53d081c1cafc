from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from commitments.models import CommitmentStatus
from lov_portal.core.choices import PartySide
from lov_portal.core.forms import CallerChoicesMixin, text_area_field
from lov_portal.core.text import (
    RICH_TEXT_MAX_LENGTH,
    InputPolicyMixin,
    validate_rich_text_length,
)

from .files import attachment_max_bytes
from .models import AgendaItem, AttendanceStatus, GroupMember, Meeting, MemberRole

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
RICH_HELP = _("Stycken skiljs med en tom rad. Enkel HTML (fetstil, listor, länkar) går också.")


class MeetingForm(InputPolicyMixin, forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("Börjar"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Slutar"), widget=DATETIME_WIDGET)

    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "ends_at", "location", "online_url", "is_internal"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("Mötet måste sluta efter att det börjar."))
        return data


class AgendaItemForm(InputPolicyMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"description": RICH_HELP}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].max_length = RICH_TEXT_MAX_LENGTH
        self.fields["description"].validators.append(validate_rich_text_length)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: object) -> str:
        return str(obj)


class MinutesHeaderForm(CallerChoicesMixin, InputPolicyMixin, forms.Form):
    chair = UserChoiceField(label=_("Ordförande"), queryset=None, required=False)
    secretary = UserChoiceField(label=_("Sekreterare"), queryset=None, required=False)
    checker_1 = UserChoiceField(label=_("Justerare"), queryset=None)
    checker_2 = UserChoiceField(label=_("Andra justerare (valfri)"), queryset=None, required=False)
    other_participants = text_area_field(
        _("Övriga deltagare"), help_text=_("En per rad, med organisation eller funktion."), rows=3
    )

    caller_choices = {"users": ("chair", "secretary", "checker_1", "checker_2")}

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("checker_1"), data.get("checker_2")
        if first and second and first == second:
            self.add_error("checker_2", _("Välj två olika justerare."))
        chair = data.get("chair")
        if chair and chair in (first, second):
            self.add_error("checker_1", _("Ordföranden justerar redan; välj någon annan."))
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's errors ("chair", "secretary", "checkers") next to their fields."""
        fields = {"chair": "chair", "secretary": "secretary", "checkers": "checker_1"}
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(fields.get(key), message)

    @property
    def checkers(self) -> list:
        return [
            u for u in (self.cleaned_data["checker_1"], self.cleaned_data.get("checker_2")) if u
        ]


class AttendanceForm(InputPolicyMixin, forms.Form):
    """One select per member of the group; deputies also say whom they serve for."""

    def __init__(
        self, *args: object, members: list[GroupMember], initial_rows: dict, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        choices = [("", _("Ej angivet")), *AttendanceStatus.choices]
        serving_choices = [("", "—")] + [
            (str(m.pk), str(m.user)) for m in members if m.role != "deputy"
        ]
        for member in members:
            status, serving_for = initial_rows.get(member.pk, ("", ""))
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=str(member.user), choices=choices, required=False, initial=status
            )
            if member.role == "deputy":
                self.fields[f"serving_{member.pk}"] = forms.ChoiceField(
                    label=_("%(name)s tjänstgör för") % {"name": member.user},
                    choices=serving_choices,
                    required=False,
                    initial=serving_for,
                )

    def clean(self) -> dict:
        data = super().clean()
        for member in self.members:
            if data.get(f"status_{member.pk}") == AttendanceStatus.DEPUTY_SERVING and not data.get(
                f"serving_{member.pk}"
            ):
                if f"serving_{member.pk}" in self.fields:
                    self.add_error(f"serving_{member.pk}", _("Ange vem ersättaren tjänstgör för."))
                else:
                    self.add_error(
                        f"status_{member.pk}", _("Bara ersättare kan vara tjänstgörande ersättare.")
                    )
        return data

    def rows(self) -> list[tuple[GroupMember, forms.BoundField, forms.BoundField | None]]:
        return [
            (m, self[f"status_{m.pk}"], self[f"serving_{m.pk}"] if m.role == "deputy" else None)
            for m in self.members
        ]


def _rich_text_field(label: str, *, rows: int) -> forms.CharField:
    """An optional rich text area (cleaned by the service that stores it)."""
    return text_area_field(label, rows=rows, max_length=RICH_TEXT_MAX_LENGTH, help_text=RICH_HELP)


class MinutesItemForm(InputPolicyMixin, forms.Form):
    heading = forms.CharField(label=_("Rubrik"), max_length=300)
    notes = _rich_text_field(_("Anteckningar"), rows=5)
    decision = _rich_text_field(_("Beslut"), rows=3)


class MinutesItemDecisionForm(CallerChoicesMixin, MinutesItemForm):
    commitments = forms.ModelMultipleChoiceField(
        label=_("Åtaganden som beslutet gäller"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    commitment_status = forms.ChoiceField(
        label=_("Ny status för åtagandena"),
        choices=[("", _("Oförändrad")), *CommitmentStatus.choices],
        required=False,
        help_text=_("En statusuppdatering skrivs på varje åtagande när protokollet är justerat."),
    )

    caller_choices = {"commitments": ("commitments",)}


class DecisionActionForm(CallerChoicesMixin, InputPolicyMixin, forms.Form):
    text = forms.CharField(label=_("Åtgärd"), max_length=500)
    owner = UserChoiceField(label=_("Ansvarig"), queryset=None, required=False)
    due_on = forms.DateField(
        label=_("Klart senast"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    commitment = forms.ModelChoiceField(
        label=_("Åtagande"),
        queryset=None,
        required=False,
        help_text=_("Åtgärden registreras under åtagandet när protokollet är justerat."),
    )
    principle = forms.ModelChoiceField(
        label=_("Eller princip"),
        queryset=None,
        required=False,
        help_text=_("Välj en princip om åtgärden inte hör till ett enskilt åtagande."),
    )

    caller_choices = {
        "users": ("owner",),
        "commitments": ("commitment",),
        "principles": ("principle",),
    }

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("commitment") and not data.get("principle") and not self.errors:
            self.add_error(
                "commitment", _("Välj det åtagande eller den princip som åtgärden hör till.")
            )
        return data


class AnswerForm(InputPolicyMixin, forms.Form):
    APPROVE = "approve"
    RETURN = "return"
    answer = forms.ChoiceField(
        label=_("Ditt svar"),
        choices=[(APPROVE, _("Jag justerar protokollet")), (RETURN, _("Återsänd med kommentar"))],
        widget=forms.RadioSelect,
    )
    comment = text_area_field(
        _("Kommentar"), help_text=_("Krävs när du återsänder protokollet."), rows=3
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("answer") == self.RETURN and not data.get("comment", "").strip():
            self.add_error("comment", _("Skriv vad som behöver ändras."))
        return data


class ConfirmForm(InputPolicyMixin, forms.Form):
    confirm = forms.BooleanField(label=_("Jag bekräftar"), required=True)


class CorrectionForm(InputPolicyMixin, forms.Form):
    reason = text_area_field(
        _("Skäl till rättelsen"),
        help_text=_("Skälet sparas i protokollets historik och visas med den nya versionen."),
        rows=3,
        required=True,
    )
    confirm = forms.BooleanField(
        label=_("Jag förstår att protokollet måste justeras igen efter rättelsen"), required=True
    )


class AttachmentForm(InputPolicyMixin, forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200, required=False)
    file = forms.FileField(label=_("Fil"))
    target = forms.ChoiceField(label=_("Hör till"), choices=())

    def __init__(self, *args: object, targets: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, OpenDocument eller bild (PNG, JPEG, GIF, WebP), högst %(size)s."
        ) % {"size": filesizeformat(attachment_max_bytes())}


class GroupMemberForm(CallerChoicesMixin, InputPolicyMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-postadress"),
        help_text=_("Personen måste ha ett konto i portalen."),
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)
    side = forms.ChoiceField(label=_("Part"), choices=PartySide.choices)
    role = forms.ChoiceField(label=_("Roll"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    term_start = forms.DateField(
        label=_("Mandat från"), widget=forms.DateInput(attrs={"type": "date"})
    )
    term_end = forms.DateField(
        label=_("Mandat till"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna tomt för tills vidare."),
    )

    caller_choices = {"organisations": ("organisation",)}

    def __init__(self, *args: object, users: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._users = users

    def clean_email(self) -> object:
        email = self.cleaned_data["email"]
        user = self._users.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _(
                    "Det finns inget konto med den e-postadressen. "
                    "Be personen skapa ett konto först."
                )
            )
        self.cleaned_data["user"] = user
        return email

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("Mandatet kan inte sluta innan det börjar."))
        return data


class EndTermForm(InputPolicyMixin, forms.Form):
    term_end = forms.DateField(
        label=_("Sista dag på mandatet"), widget=forms.DateInput(attrs={"type": "date"})
    )
    confirm = forms.BooleanField(
        label=_("Jag bekräftar att mandatet ska avslutas. Ledamoten finns kvar i historiken."),
        required=True,
    )
