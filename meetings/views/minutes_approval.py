"""The minutes' life after the draft: sending for approval (justering), the checkers'
answer, publishing and starting a correction."""

from __future__ import annotations

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
from ..forms import (
    AnswerForm,
    ConfirmForm,
    CorrectionForm,
)
from ..models import (
    Meeting,
    Minutes,
)
from ..selectors import (
    document_for_display,
)
from .common import meeting_or_404, methods, minutes_or_404


def _transition_page(request, meeting, minutes, *, title, text, form, action):
    return render(
        request,
        "meetings/minutes_confirm.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "title": title,
            "text": text,
            "form": form,
            "action": action,
        },
    )


def _confirmed_transition(request, pk, *, service, done, title, text, action):
    """A confirm page for one step of the minutes' life; the step runs after confirmation."""
    meeting = meeting_or_404(pk)
    minutes = minutes_or_404(meeting)
    require(request, "meetings.edit_minutes", minutes)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(minutes=minutes, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
            return redirect("meetings:minutes_detail", pk=meeting.pk)
    return _transition_page(
        request, meeting, minutes, title=title, text=text, form=form, action=action
    )


@login_required
@methods
def minutes_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_transition(
        request,
        pk,
        service=services.minutes_send_for_approval,
        done=_("Protokollet är skickat för justering."),
        title=_("Skicka protokollet för justering"),
        text=_(
            "Justerarna och ordföranden får protokollet att justera. Det kan inte ändras medan "
            "det väntar på justering; om någon återsänder det blir det ett utkast igen."
        ),
        action="meetings:minutes_send",
    )


@login_required
@methods
def minutes_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(pk)
    minutes = minutes_or_404(meeting)
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


@login_required
@methods
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_transition(
        request,
        pk,
        service=services.minutes_publish,
        done=_("Protokollet är publicerat."),
        title=_("Publicera protokollet"),
        text=_("Det justerade protokollet och dess bilagor blir synliga för alla på webbplatsen."),
        action="meetings:minutes_publish",
    )


@login_required
@methods
def minutes_correct(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(pk)
    minutes = minutes_or_404(meeting)
    require(request, "meetings.edit_minutes", minutes)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_correction_start(
                minutes=minutes, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Rättelsen är påbörjad. Det justerade protokollet finns kvar i historiken."),
            )
            return redirect("meetings:minutes_edit", pk=meeting.pk)
    return _transition_page(
        request,
        meeting,
        minutes,
        title=_("Rätta ett justerat protokoll"),
        text=_(
            "En rättelse blir en ny version av protokollet som ska justeras på nytt. Den "
            "justerade versionen ändras aldrig och visas i historiken."
        ),
        form=form,
        action="meetings:minutes_correct",
    )
