from django.apps import AppConfig


class AiPromptsConfig(AppConfig):
    name = "ai_prompts"
    verbose_name = "AI prompts and calls"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.seeding import register_public_seeder
        from ai_prompts.services.seeding import prompt_seed_defaults

        # System prompts live in the public schema: shipped files -> public rows (tenant overrides are never touched).
        register_public_seeder("ai_prompts", lambda: prompt_seed_defaults())
        from ai_prompts import features  # noqa: F401  registers the AI features
        from django.utils.translation import gettext_lazy as _

        from core.navigation import Section, register_section

        register_section(Section("ai", _("AI"), "ai_prompts:prompt_list", "stars", "ai_prompts.manage_ai", 940))
