"""Reads for the quote pages that are more than a one-liner."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

from quotes.models import Quote


def quote_owner_choices() -> list[tuple[int, str]]:
    """(pk, name) of the people a quote list can be filtered by: active users who may write quotes, and anyone who
    owns one. Not every user: a large team of read-only colleagues would make the menu (and the page) heavy."""
    user_model = get_user_model()
    can_write = Permission.objects.filter(content_type__app_label="quotes", codename="change_quotes")
    users = (user_model.objects.filter(Q(is_active=True, groups__permissions__in=can_write)
                                       | Q(Exists(Quote.objects.filter(owner=OuterRef("pk")))))
             .distinct().order_by("first_name", "last_name", "email").values_list("pk", "first_name", "last_name",
                                                                                   "email"))
    return [(pk, f"{first} {last}".strip() or email) for pk, first, last, email in users]
