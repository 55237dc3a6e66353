"""The ticket page's comment cards, rendered in Python.

A ticket opens on its latest 60 messages. Through the template each card ran a `{% translate %}` per badge, a
`{% url %}` per attachment, the `date` filter twice and `filesizeformat`, inside a `{% for %}` and a `{% with %}`: the
largest part of the page's rendering. Written here with the words translated once per page and the attachment URLs
built from one prefix, 60 cards cost about a millisecond. The markup is exactly what the template wrote (classes, ids,
`data-testid`, `data-reply-to`), so the page script, the live refresh and the tests see no difference. ADR 0019 says
why a screen drawn many rows at a time is written this way.
"""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.rows_html import Dates, url_for_each


class ConversationCards:
    """Everything that is the same for every card of one page: the words, the attachment URL prefix, `can_work`."""

    def __init__(self, *, ticket_pk: int, can_work: bool):
        self.can_work = can_work
        self.dates = Dates()
        self._attachment_url = url_for_each("helpdesk:attachment_download", ticket_pk)
        self.words = {key: escape(text) for key, text in {
            "internal": _("Internal note"), "customer": _("Customer"), "in_reply": _("in reply"),
            "whole_email": _("Show the whole email"), "reply": _("Reply to this"),
        }.items()}

    def _attachments(self, attachments) -> str:
        if not attachments:
            return ""
        items = "".join(
            f'<li class="list-inline-item"><a href="{self._attachment_url(attachment["pk"])}"><i class="bi bi-paperclip" '
            f'aria-hidden="true"></i> {escape(attachment["file_name"])}</a> <span class="text-body-secondary">'
            f'({escape(filesizeformat(attachment["size"]))})</span></li>' for attachment in attachments)
        return f'<ul class="list-inline small mt-2 mb-0">{items}</ul>'

    def card(self, message) -> str:
        """One message: a `helpdesk.selectors.ThreadMessage`."""
        words = self.words
        label = escape(message.author_label)
        if message.is_internal:
            badge = f'<span class="badge text-bg-warning ms-1">{words["internal"]}</span>'
        elif not message.author_id:
            badge = f'<span class="badge text-bg-info ms-1">{words["customer"]}</span>'
        else:
            badge = ""
        in_reply = (f'<span class="text-body-secondary ms-1"><i class="bi bi-reply" aria-hidden="true"></i> '
                    f'{words["in_reply"]}</span>' if message.parent_id else "")
        email_text = message.email_text
        whole_email = (f'<details class="small mt-1" data-testid="comment-full-email"><summary>{words["whole_email"]}'
                       f'</summary><div class="text-body-secondary" style="white-space: pre-line">{escape(email_text)}'
                       f'</div></details>' if email_text and email_text != message.body else "")
        reply = (f'<button type="button" class="btn btn-link btn-sm px-0" data-reply-to="{message.pk}" '
                 f'data-reply-label="{label}">{words["reply"]}</button>' if self.can_work else "")
        return (
            f'\n      <article class="card mb-2 {"border-warning bg-warning-subtle" if message.is_internal else ""}" '
            f'style="margin-left: calc({message.depth} * 1.5rem)" data-testid="comment" id="comment-{message.pk}">\n'
            f'        <div class="card-body py-2">\n'
            f'          <div class="d-flex justify-content-between gap-2 small">\n'
            f'            <div><strong>{label}</strong>\n'
            f'              {badge}\n'
            f'              {in_reply}</div>\n'
            f'            <time class="text-body-secondary" datetime="{self.dates.iso(message.created_at)}">'
            f'{self.dates.day_month_year_time(message.created_at)}</time>\n'
            f'          </div>\n'
            f'          <div class="mt-1" style="white-space: pre-line">{escape(message.body)}</div>\n'
            f'          {whole_email}\n'
            f'          {self._attachments(message.attachments)}\n'
            f'          {reply}\n'
            f'        </div>\n'
            f'      </article>\n      ')

    def all(self, thread) -> SafeString:
        return mark_safe("".join(self.card(message) for message in thread))
