from django.db import migrations

# The seven municipalities of Västernorrland county, with their official codes.
MUNICIPALITIES = [
    ("2260", "Ånge", "Medelpad"),
    ("2262", "Timrå", "Medelpad"),
    ("2280", "Härnösand", "Ångermanland"),
    ("2281", "Sundsvall", "Medelpad"),
    ("2282", "Kramfors", "Ångermanland"),
    ("2283", "Sollefteå", "Ångermanland"),
    ("2284", "Örnsköldsvik", "Ångermanland"),
]


def add_municipalities(apps, schema_editor):
    Municipality = apps.get_model("organisations", "Municipality")
    for code, name, province in MUNICIPALITIES:
        Municipality.objects.update_or_create(
            code=code,
            defaults={"name": name, "province": province, "county": "Västernorrlands län"},
        )


def remove_municipalities(apps, schema_editor):
    Municipality = apps.get_model("organisations", "Municipality")
    Municipality.objects.filter(code__in=[code for code, _n, _p in MUNICIPALITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(add_municipalities, remove_municipalities)]
