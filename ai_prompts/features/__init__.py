"""Importing this package registers every AI feature (apps.ready does)."""

from ai_prompts.features import action_suggestions, connection_test, prompt_test  # noqa: F401
