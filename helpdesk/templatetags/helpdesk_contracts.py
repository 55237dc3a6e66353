"""The ticket page's contract block reads its hours here, so the ticket view itself stays as it is."""

from django import template

register = template.Library()


@register.simple_tag
def ticket_contract_drawdown(ticket):
    """Hours used and remaining in the current period of the ticket's contract (one aggregate query), or None."""
    from helpdesk.selectors_contracts import contract_drawdown

    if not ticket.contract_id:
        return None
    return contract_drawdown(contract=ticket.contract)
