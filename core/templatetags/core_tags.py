from django import template
from django.utils.html import format_html

from core.event_kinds import event_describe

register = template.Library()


@register.simple_tag
def event_sentence(event):
    """A readable sentence for an Event row ("Alex Admin invited sam@example.com as Sales")."""
    by_contact = event.data.get("by_contact") if isinstance(event.data, dict) else None  # the portal's contact
    actor = str(event.actor) if event.actor_id else (by_contact or "CCS")
    return format_html("<strong>{}</strong> {}", actor, event_describe(event))


@register.filter
def styled(bound_field):
    """Render a form field's widget with Bootstrap classes (and is-invalid when it has errors)."""
    from django.forms import CheckboxInput, RadioSelect, Select, SelectMultiple

    widget = bound_field.field.widget
    if isinstance(widget, CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, RadioSelect):
        css = ""
    elif isinstance(widget, (Select, SelectMultiple)):
        css = "form-select"
    elif getattr(widget, "input_type", "") == "color":
        css = "form-control form-control-color"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return bound_field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def money(value):
    """12345.5 -> '12,345.50' (Decimal-exact, no locale machinery: `intcomma` costs ~0.1 ms a call)."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return value
    return f"{amount:,.2f}"


@register.simple_tag
def select_options(choices, selected=""):
    """<option>s built in Python: a template loop over thousands of users costs ~100 ms, this about 2 ms."""
    from core.rows_html import option_tags

    return option_tags(choices, selected)
