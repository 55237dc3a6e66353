"""Trigram indexes for the customer search, and an index for the live list's default order.

The trigram indexes are created in SQL: Django writes `(UPPER("name") gin_trgm_ops)` for an operator class on an
expression, which PostgreSQL rejects (it wants `((UPPER("name")) gin_trgm_ops)`). The state operations keep the
models' Meta.indexes and the migration state in step.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models


def trigram(model: str, table: str, name: str, expression: str, column: str | None = None):
    """A GIN trigram index on UPPER(column) (what `icontains` compiles to), or on the column itself."""
    target = f'UPPER("{column}")' if column else expression
    index = (django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper(column), name="gin_trgm_ops"),
        name=name) if column else None)
    database = migrations.RunSQL(f"CREATE INDEX {name} ON {table} USING gin (({target}) gin_trgm_ops)",
                                 f"DROP INDEX IF EXISTS {name}")
    if index is None:
        return database
    return migrations.SeparateDatabaseAndState(database_operations=[database],
                                               state_operations=[migrations.AddIndex(model_name=model, index=index)])


class Migration(migrations.Migration):

    dependencies = [
        ("crm", "0007_import_customers_permission"),
    ]

    operations = [
        # pg_trgm lives in `public`, once per database: every tenant schema resolves gin_trgm_ops through the
        # search_path django-tenants sets ("<schema>", public). IF NOT EXISTS because this runs once per schema.
        migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public", migrations.RunSQL.noop),
        # Exactly the expression crm.selectors.customer_list compiles for Concat("first_name", " ", "last_name")
        # __icontains, or the planner will not match it (no model state: Django cannot express it).
        trigram("contact", "crm_contact", "crm_contact_name_trgm",
                """UPPER((COALESCE("first_name", '') || COALESCE((COALESCE(' ', '') || COALESCE("last_name", '')), ''))::text)"""),
        trigram("contactemail", "crm_contactemail", "crm_contact_email_trgm", "", column="address"),
        trigram("contactphone", "crm_contactphone", "crm_contact_phone_trgm", "", column="number"),
        trigram("customer", "crm_customer", "crm_customer_name_trgm", "", column="name"),
        trigram("customer", "crm_customer", "crm_customer_email_trgm", "", column="email"),
        trigram("customer", "crm_customer", "crm_customer_phone_trgm", "", column="phone"),
        trigram("customer", "crm_customer", "crm_customer_website_trgm", "", column="website"),
        trigram("customer", "crm_customer", "crm_customer_regno_trgm", "", column="registration_number"),
        migrations.AddIndex(
            model_name="customer",
            index=django.contrib.postgres.indexes.GinIndex(fields=["normalised_name"], name="crm_customer_nname_trgm",
                                                           opclasses=["gin_trgm_ops"]),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(condition=models.Q(("archived_at__isnull", True)), fields=["normalised_name", "id"],
                               name="crm_customer_live_name"),
        ),
    ]
