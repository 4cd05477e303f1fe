"""Seed the default response grade table: West Yorkshire Police's published grades.

WYP: "Immediate" attended within 15 minutes, "Priority" within 1 hour, the rest by appointment or
over the telephone [V] https://www.westyorkshire.police.uk/about-us/department-profiles/communications-division
A force adds its own table in the admin; these rows (no force) are the default.
"""

from django.db import migrations

SOURCE = (
    "West Yorkshire Police communications division [V] "
    "https://www.westyorkshire.police.uk/about-us/department-profiles/communications-division"
)
DEFAULTS = [
    # code, name, band, target minutes, attendance, order
    ("immediate", "Immediate", "immediate", 15, True, 1),
    ("priority", "Priority", "priority", 60, True, 2),
    ("scheduled", "Scheduled appointment", "scheduled", None, True, 3),
    ("telephone", "Telephone or online resolution", "resolution", None, False, 4),
]


def seed(apps, schema_editor):
    ResponseGrade = apps.get_model("contacts", "ResponseGrade")
    for code, name, band, target, attendance, order in DEFAULTS:
        ResponseGrade.objects.update_or_create(
            force=None,
            code=code,
            defaults={
                "name": name,
                "band": band,
                "target_minutes": target,
                "attendance": attendance,
                "order": order,
                "source": SOURCE,
            },
        )


def unseed(apps, schema_editor):
    ResponseGrade = apps.get_model("contacts", "ResponseGrade")
    ResponseGrade.objects.filter(force=None, code__in=[row[0] for row in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
