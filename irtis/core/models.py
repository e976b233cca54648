"""The base every recorded object stands on: versions, tags, journal, change records, search."""

import uuid
from typing import Any, cast

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from . import collation
from .names import NameField, SlugNameField
from .registry import entry_for, register


class StaleObjectError(Exception):
    """The object was changed or deleted by someone else since it was read."""


class ChangeLogged(models.Model):
    """Saves and deletes write an audit entry in the same transaction (see core.changes).

    The values loaded from the database are kept as the "before" picture of the next change.
    """

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            self._loaded = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    @classmethod
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def]
        instance = super().from_db(db, field_names, values)
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance


class BaseModel(ChangeLogged):
    """A registered object: versioned for optimistic locking and timestamped."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    _m2m: dict[str, Any]  # many-to-many values a form sets after saving (core.forms)
    _expected_version: int | None  # the version an update must find (None: unversioned columns)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert, or update only if nobody changed the row since `version` was read.

        A save of only the registration's `unversioned` columns neither checks nor bumps the
        version; any other save of some columns (`update_fields`) writes the version with them.
        """
        if self._state.adding:
            self.version = 1
            return super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is not None:
            entry = entry_for(type(self))
            if fields and entry and set(fields) <= set(entry.unversioned):
                self._expected_version = None
                return super().save(*args, **kwargs)
            kwargs["update_fields"] = {*fields, "version", "updated"}
        self._expected_version = self.version
        self.version += 1
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = self._expected_version
            raise

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        from .registry import ModelEntry

        return reverse(cast(ModelEntry, entry_for(type(self))).url_name("detail"), args=[self.pk])  # registered

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):  # type: ignore[no-untyped-def]
        if self._expected_version is None:  # unversioned columns only
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        if super()._do_update(
            base_qs.filter(version=self._expected_version), using, pk_val, values,
            update_fields, forced_update,
        ):
            return True
        raise StaleObjectError(self)

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class ColourField(models.CharField):
    """A colour as #rrggbb, the only form a page or a picture may use it in (never CSS text)."""

    default_validators = [RegexValidator(r"\A#[0-9a-fA-F]{6}\Z", _("Write a colour as #rrggbb."))]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("default", "#6c757d")
        super().__init__(*args, **kwargs)


@register(group="admin", columns=("name", "slug", "color", "description"), search=("slug", "description"),
          key="slug")
class Tag(BaseModel):
    """A label any tagged object can carry, for filtering and grouping."""

    name = NameField(_("name"), max_length=100, unique=True)
    slug = SlugNameField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    color = ColourField(_("colour"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        indexes = [collation.index("name", "core_tag_lt")]

    def __str__(self) -> str:
        return self.name


class TaggedModel(BaseModel):
    """A registered object that carries tags: a many-to-many field like any other."""

    tags = models.ManyToManyField(Tag, blank=True, related_name="+", verbose_name=_("tags"))

    class Meta:
        abstract = True


class JournalEntry(ChangeLogged):
    """A comment written on an object's page."""

    class Kind(models.TextChoices):
        INFO = "info", _("information")
        SUCCESS = "success", _("success")
        WARNING = "warning", _("warning")
        DANGER = "danger", _("problem")

    content_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INFO)
    comments = models.TextField(_("comments"))

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-created"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.author}"


class SearchEntry(models.Model):
    """One registered object as the global search and the `q` filter see it.

    `text` is case-folded with diacritics removed, so "salcininku" finds "Šalčininkų PKP".
    """

    content_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_entry_object")
        ]

    def __str__(self) -> str:
        return self.title


class ImportUpload(models.Model):
    """A file read for an import, kept on the server from its preview to its confirmation: the
    plan never travels through the browser. Only its user may use it, by its id and the file's
    hash, until it expires. Bookkeeping like a task run: not audited (the import's writes are)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    model = models.CharField(max_length=100)  # the registered model's label
    digest = models.CharField(max_length=64)  # SHA-256 of the file
    rows = models.BinaryField()  # the rows read, as zlib-compressed JSON
    row_count = models.PositiveIntegerField()
    expires = models.DateTimeField()
    run = models.UUIDField(null=True)  # the background run checking or importing it
    result = models.JSONField(null=True)  # the latest preview, or the import's outcome

    class Meta:
        indexes = [models.Index(fields=["expires"], name="core_importupload_expires")]

    def __str__(self) -> str:
        return f"{self.model} {self.digest[:12]}"
