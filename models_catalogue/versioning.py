"""Published versions and the rows they own: drafts are edited, published versions never are.

Both the catalogue of organisational forms and the questionnaire are versioned the same
way. A version is a draft, published or retired. Exactly one version of each is published
at a time: the one new assessments pin. Publishing a draft retires the version it replaces;
retired versions stay, unchanged, for the assessments that pinned them.

Immutability is enforced here, in the model layer, so that the admin, services, imports and
the shell all meet the same refusal: saving or deleting a row of a version that is not a
draft raises `VersionLocked`, and so does a queryset update or delete that would touch one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class VersionLocked(ValidationError):
    """An attempt to change a published or retired version, or a row that belongs to one."""


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


LOCKED_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.RETIRED)

_LOCKED_MESSAGE = (
    "Version {number} is {status} and cannot be changed. Make a new draft from it and "
    "edit the draft instead."
)


class VersionQuerySet(models.QuerySet):
    def published(self) -> VersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)

    def drafts(self) -> VersionQuerySet:
        return self.filter(status=VersionStatus.DRAFT)

    def update(self, **kwargs: Any) -> int:
        # Retiring is the one change a published version may take.
        if kwargs != {"status": VersionStatus.RETIRED}:
            locked = self.filter(status__in=LOCKED_STATUSES).first()
            if locked is not None:
                raise VersionLocked(locked.locked_message())
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        locked = self.filter(status__in=LOCKED_STATUSES).first()
        if locked is not None:
            raise VersionLocked(locked.locked_message())
        return super().delete()


class Version(models.Model):
    """A numbered version of a catalogue or questionnaire. Concrete subclasses add content."""

    number = models.PositiveIntegerField(unique=True)
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    note = models.TextField(
        blank=True, help_text="What changed in this version, and why. Shown in the history."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Version {self.number} ({self.get_status_display().lower()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            self._refuse_changes_to_a_locked_version()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored in LOCKED_STATUSES:
            raise VersionLocked(self.locked_message())
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def locked_message(self) -> str:
        return _LOCKED_MESSAGE.format(number=self.number, status=self.get_status_display().lower())

    def _refuse_changes_to_a_locked_version(self) -> None:
        fields = [field.attname for field in self._meta.concrete_fields]
        stored = type(self).objects.filter(pk=self.pk).values(*fields).first()
        if stored is None or stored["status"] == VersionStatus.DRAFT:
            return
        changed = {name for name in fields if stored[name] != getattr(self, name)}
        # The one change a published version may take is retirement.
        retiring = (
            stored["status"] == VersionStatus.PUBLISHED and self.status == VersionStatus.RETIRED
        )
        if changed and not (retiring and changed == {"status"}):
            number, status = stored["number"], VersionStatus(stored["status"]).label.lower()
            raise VersionLocked(_LOCKED_MESSAGE.format(number=number, status=status))


class VersionedRowQuerySet(models.QuerySet):
    """Bulk operations meet the same refusal as single saves."""

    def _locked_rows(self) -> models.QuerySet:
        lookup = f"{self.model.version_path}__status__in"
        return self.filter(**{lookup: LOCKED_STATUSES})

    def _refuse_if_locked(self) -> None:
        row = self._locked_rows().first()
        if row is not None:
            raise VersionLocked(row.owning_version().locked_message())

    def update(self, **kwargs: Any) -> int:
        self._refuse_if_locked()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_if_locked()
        return super().delete()

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for obj in {id(obj): obj for obj in objs}.values():
            obj.refuse_if_version_locked()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        for obj in objs:
            obj.refuse_if_version_locked()
        return super().bulk_update(objs, *args, **kwargs)


class VersionedRow(models.Model):
    """A row owned by a version. `version_path` is the lookup from the row to its version."""

    version_path: ClassVar[str] = "version"

    objects = VersionedRowQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refuse_if_version_locked()
        if self.pk is not None:
            # A row may not be moved out of a locked version either.
            stored = type(self)._base_manager.filter(pk=self.pk).first()
            if stored is not None:
                stored.refuse_if_version_locked()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.refuse_if_version_locked()
        return super().delete(*args, **kwargs)

    def owning_version(self) -> Version:
        target: Any = self
        for step in self.version_path.split("__"):
            target = getattr(target, step)
        return target  # type: ignore[no-any-return]

    def refuse_if_version_locked(self) -> None:
        version = self.owning_version()
        # Read the status afresh: the version may have been published since it was loaded.
        status = type(version).objects.filter(pk=version.pk).values_list("status", flat=True)
        if status.first() in LOCKED_STATUSES:
            raise VersionLocked(version.locked_message())


class PublishRefused(ValidationError):
    """A draft that fails its checks; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems)


def next_version_number(model: type[Version]) -> int:
    latest = model.objects.order_by("-number").values_list("number", flat=True).first()
    return (latest or 0) + 1


def refuse_second_draft(model: type[Version]) -> None:
    draft = model.objects.drafts().first()
    if draft is not None:
        raise ValidationError(
            f"Version {draft.number} is already a draft. Publish it or delete it before "
            "making another."
        )


def publish_version(version: Version, *, user: Any, problems: list[str]) -> None:
    """Make a checked draft the published version, retiring the one it replaces.

    Call inside a transaction, with `version` locked, after checking it.
    """
    from django.utils import timezone

    if not version.is_draft:
        raise ValidationError(
            f"Version {version.number} is not a draft, so it cannot be published."
        )
    if problems:
        raise PublishRefused(problems)
    type(version).objects.published().update(status=VersionStatus.RETIRED)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.save()


def create_row(model: type[models.Model], *, user: Any, **fields: Any) -> Any:
    """Create one row, recording `user` in its history (there is no request to read it from)."""
    row = model(**fields)
    row._history_user = user  # type: ignore[attr-defined]
    row.save()
    return row


def create_rows(model: type[models.Model], rows: Iterable[Any], *, user: Any) -> list[Any]:
    """Create rows in one statement, with their history, so later changes have a baseline."""
    from simple_history.utils import bulk_create_with_history

    return bulk_create_with_history(list(rows), model, default_user=user)  # type: ignore[no-any-return]
