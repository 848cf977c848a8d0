"""Recreate the full-text index with exactly the expression Django generates for the search document
(``selectors._document``), so PostgreSQL can use it. A no-op on SQLite."""

from django.db import migrations

DOCUMENT = (
    "to_tsvector('english'::regconfig, COALESCE((COALESCE(title, '') || "
    "COALESCE((COALESCE(' ', '') || COALESCE(problem, '')), '')), ''))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS idea_fulltext")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS idea_document ON innovation_idea USING gin ({DOCUMENT})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS idea_document")


class Migration(migrations.Migration):
    dependencies = [("innovation", "0003_draft_answers_and_text_limits")]

    operations = [migrations.RunPython(forwards, backwards)]
