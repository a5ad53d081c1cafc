from django import forms
from django.utils.translation import gettext_lazy as _

from lov_portal.accounts.models import User
from lov_portal.core.text import InputPolicyMixin


class AccountDeleteForm(InputPolicyMixin, forms.Form):
    password = forms.CharField(
        label=_("Ditt lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Jag förstår att kontot inte kan återställas."), required=True
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Lösenordet stämmer inte."))
        return password


class AccountDetailsForm(InputPolicyMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]
        labels = {"full_name": _("Namn"), "preferred_language": _("Språk i e-post från portalen")}
        help_texts = {
            "preferred_language": _(
                "Kvitton, påminnelser och meddelanden skickas på det här språket."
            )
        }
