"""Weight the stored search document: title words (A) rank above problem words (B), so search can rank on
``ts_rank`` alone instead of a trigram similarity computed for every matching row (the costly part at
100,000 ideas; see benchmarks/README.md). The trigger now fires only when the title or problem changes, not
on every status change. A no-op on SQLite."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION innovation_idea_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.problem, '')), 'B');
    RETURN NEW;
END
$$
"""
TRIGGER = """
CREATE TRIGGER idea_search_document BEFORE INSERT OR UPDATE OF title, problem ON innovation_idea
FOR EACH ROW EXECUTE FUNCTION innovation_idea_search_document()
"""
OLD_TRIGGER = """
CREATE TRIGGER idea_search_document BEFORE INSERT OR UPDATE ON innovation_idea FOR EACH ROW
EXECUTE FUNCTION tsvector_update_trigger(search_document, 'pg_catalog.english', title, problem)
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS idea_search_document ON innovation_idea")
    schema_editor.execute(FUNCTION)
    schema_editor.execute(TRIGGER)
    schema_editor.execute("UPDATE innovation_idea SET title = title")  # fires the trigger for every row


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS idea_search_document ON innovation_idea")
    schema_editor.execute("DROP FUNCTION IF EXISTS innovation_idea_search_document()")
    schema_editor.execute(OLD_TRIGGER)
    schema_editor.execute(
        "UPDATE innovation_idea SET search_document = to_tsvector('pg_catalog.english', "
        "coalesce(title, '') || ' ' || coalesce(problem, ''))"
    )


class Migration(migrations.Migration):
    dependencies = [("innovation", "0006_stored_search_document")]

    operations = [migrations.RunPython(forwards, backwards)]
