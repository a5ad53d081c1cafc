"""Applying to join: a wizard of three steps kept in the session, submitted at the last one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lov_portal.accounts.permissions import require

from .. import services
from ..forms import ContactForm, EligibilityForm, OrganisationDetailsForm
from ..models import EligibilityCriterion

SESSION_KEY = "organisation_application"
STEPS = [
    ("uppgifter", OrganisationDetailsForm, gettext_lazy("Organisationen")),
    ("kontakt", ContactForm, gettext_lazy("Kontaktperson")),
    ("villkor", EligibilityForm, gettext_lazy("Villkor för att underteckna")),
]
STEP_NAMES = [name for name, _form, _title in STEPS]


def _saved(request: HttpRequest) -> dict[str, dict[str, list[str]]]:
    return request.session.get(SESSION_KEY, {})


def _save_step(request: HttpRequest, step: str, form: object) -> None:
    data = _saved(request)
    data[step] = {name: request.POST.getlist(name) for name in form.fields}
    request.session[SESSION_KEY] = data


def _as_querydict(raw: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in raw.items():
        query.setlist(key, values)
    return query


def _initial(form_class: type, raw: dict[str, list[str]]) -> dict[str, object]:
    """What the user typed last time, as initial values (so nothing typed is lost)."""
    initial: dict[str, object] = {}
    for name, field in form_class().fields.items():
        values = raw.get(name, [])
        widget = type(field.widget).__name__
        if widget == "CheckboxSelectMultiple":
            initial[name] = values
        elif widget == "CheckboxInput":
            initial[name] = bool(values) and values[-1] in {"on", "true", "True", "1"}
        elif values:
            initial[name] = values[-1]
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, step: str = STEP_NAMES[0]) -> HttpResponse:
    require(request, "organisations.apply")
    if step not in STEP_NAMES:
        raise Http404
    index = STEP_NAMES.index(step)
    form_class = STEPS[index][1]
    saved = _saved(request)
    if request.method == "POST":
        form = form_class(request.POST)
        _save_step(request, step, form)
        if request.POST.get("action") == "back" and index > 0:
            return redirect("organisations:apply_step", step=STEP_NAMES[index - 1])
        if form.is_valid():
            if index + 1 < len(STEPS):
                return redirect("organisations:apply_step", step=STEP_NAMES[index + 1])
            return _apply_submit(request)
    else:
        initial = _initial(form_class, saved.get(step, {}))
        if step == "kontakt" and not initial.get("full_name"):
            initial["full_name"] = request.user.full_name
        form = form_class(initial=initial)
    return render(
        request,
        "organisations/apply.html",
        {
            "form": form,
            "step": step,
            "step_number": index + 1,
            "step_count": len(STEPS),
            "step_title": STEPS[index][2],
            "steps": [(name, title) for name, _f, title in STEPS],
            "is_last": index + 1 == len(STEPS),
        },
    )


def _apply_submit(request: HttpRequest) -> HttpResponse:
    saved = _saved(request)
    cleaned: dict[str, object] = {}
    for name, form_class, _title in STEPS:
        form = form_class(_as_querydict(saved.get(name, {})))
        if not form.is_valid():
            messages.error(request, _("Kontrollera uppgifterna i det här steget."))
            return redirect("organisations:apply_step", step=name)
        cleaned |= form.cleaned_data
    try:
        organisation = services.organisation_apply(
            applicant=request.user,
            name=cleaned["name"],
            organisation_number=cleaned["organisation_number"],
            legal_form=cleaned["legal_form"],
            municipalities=cleaned["municipalities"],
            whole_county=cleaned["whole_county"],
            website=cleaned["website"],
            description=cleaned["description"],
            contact_role=cleaned["contact_role"],
            eligibility=[c for c in EligibilityCriterion.values if cleaned.get(c) is True],
            applicant_name=cleaned["full_name"],
        )
    except services.OrganisationExistsError:
        messages.error(request, _("Organisationen finns redan i portalen."))
        return redirect("organisations:apply_step", step=STEP_NAMES[0])
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("Tack! Ansökan för %(name)s är inskickad. Du får e-post när den är granskad.")
        % {"name": organisation.name},
    )
    # Next: the documents the review needs (files cannot wait in the wizard's session).
    return redirect("organisations:documents", slug=organisation.slug)
