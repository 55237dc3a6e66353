"""Feature 6: translation of a quote's customer-facing text, and of a ticket reply draft.

Contacts carry no language in CCS, so the user picks one from LANGUAGES; the form offers the language last used
for the same quote or ticket. A quote's translation is a preview: the estimator applies it item by item or all at
once (`quote_translation_apply`, through the quote services; drafts only). A reply's translation is put in the
reply box by the agent, with the draft they wrote kept beside it.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ai_prompts.errors import AiError
from ai_prompts.features.quote_ai import _quote, _quote_for_user, _requester_group
from ai_prompts.features.registry import Feature, feature_register

QUOTE_KEY = "quote_translate"
REPLY_KEY = "ticket_reply_translate"
MAX_REPLY = 8000

# The languages offered (English names: the prompt names the target language this way).
LANGUAGES = ["English", "French", "German", "Spanish", "Italian", "Portuguese", "Dutch", "Polish", "Welsh", "Irish",
             "Swedish", "Danish", "Norwegian", "Finnish", "Czech", "Romanian", "Hungarian", "Greek", "Turkish",
             "Arabic", "Hindi", "Urdu", "Chinese (Simplified)", "Japanese"]

HEADER_ITEMS = {"title": gettext_lazy("Title"), "introduction": gettext_lazy("Introduction"),
                "terms": gettext_lazy("Terms and conditions")}


def language_last_used(*, feature: str, subject_id: int) -> str:
    """The language of the latest translation of this quote or ticket, by anyone: the contact's, most likely."""
    from ai_prompts.models import AiJob

    language = (AiJob.objects.filter(feature=feature, subject_id=subject_id).order_by("-created_at", "-id")
                .values_list("input__language", flat=True).first())
    return language if language in LANGUAGES else ""


# A quote -----------------------------------------------------------------------------------------------------------

def quote_translatable_items(quote) -> list[dict]:
    """What the customer reads, in document order: title, introduction, each line's description, terms. Empty texts
    are left out; part numbers, figures and internal notes are never sent."""
    items = [{"id": "title", "label": str(HEADER_ITEMS["title"]), "text": quote.title}]
    if quote.introduction.strip():
        items.append({"id": "introduction", "label": str(HEADER_ITEMS["introduction"]), "text": quote.introduction})
    for number, line in enumerate(quote.lines.order_by("position", "id"), start=1):
        if line.description.strip():
            items.append({"id": f"line-{line.pk}", "label": _("Line #%(n)s") % {"n": number},
                          "text": line.description})
    if quote.terms.strip():
        items.append({"id": "terms", "label": str(HEADER_ITEMS["terms"]), "text": quote.terms})
    return items


def quote_variables(job, quote) -> dict:
    items = [{"id": item["id"], "text": item["text"]} for item in quote_translatable_items(quote)]
    return {"target_language": job.input.get("language", ""), "items": json.dumps(items, ensure_ascii=False, indent=1)}


def quote_postprocess(job, quote, data: dict) -> dict:
    """Each item with its original (as sent) and translation; an item the model left out is marked missing, and
    anything it invented is ignored."""
    translated = {}
    for item in data.get("items") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("text"), str):
            translated.setdefault(item["id"], item["text"].strip())
    items = []
    for item in quote_translatable_items(quote):
        translation = translated.get(item["id"], "")
        if item["id"] == "title":
            translation = translation[:200]
        items.append({"id": item["id"], "label": item["label"], "original": item["text"], "translation": translation,
                      "missing": not translation})
    if not any(item["translation"] for item in items):
        raise AiError(_("The AI returned no translation for any part of the quote; ask again."))
    return {"language": job.input.get("language", ""), "items": items, "applied": []}


FEATURE_QUOTE = feature_register(Feature(
    key="quote_translate",
    prompt_key=QUOTE_KEY,
    view_permission="quotes.view_quotes",
    subject_for_user=_quote_for_user,
    subject_load=_quote,
    panel_template="ai_prompts/features/quote_translate.html#panel",
    build_variables=quote_variables,
    postprocess=quote_postprocess,
    push_groups=_requester_group,
))


# A ticket reply --------------------------------------------------------------------------------------------------

def _ticket_for_user(user, subject_id):
    from helpdesk.selectors import ticket_get_for_user

    return ticket_get_for_user(user=user, pk=subject_id)


def _ticket(subject_id):
    from helpdesk.models import Ticket

    return Ticket.objects.select_related("customer", "contact").get(pk=subject_id)


def reply_variables(job, ticket) -> dict:
    return {"target_language": job.input.get("language", ""), "ticket_subject": ticket.subject,
            "reply_text": job.input.get("text", "")}


def reply_postprocess(job, ticket, data: dict) -> dict:
    return {"language": job.input.get("language", ""), "original": job.input.get("text", ""),
            "translation": str(data.get("translation", "")).strip()}


FEATURE_REPLY = feature_register(Feature(
    key="ticket_reply_translate",
    prompt_key=REPLY_KEY,
    view_permission="helpdesk.view_tickets",
    subject_for_user=_ticket_for_user,
    subject_load=_ticket,
    panel_template="ai_prompts/features/ticket_reply_translate.html#panel",
    build_variables=reply_variables,
    postprocess=reply_postprocess,
    per_user=True,
    push_groups=_requester_group,
))
