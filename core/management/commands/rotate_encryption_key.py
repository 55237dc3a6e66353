"""Re-encrypt every stored secret (all schemas) with the first key of FIELD_ENCRYPTION_KEY.

Rotation: put the new key first, keep the old one after a comma (FIELD_ENCRYPTION_KEY="new,old"), deploy, run this
command, then drop the old key. `--generate` prints a fresh key.
"""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name, get_tenant_model, schema_context

from core.crypto import EncryptedTextField, _fernet


def encrypted_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


class Command(BaseCommand):
    help = "Re-encrypt every tenant's and the system's secrets with the first FIELD_ENCRYPTION_KEY key."

    def add_arguments(self, parser):
        parser.add_argument("--generate", action="store_true", help="print a new key and exit")

    def handle(self, *args, **options):
        if options["generate"]:
            self.stdout.write(Fernet.generate_key().decode())
            return
        fernet = _fernet(settings.FIELD_ENCRYPTION_KEY)
        schemas = [get_public_schema_name()] + list(
            get_tenant_model().objects.exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True))
        total = 0
        for schema in schemas:
            with schema_context(schema), transaction.atomic():
                existing = set(connection.introspection.table_names())
                for model, field in encrypted_fields():
                    if model._meta.db_table not in existing:
                        continue
                    table, column = model._meta.db_table, field.column
                    with connection.cursor() as cursor:
                        cursor.execute(f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" <> \'\' FOR UPDATE')
                        for pk, token in cursor.fetchall():
                            rotated = fernet.rotate(token.encode()).decode()
                            cursor.execute(f'UPDATE "{table}" SET "{column}" = %s WHERE id = %s', [rotated, pk])
                            total += 1
        self.stdout.write(f"rotate_encryption_key: {total} secret(s) re-encrypted in {len(schemas)} schema(s)")
