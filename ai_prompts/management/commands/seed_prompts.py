from django.core.management.base import BaseCommand

from ai_prompts.services.seeding import prompt_seed_defaults


class Command(BaseCommand):
    help = "Install the shipped default prompts as system prompts (idempotent; tenant overrides are never touched)."

    def handle(self, *args, **options):
        report = prompt_seed_defaults()
        self.stdout.write(f"seed_prompts: {len(report['created'])} created, {len(report['updated'])} updated, "
                          f"{len(report['unchanged'])} unchanged")
