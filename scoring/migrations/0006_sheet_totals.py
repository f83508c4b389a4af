"""The district's sheet totals and the index one school's sheet reads (issue 16).

`SheetTotal` / `SchoolMonthTotal` hold the ledger's sums per (year, school, author, group) and
per (year, school, month), kept in step with every append from now on (scoring.models.totals);
`fill_totals` derives them from the ledger already there. `scoring_event_school_sheet` replaces
`scoring_event_year_school` (its prefix) with an index that also holds every column a school's
sheet reads, so PostgreSQL answers it from the index alone; the ledger's index on the school
alone goes (every read by school names the year too). Both vendors: no raw SQL.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KINDS = ("news", "article", "document", "lecture", "gallery")


# Migration 0002's trigger, as SQLite knows it. Django alters a column on SQLite by building a
# new table and copying the rows over (the AlterField below drops the school's own index), and
# the new table has none of the old one's triggers: without this, the ledger would accept
# UPDATE on SQLite from here on. PostgreSQL alters the table in place and keeps its trigger.
SQLITE_APPEND_ONLY = """
CREATE TRIGGER IF NOT EXISTS scoring_creditevent_no_update BEFORE UPDATE ON scoring_creditevent
BEGIN SELECT RAISE(ABORT, 'scoring_creditevent is append-only (UPDATE refused)'); END;
"""


def restore_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_APPEND_ONLY)


def fill_totals(apps, schema_editor):
    """The totals of every ledger row already written (after-freeze adjustments left out, as
    the sheet leaves them out); months cut in the district's time zone. A copy of
    scoring.models.totals.rebuild_sheet_totals on the historical models."""
    import datetime

    from django.db.models import Q, Sum
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    CreditEvent = apps.get_model("scoring", "CreditEvent")
    SheetTotal = apps.get_model("scoring", "SheetTotal")
    SchoolMonthTotal = apps.get_model("scoring", "SchoolMonthTotal")
    db = schema_editor.connection.alias
    events = CreditEvent.objects.using(db).filter(after_freeze=False).order_by()
    sums = {k: Sum("pages", filter=Q(content_kind=k)) for k in KINDS}
    sums |= {"n_pages": Sum("pages"), "n_points": Sum("points"), "n_bonus": Sum("bonus_points")}
    SheetTotal.objects.using(db).bulk_create(
        (
            SheetTotal(
                school_year_id=row["school_year_id"],
                school_id=row["school_id"],
                author_id=row["author_id"] or 0,
                group_id=row["contributor_group_id"] or 0,
                pages=row["n_pages"] or 0,
                points=row["n_points"] or 0,
                bonus_points=row["n_bonus"] or 0,
                **{k: row[k] or 0 for k in KINDS},
            )
            for row in events.values(
                "school_year_id", "school_id", "author_id", "contributor_group_id"
            ).annotate(**sums)
        ),
        batch_size=2000,
    )
    zone = timezone.get_default_timezone() if settings.USE_TZ else None

    def first_day(month):
        if isinstance(month, datetime.datetime):
            if timezone.is_aware(month):
                month = timezone.localtime(month, zone)
            month = month.date()
        return month.replace(day=1)

    SchoolMonthTotal.objects.using(db).bulk_create(
        (
            SchoolMonthTotal(
                school_year_id=row["school_year_id"],
                school_id=row["school_id"],
                month=first_day(row["month"]),
                pages=row["n_pages"] or 0,
                points=row["n_points"] or 0,
                bonus_points=row["n_bonus"] or 0,
            )
            for row in events.annotate(month=TruncMonth("created_at", tzinfo=zone))
            .values("school_year_id", "school_id", "month")
            .annotate(n_pages=Sum("pages"), n_points=Sum("points"), n_bonus=Sum("bonus_points"))
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('district_site', '0004_leader_review_and_reminder_days'),
        ('school_site', '0012_newspage_category_newest_index'),
        ('scoring', '0005_honourboardpage'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SchoolMonthTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school_id', models.IntegerField()),
                ('month', models.DateField()),
                ('pages', models.IntegerField(default=0)),
                ('points', models.DecimalField(decimal_places=2, default=0, max_digits=14)),
                ('bonus_points', models.DecimalField(decimal_places=2, default=0, max_digits=14)),
            ],
            options={
                'verbose_name': 'Tổng điểm theo tháng',
                'verbose_name_plural': 'Tổng điểm theo tháng',
            },
        ),
        migrations.CreateModel(
            name='SheetTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school_id', models.IntegerField()),
                ('author_id', models.IntegerField(default=0)),
                ('group_id', models.IntegerField(default=0)),
                ('news', models.IntegerField(default=0)),
                ('article', models.IntegerField(default=0)),
                ('document', models.IntegerField(default=0)),
                ('lecture', models.IntegerField(default=0)),
                ('gallery', models.IntegerField(default=0)),
                ('pages', models.IntegerField(default=0)),
                ('points', models.DecimalField(decimal_places=2, default=0, max_digits=14)),
                ('bonus_points', models.DecimalField(decimal_places=2, default=0, max_digits=14)),
            ],
            options={
                'verbose_name': 'Tổng điểm theo người',
                'verbose_name_plural': 'Tổng điểm theo người',
            },
        ),
        migrations.RemoveIndex(
            model_name='creditevent',
            name='scoring_event_year_school',
        ),
        # Unapplying: the AlterField's reverse rebuilds the SQLite table again, and this runs
        # after it.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_trigger),
        migrations.AlterField(
            model_name='creditevent',
            name='school',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='district_site.school', verbose_name='Trường'),
        ),
        migrations.RunPython(restore_sqlite_trigger, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='creditevent',
            index=models.Index(fields=['school_year', 'school', 'after_freeze', 'created_at', 'author', 'contributor_group', 'content_kind', 'pages', 'points', 'bonus_points'], name='scoring_event_school_sheet'),
        ),
        migrations.AddField(
            model_name='schoolmonthtotal',
            name='school_year',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='scoring.schoolyear'),
        ),
        migrations.AddField(
            model_name='sheettotal',
            name='school_year',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='scoring.schoolyear'),
        ),
        migrations.AddConstraint(
            model_name='schoolmonthtotal',
            constraint=models.UniqueConstraint(fields=('school_year', 'school_id', 'month'), name='scoring_schoolmonth_key'),
        ),
        migrations.AddConstraint(
            model_name='sheettotal',
            constraint=models.UniqueConstraint(fields=('school_year', 'school_id', 'author_id', 'group_id'), name='scoring_sheettotal_key'),
        ),
        migrations.RunPython(fill_totals, migrations.RunPython.noop),
    ]
