from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def diff_value(value):
    """A changed field's value as a reader wants it: Yes/No for flags, a dash for nothing."""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if value in (None, ""):
        return "—"
    return value
