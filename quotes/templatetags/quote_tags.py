from decimal import Decimal, InvalidOperation

from django import template
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
