"""Permissions of the AI platform. Roles grant them in accounts/roles.py.

- use_ai: start AI work (suggestions, ticket help, note clean-up) and rate results. Everyone who changes things;
  Read-only users see results others produced but start nothing (an AI call spends the tenant's budget).
- manage_ai: edit the tenant's prompt overrides and provider key, see AI usage with every call's full text
  (which holds customer data the caller may not otherwise see): Admins only.
"""

from django.utils.translation import gettext_lazy as _

USE_AI = "ai_prompts.use_ai"
MANAGE_AI = "ai_prompts.manage_ai"

PERMISSIONS = [
    ("use_ai", _("Run AI features (suggestions, ticket help, note clean-up) and rate their results")),
    ("manage_ai", _("Edit AI prompts and the AI provider key, and see AI usage with every call's text")),
]
