from django.db import migrations

# The dashboards and the annual report count a year's ideas by status (submitted in the year) and the days to a
# decision (decided in the year), for every organisation or a few. Tens of thousands of ideas a year make each a
# scan of the whole table (40 ms at 100,000 ideas, four times a dashboard); covering indexes let PostgreSQL answer
# from the index alone (5 to 10 ms). INCLUDE is PostgreSQL's, so SQLite gets none (its data is small).
INDEXES = {
    "idea_submitted_year_idx": "(submitted_at) INCLUDE (status, organisation_id, origin_organisation_id, id)",
    "idea_decided_year_idx": "(decided_at) INCLUDE (submitted_at, organisation_id, origin_organisation_id)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON innovation_idea {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("innovation", "0009_email_digests")]

    operations = [migrations.RunPython(create, drop)]
