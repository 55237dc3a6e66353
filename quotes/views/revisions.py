"""Comparing versions of a quote: any sent revision against another, or against the draft being edited."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import staff_view
from quotes import permissions
from quotes.diff import snapshot_diff
from quotes.services import quotes as services
from quotes.views.documents import quote_get

DRAFT = "draft"


def _versions(quote, revisions) -> list[tuple[str, str]]:
    """(value, label) of every version that can be compared: each sent revision, then the draft if one is open."""
    versions = [(str(revision.number), _("R%(n)s sent %(when)s") % {
        "n": revision.number, "when": revision.sent_at.strftime("%d %b %Y")}) for revision in revisions]
    if quote.is_editable and (not revisions or revisions[-1].number < quote.revision):
        versions.append((DRAFT, _("R%(n)s draft (being edited)") % {"n": quote.revision}))
    return versions


def _default_pair(versions: list[tuple[str, str]]) -> tuple[str, str]:
    values = [value for value, _label in versions]
    return (values[-2], values[-1]) if len(values) >= 2 else ("", "")


@staff_view(permissions.VIEW_QUOTES)
def quote_diff(request, pk):
    quote = quote_get(pk=pk)
    revisions = list(quote.revisions.order_by("number"))
    versions = _versions(quote, revisions)
    default_from, default_to = _default_pair(versions)
    chosen_from, chosen_to = request.GET.get("from", default_from), request.GET.get("to", default_to)
    known = {value for value, _label in versions}
    if (chosen_from and chosen_from not in known) or (chosen_to and chosen_to not in known):
        raise Http404
    context = {"quote": quote, "versions": versions, "from": chosen_from, "to": chosen_to, "diff": None}
    if chosen_from and chosen_to and chosen_from != chosen_to:
        snapshots = {str(revision.number): revision.snapshot for revision in revisions}
        if DRAFT in (chosen_from, chosen_to):
            snapshots[DRAFT] = services.quote_snapshot(quote=quote)
        context["diff"] = snapshot_diff(snapshots[chosen_from], snapshots[chosen_to])
        labels = dict(versions)
        context.update(from_label=labels[chosen_from], to_label=labels[chosen_to])
    return render(request, "quotes/quote_diff.html", context)
