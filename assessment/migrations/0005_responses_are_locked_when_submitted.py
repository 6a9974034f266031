from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def lock_submitted_responses(apps, schema_editor):
    """Responses to assessments submitted before this field existed are locked as of their
    submission."""
    Respondent = apps.get_model("assessment", "Respondent")
    Assessment = apps.get_model("assessment", "Assessment")
    submitted = Assessment.objects.filter(pk=OuterRef("assessment_id")).values("submitted_at")
    Respondent.objects.filter(assessment__status="submitted").update(
        locked_at=Subquery(submitted[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_trusts_can_require_two_factor"),
    ]

    operations = [
        migrations.AddField(
            model_name="respondent",
            name="locked_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the board's answers were submitted; this response can no "
                "longer change.",
                null=True,
            ),
        ),
        migrations.RunPython(lock_submitted_responses, migrations.RunPython.noop),
    ]
