from django import template

register = template.Library()


@register.simple_tag
def ai_is_configured() -> bool:
    """For AI controls embedded in other apps' pages: show them, or say how to configure AI."""
    from ai_prompts.services.providers import ai_configured

    return ai_configured()


@register.simple_tag
def ai_languages() -> list[str]:
    """The languages the translation features offer."""
    from ai_prompts.features.translation import LANGUAGES

    return LANGUAGES


@register.simple_tag
def ai_language_default(feature: str, subject_id, job=None) -> str:
    """The language to preselect: the one of the user's own last translation, else the last one used for this quote
    or ticket by anyone (contacts carry no language in CCS: the last choice is the best guess)."""
    from ai_prompts.features.translation import LANGUAGES, language_last_used

    language = (getattr(job, "input", None) or {}).get("language") or ""
    if language in LANGUAGES:
        return language
    return language_last_used(feature=feature, subject_id=subject_id) if subject_id else ""
