from django import template

register = template.Library()


@register.simple_tag
def ai_is_configured() -> bool:
    """For AI controls embedded in other apps' pages: show them, or say how to configure AI."""
    from ai_prompts.services.providers import ai_configured

    return ai_configured()
