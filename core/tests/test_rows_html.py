"""The helpers the Python-rendered lists share (core/rows_html.py) give what `{% url %}` and `|date` give."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from core.rows_html import Dates, url_for_each


@pytest.mark.parametrize("pk", [1, 42, 2147480001, 9_999_999_999])
def test_url_for_each_gives_what_reverse_gives(pk):
    assert url_for_each("crm:customer_detail")(pk) == reverse("crm:customer_detail", args=[pk])
    assert url_for_each("helpdesk:attachment_download", 7)(pk) == reverse("helpdesk:attachment_download",
                                                                          args=[7, pk])


@pytest.mark.parametrize("language,zone", [("en-gb", "UTC"), ("de", "Europe/Berlin"), ("fr", "America/New_York")])
def test_day_month_and_day_month_year_read_as_the_date_filter_writes_them(language, zone):
    template = Template('{{ d|date:"j M" }}|{{ d|date:"j M Y" }}|{{ d|date:"c" }}')
    moments = [datetime(2026, 1, 1, 2, 30, tzinfo=ZoneInfo("UTC")), datetime(2026, 3, 31, 23, 59, tzinfo=ZoneInfo("UTC")),
               date(2027, 5, 9)]
    with translation.override(language), timezone.override(zone):
        dates = Dates()
        for moment in moments:
            written = "|".join([dates.day_month(moment), dates.day_month_year(moment), dates.iso(moment)])
            assert written == template.render(Context({"d": moment}))


def test_option_tags_escape_labels_and_values_keep_safe_labels_and_mark_the_choice():
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from core.rows_html import option_tags
    from core.templatetags.core_tags import select_options

    choices = [("a&b", "<Tom & \"Jerry\">"), (2, gettext_lazy("Lead")), ("x", mark_safe("<b>kept</b>")), ("", "—")]
    expected = ('<option value="a&amp;b">&lt;Tom &amp; &quot;Jerry&quot;&gt;</option>'
                '<option value="2" selected>Lead</option>'
                '<option value="x"><b>kept</b></option>'
                '<option value="">—</option>')
    assert option_tags(choices, 2) == expected
    assert select_options(choices, "2") == expected  # the template tag is the same function
    nothing_chosen = option_tags(choices, None)  # None is no choice: the empty option is the one shown
    assert nothing_chosen.count(" selected") == 1 and '<option value="" selected>—</option>' in nothing_chosen


def test_option_tags_take_model_instances_as_their_pk_and_name(db, tenant1, make_user):
    from core.rows_html import option_tags

    user = make_user(first_name="Ann", last_name="<O'Neil>")
    assert option_tags([user], user.pk) == (f'<option value="{user.pk}" selected>'
                                            f'{str(user).replace("<", "&lt;").replace(">", "&gt;").replace(chr(39), "&#x27;")}'
                                            '</option>')
