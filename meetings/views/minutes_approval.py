"""The minutes' life after the draft: sending for approval (justering), the checkers'
answer, publishing and starting a correction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lov_portal.accounts.decorators import step_up_required
from lov_portal.accounts.permissions import require

from .. import services
from ..forms import AnswerForm, ConfirmForm, CorrectionForm
from ..models import Meeting, Minutes
from ..selectors import document_for_display
from .common import meeting_minutes_or_404, methods


@dataclass(frozen=True)
class _Step:
    """One step of the minutes' life that runs after an explicit confirmation."""

    service: Callable[..., object]
    done: str
    title: str
    text: str
    form: type[forms.Form] = ConfirmForm
    then: str = "meetings:minutes_detail"


STEPS = {
    "send": _Step(
        service=services.minutes_send_for_approval,
        done=gettext_lazy("Protokollet är skickat för justering."),
        title=gettext_lazy("Skicka protokollet för justering"),
        text=gettext_lazy(
            "Justerarna och ordföranden får protokollet att justera. Det kan inte ändras medan "
            "det väntar på justering; om någon återsänder det blir det ett utkast igen."
        ),
    ),
    "publish": _Step(
        service=services.minutes_publish,
        done=gettext_lazy("Protokollet är publicerat."),
        title=gettext_lazy("Publicera protokollet"),
        text=gettext_lazy(
            "Det justerade protokollet och dess bilagor blir synliga för alla på webbplatsen."
        ),
    ),
    # The reason the form asks for goes to the service; the approved revision stays as it is.
    "correct": _Step(
        service=services.minutes_correction_start,
        form=CorrectionForm,
        then="meetings:minutes_edit",
        done=gettext_lazy(
            "Rättelsen är påbörjad. Det justerade protokollet finns kvar i historiken."
        ),
        title=gettext_lazy("Rätta ett justerat protokoll"),
        text=gettext_lazy(
            "En rättelse blir en ny version av protokollet som ska justeras på nytt. Den "
            "justerade versionen ändras aldrig och visas i historiken."
        ),
    ),
}


@login_required
@methods
def minutes_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """A confirm page for one step in `STEPS` (the URL names it: minutes_send, minutes_publish,
    minutes_correct); the step runs after confirmation."""
    step = STEPS[step]
    meeting, minutes = meeting_minutes_or_404(pk)
    require(request, "meetings.edit_minutes", minutes)
    form = step.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        options = {name: value for name, value in form.cleaned_data.items() if name != "confirm"}
        try:
            step.service(minutes=minutes, by=request.user, **options)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, step.done)
            return redirect(step.then, pk=meeting.pk)
    return render(
        request,
        "meetings/minutes_confirm.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "title": step.title,
            "text": step.text,
            "form": form,
        },
    )


@login_required
@methods
def minutes_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes = meeting_minutes_or_404(pk)
    require(request, "meetings.approve_minutes", minutes)
    return _minutes_answer(request, meeting=meeting, minutes=minutes)


@step_up_required(
    reason=gettext_lazy(
        "Den som justerar ett protokoll måste använda tvåstegsverifiering, som den som "
        "undertecknar. Aktivera den först; sedan kan du justera."
    )
)
def _minutes_answer(request: HttpRequest, *, meeting: Meeting, minutes: Minutes) -> HttpResponse:
    # Approving or returning minutes is a legally significant act: a second factor set up,
    # and the password or a code again just before the answer is recorded (issue 18).
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["answer"] == AnswerForm.APPROVE:
                services.minutes_approve(
                    minutes=minutes, by=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Du har justerat protokollet."))
            else:
                services.minutes_return(
                    minutes=minutes, by=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Protokollet är återsänt till sekreteraren."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("meetings:minutes_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/minutes_answer.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "doc": document_for_display(minutes.current_revision.content),
        },
    )
