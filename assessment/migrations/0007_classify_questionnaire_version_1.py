"""Classify the questions of questionnaire version 1: who answers each, and whether the
board can change it (method.md sections 9 and 10).

Version 1 is published, and the model layer refuses any change to a published version's
rows. This migration is the one deliberate exception, done once: the classification is new
data about who answers a question and what the board can change, not a change to any
question. It changes no question's wording, options, bands or weight, no answer and no
submitted snapshot: a submitted assessment's result is stored whole in its snapshot and is
never recomputed from the questionnaire. So the values are set with queryset updates on the
historical models, which carry none of the model layer's guards.

Each classified question gets a history record, so that the version's list of changes in
the admin says when its questions were classified. On a new database there is no version 1
yet and this does nothing: `manage.py seed` loads version 1 with the same classification,
from the seed file.
"""

from django.db import migrations
from django.utils import timezone

JUDGEMENTS = (
    "QUAL-5",
    "WORK-3",
    "LEAD-3",
    "LEAD-4",
    "LEAD-5",
    "SCALE-4",
    "SYS-1",
    "SYS-2",
    "SYS-3",
    "SYS-4",
    "SYS-5",
    "SYS-7",
    "CHANGE-1",
    "CHANGE-2",
    "CHANGE-3",
    "CHANGE-4",
)
FIXED = ("PROFILE-TYPE", "SCALE-1", "SYS-6")
EXTERNAL = ("SCALE-2", "SYS-1", "SYS-5", "SYS-7")
REASON = "Classified: who answers it and what the board can change"


def classify_version_1(apps, schema_editor):
    Question = apps.get_model("assessment", "Question")
    HistoricalQuestion = apps.get_model("assessment", "HistoricalQuestion")
    questions = Question.objects.filter(version__number=1)
    before = {
        pk: (answered_by, changeable)
        for pk, answered_by, changeable in questions.values_list("pk", "answered_by", "changeable")
    }
    # Everything else in version 1 is a figure, and a lever.
    questions.update(answered_by="figure", changeable="lever")
    questions.filter(code__in=JUDGEMENTS).update(answered_by="judgement")
    questions.filter(code__in=FIXED).update(changeable="fixed")
    questions.filter(code__in=EXTERNAL).update(changeable="external")

    names = [field.attname for field in Question._meta.concrete_fields]
    now = timezone.now()
    HistoricalQuestion.objects.bulk_create(
        HistoricalQuestion(
            **{name: getattr(question, name) for name in names},
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
            history_user=None,
        )
        for question in questions.order_by("pk")
        if before[question.pk] != (question.answered_by, question.changeable)
    )


def unclassify_version_1(apps, schema_editor):
    """Back to the columns' defaults, as 0006 left them, without the history records."""
    Question = apps.get_model("assessment", "Question")
    HistoricalQuestion = apps.get_model("assessment", "HistoricalQuestion")
    Question.objects.filter(version__number=1).update(answered_by="judgement", changeable="lever")
    HistoricalQuestion.objects.filter(history_change_reason=REASON).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0006_questions_say_who_answers_and_what_can_change"),
    ]

    operations = [
        migrations.RunPython(classify_version_1, unclassify_version_1),
    ]
