"""Domain errors of the AI platform: each carries a message the user can act on."""

from __future__ import annotations

from django.utils.translation import gettext as _


class AiError(Exception):
    """Base class: `str(error)` is shown to the user as is."""

    outcome = "error"


class PromptNotFound(AiError):
    outcome = "prompt_missing"

    def __init__(self, key: str):
        self.key = key
        super().__init__(_("The AI prompt “%(key)s” is missing. A system administrator installs the shipped prompts "
                           "with “manage.py seed_prompts”; an Admin can also create it under Settings → AI prompts.")
                         % {"key": key})


class PromptInvalid(AiError):
    outcome = "prompt_invalid"


class AiNotConfigured(AiError):
    outcome = "not_configured"

    def __init__(self):
        super().__init__(_("AI is not configured: an Admin enters an API key under Settings → AI provider."))


class AiBudgetExceeded(AiError):
    outcome = "over_budget"

    def __init__(self, used: int, budget: int):
        super().__init__(_("This month's AI budget of %(budget)s tokens is used up (%(used)s used). It resets on the "
                           "1st; an Admin can change the plan.") % {"budget": f"{budget:,}", "used": f"{used:,}"})


class AiCallFailed(AiError):
    outcome = "failed"


class AiOutputInvalid(AiError):
    outcome = "invalid_output"
