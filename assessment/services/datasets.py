"""Published datasets: checked whole by the reader (`assessment.datasets`), then stored whole.

A load that has any problem stores nothing. Organisations the service does not know are
counted and skipped, not problems: national files list every trust in England.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from assessment.datasets import DatasetRead
from assessment.models import Organisation, PublishedDataset, PublishedValue


def known_ods_codes() -> set[str]:
    return set(Organisation.objects.values_list("ods_code", flat=True))


@transaction.atomic
def published_dataset_store(
    *, dataset: PublishedDataset, read: DatasetRead, user: Any
) -> PublishedDataset:
    """Store a dataset the reader found no problem in, and every value it gave."""
    if read.problems:
        raise ValueError("A dataset with problems is never stored.")
    dataset.rows_read = read.rows_read
    dataset.blanks = read.blanks
    dataset.unknown_organisations = list(read.unknown_organisations)
    dataset.loaded_by = user
    dataset.save()
    organisations = dict(
        Organisation.objects.filter(
            ods_code__in={value.ods_code for value in read.values}
        ).values_list("ods_code", "pk")
    )
    PublishedValue.objects.bulk_create(
        [
            PublishedValue(
                dataset=dataset,
                organisation_id=organisations[value.ods_code],
                question_code=value.question,
                value=value.value,
                metric=value.metric[:200],
                row=value.row,
                column=value.column[:200],
            )
            for value in read.values
        ],
        batch_size=1000,
    )
    return dataset
