from django.db import migrations

# Product.refresh_search_text() in SQL: the part number, compact, split into words, then the description.
REFRESH = r"""
UPDATE quotes_product SET search_text =
    lower(part_number) || ' ' || regexp_replace(lower(part_number), '[^0-9a-z]+', '', 'g') || ' '
    || btrim(regexp_replace(lower(part_number), '[^0-9a-z]+', ' ', 'g')) || ' ' || lower(description)
"""


class Migration(migrations.Migration):

    dependencies = [
        ("quotes", "0002_part_number_prefix"),
    ]

    operations = [
        migrations.RunSQL(REFRESH, migrations.RunSQL.noop),
    ]
