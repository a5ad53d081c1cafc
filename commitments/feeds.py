"""An Atom feed per commitment: follow its public status updates without an account."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import Commitment, StatusUpdate
from .selectors import commitment_get_with_history


class CommitmentFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, pk: int) -> Commitment:
        # Public updates only: internal ones are for the group.
        commitment = commitment_get_with_history(pk=pk, include_internal=False)
        if commitment is None:
            raise Http404
        return commitment

    def title(self, obj: Commitment) -> str:
        return _("Statusuppdateringar: %(text)s") % {"text": obj.text[:120]}

    def link(self, obj: Commitment) -> str:
        return reverse("commitments:detail", args=[obj.pk])

    def subtitle(self, obj: Commitment) -> str:
        return _("Nya statusuppdateringar för åtagandet, senaste först.")

    def items(self, obj: Commitment) -> list[StatusUpdate]:
        return list(obj.history)[:50]

    def item_title(self, item: StatusUpdate) -> str:
        return item.get_status_display()

    def item_description(self, item: StatusUpdate) -> str:
        return item.narrative

    def item_link(self, item: StatusUpdate) -> str:
        return f"{reverse('commitments:detail', args=[item.commitment_id])}#uppdatering-{item.pk}"

    def item_pubdate(self, item: StatusUpdate):
        return item.created_at

    def item_updateddate(self, item: StatusUpdate):
        return item.created_at
