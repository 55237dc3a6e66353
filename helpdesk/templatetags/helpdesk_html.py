"""Helpdesk markup drawn in Python where a template costs too much per row (see helpdesk/conversation_html.py)."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def conversation_cards(thread, ticket_pk, can_work):
    """The ticket page's comment cards."""
    from helpdesk.conversation_html import ConversationCards

    return ConversationCards(ticket_pk=ticket_pk, can_work=bool(can_work)).all(thread)


@register.simple_tag
def ticket_rows(tickets, can_work):
    """The ticket list's rows."""
    from helpdesk.ticket_rows_html import TicketRows

    return TicketRows(can_work=bool(can_work)).all(tickets)


@register.simple_tag
def sla_badge(ticket):
    """A ticket's SLA state badge and its next deadline while the clock runs."""
    from helpdesk.html_common import SlaBadges

    return mark_safe(SlaBadges().badge(ticket))
