from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lov_portal.core.http import safe_next
from lov_portal.core.text import InputPolicyMixin

from .models import User
from .permissions import is_staff
from .services import user_deactivate


class UserAdminChangeForm(InputPolicyMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes: dict = {}


class UserAdminCreationForm(InputPolicyMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personuppgifter"), {"fields": ["full_name", "preferred_language"]}),
        (
            _("Behörighet"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Datum"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request: HttpRequest, obj: User, form: object, change: bool) -> None:
        """Unticking "aktiv" deactivates through the one service (it ends the sessions); the
        form's other changes are saved first, with the account still active."""
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        if deactivating:
            obj.is_active = True
        super().save_model(request, obj, form, change)
        if deactivating:
            user_deactivate(user=obj)


def _login_through_allauth(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The admin has no login of its own: allauth's (rate limits, MFA) is the only way in."""
    next_url = safe_next(request, request.GET.get(REDIRECT_FIELD_NAME), reverse("admin:index"))
    if request.user.is_authenticated:
        if is_staff(request.user):
            return redirect(next_url)
        raise PermissionDenied
    return redirect_to_login(next_url, login_url=reverse("account_login"))


admin.site.login = _login_through_allauth
