"""Reference data: the need categories' names in Russian, for offers to a Russian-speaking
family (the headings of the offer's sections)."""

from django.db import migrations

NAMES_RU = {
    "family": "Услуги для семьи и образование",
    "housing": "Жильё",
    "work": "Работа",
    "business": "Предпринимательство",
    "social": "Социальные и бытовые вопросы",
    "adult_education": "Образование для взрослых",
    "other": "Другое",
}


def load(apps, schema_editor):
    NeedCategory = apps.get_model("municipalities", "NeedCategory")
    for code, name in NAMES_RU.items():
        NeedCategory.objects.filter(code=code, name_ru="").update(name_ru=name)


def unload(apps, schema_editor):
    NeedCategory = apps.get_model("municipalities", "NeedCategory")
    NeedCategory.objects.filter(code__in=NAMES_RU).update(name_ru="")


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0003_texts_per_language")]

    operations = [migrations.RunPython(load, unload)]
