from django import template
from django.utils.dateparse import parse_date
from django.utils.formats import date_format

register = template.Library()


@register.filter
def isodate(value, fmt="j M Y"):
    """A date stored as ISO text (a revision snapshot) shown like any other date; the text itself if unreadable."""
    parsed = parse_date(value) if isinstance(value, str) else value
    return date_format(parsed, fmt) if parsed else value
