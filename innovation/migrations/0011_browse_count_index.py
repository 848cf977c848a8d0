from django.db import migrations

# Browsing and searching ideas count the ideas the reader may see (about 77,000 of 100,000 for a member of a large
# department) on every page view: a parallel scan of the whole table, about 75 ms in each of three processes. A
# covering index of the visibility columns lets PostgreSQL count from the index alone (about 18 ms in each; the
# table is 83 MB, the index a few). INCLUDE is PostgreSQL's, so SQLite gets none (its data is small).
NAME = "idea_visibility_count_idx"
COLUMNS = "(visibility, organisation_id) INCLUDE (author_id, status, is_hidden)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON innovation_idea {COLUMNS}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("innovation", "0010_reporting_year_indexes")]

    operations = [migrations.RunPython(create, drop)]
