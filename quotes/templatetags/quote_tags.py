from decimal import Decimal, InvalidOperation

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def diff_value(value, name=""):
    """A changed field's value as a reader wants it: Yes/No for flags, a dash for nothing, 3 not 3.000."""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if value in (None, ""):
        return "—"
    if name == "quantity":
        try:
            return f"{Decimal(str(value)).normalize():f}"
        except InvalidOperation:
            return value
    return value


def _builder(context):
    """One BuilderRows per page render (its words, URL prefix and option lists serve every row)."""
    from quotes.builder_html import BuilderRows

    cached = context.render_context.get("builder_rows")
    if cached is None:
        cached = context.render_context["builder_rows"] = BuilderRows(
            quote=context["quote"], can_change=context["can_change"], units=context["units"],
            recurrences=context["recurrences"])
    return cached


@register.simple_tag(takes_context=True)
def builder_rows(context):
    """Every line of the builder (quotes/builder_html.py: rendered in Python for speed)."""
    return _builder(context).all(context["rows"])


@register.simple_tag(takes_context=True)
def line_figures(context, row):
    """A line's total and margin as an out-of-band swap (after a field is saved)."""
    return mark_safe(_builder(context).figures(row, oob=True))
