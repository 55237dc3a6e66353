from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ai_prompts.services.seeding import prompt_reference_markdown


class Command(BaseCommand):
    help = "Write docs/ai-prompts.md from ai_prompts/defaults/*.toml (--check: fail if it is out of date)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, **options):
        path = settings.BASE_DIR / "docs" / "ai-prompts.md"
        text = prompt_reference_markdown()
        if options["check"]:
            if not path.exists() or path.read_text() != text:
                raise CommandError("docs/ai-prompts.md is out of date: run manage.py prompts_doc")
            return
        path.write_text(text)
        self.stdout.write(f"wrote {path}")
