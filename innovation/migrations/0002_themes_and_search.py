"""The starting themes, and on PostgreSQL the pg_trgm extension with the indexes similar-idea search uses.

SQLite (the embedded default) has neither trigrams nor GIN indexes; its search falls back to word matching."""

from django.db import migrations

THEMES = [
    ("digital-and-ai", "Digital and AI"),
    ("demand-management", "Demand management"),
    ("customer-experience", "Customer experience"),
    ("process-simplification", "Process simplification"),
    ("staff-wellbeing", "Staff wellbeing"),
    ("data-and-insight", "Data and insight"),
    ("sustainability", "Sustainability"),
    ("joining-up-services", "Joining up services"),
]

SEARCH_INDEXES = [
    "CREATE INDEX IF NOT EXISTS idea_title_trgm ON innovation_idea USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS idea_fulltext ON innovation_idea USING gin "
    "(to_tsvector('english'::regconfig, title || ' ' || problem))",
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("innovation", "Theme")
    for slug, name in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name})


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for statement in SEARCH_INDEXES:
        schema_editor.execute(statement)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS idea_title_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS idea_fulltext")


class Migration(migrations.Migration):
    dependencies = [("innovation", "0001_initial")]

    operations = [
        migrations.RunPython(add_themes, migrations.RunPython.noop),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
