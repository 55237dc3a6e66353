"""Importing this package registers every AI feature (apps.ready does)."""

from ai_prompts.features import (  # noqa: F401
    action_suggestions,
    activity_cleanup,
    connection_test,
    customer_analysis,
    prompt_test,
    quote_ai,
    ticket_help,
    translation,
)
