"""Take an editor's note out of a source that boards read.

The seed gave the merger form the source "Evidence reviews find most mergers fail to
improve productivity or finances; show this risk to boards". The second half is an
instruction to editors (the risk is in the form's risks), yet boards read it under
"Sources". Sources are board-facing text, so the note cannot be hidden by not rendering a
field: it is taken out of every stored version, published ones included. The model layer
keeps published versions unchanged; this one correction goes round it, is recorded in each
form's history with its reason, and changes no score (sources take no part in ranking).
"""

from django.db import migrations
from django.utils import timezone

WITH_NOTE = (
    "Evidence reviews find most mergers fail to improve productivity or finances; "
    "show this risk to boards"
)
WITHOUT_NOTE = "Evidence reviews find most mergers fail to improve productivity or finances"
REASON = "Took an editor's note out of the sources, which boards read."


def remove_the_note(apps, schema_editor):
    form_model = apps.get_model("models_catalogue", "OrganisationalForm")
    history_model = apps.get_model("models_catalogue", "HistoricalOrganisationalForm")
    fields = [field.attname for field in form_model._meta.concrete_fields]
    for form in form_model.objects.order_by("pk"):
        if not isinstance(form.sources, list) or WITH_NOTE not in form.sources:
            continue
        form.sources = [WITHOUT_NOTE if source == WITH_NOTE else source for source in form.sources]
        form.save(update_fields=["sources"])
        history_model.objects.create(
            **{name: getattr(form, name) for name in fields},
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [("models_catalogue", "0001_catalogue_versions")]

    operations = [migrations.RunPython(remove_the_note, migrations.RunPython.noop, elidable=True)]
