"""Generic pages for every registered model: list, detail, edit, clone, delete, bulk actions."""

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from irtis.audit.models import AuditEntry

from . import bulk, choices, permissions, relations, tables
from .filters import filterset_class, related_to, visible_filters
from .forms import BulkEditForm, form_class
from .models import BaseModel, JournalEntry, StaleObjectError
from .registry import ModelEntry, entry_for

PAGE_SIZES = (25, 50, 100, 250, 500, 1000)
STALE_MESSAGE = _("Someone else changed this object after you opened it. Your changes were not "
                  "saved: reload the page to see the current values, then make your change again.")


class EntryView(LoginRequiredMixin, View):
    """A page about one registered model; `action` is the permission it needs."""

    entry: ModelEntry = None  # type: ignore[assignment]  # set by as_view(entry=…) in core.urls
    action = "view"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not permissions.allowed(request.user, self.entry, self.action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def queryset(self, action: str | None = None) -> models.QuerySet:
        queryset = self.entry.model._default_manager.all()
        if self.entry.queryset:
            queryset = self.entry.queryset(queryset)
        return permissions.restrict(queryset, self.request.user, action or self.action)

    def get_object(self, pk: int) -> BaseModel:
        return get_object_or_404(self.queryset(), pk=pk)

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"entry": self.entry, "can": self.abilities(), **extra}

    def abilities(self) -> dict[str, bool]:
        user = self.request.user
        return {a: permissions.allowed(user, self.entry, a)
                for a in ("view", "add", "change", "delete", "import", "export")}

    def filtered(self) -> tuple[Any, models.QuerySet]:
        filterset = filterset_class(self.entry)(self.request.GET, queryset=self.queryset("view"), request=self.request)
        if not filterset.is_valid():
            return filterset, self.entry.model._default_manager.none()
        return filterset, filterset.qs


class ListView(EntryView):
    def get(self, request: HttpRequest) -> HttpResponse:
        filterset, queryset = self.filtered()
        columns = tables.chosen_columns(request, self.entry)
        sort, order = tables.ordering(request, self.entry)
        queryset = tables.table_queryset(queryset.order_by(*order), columns)
        try:
            per_page = min(int(request.GET.get("per_page", 50)), PAGE_SIZES[-1])
        except ValueError:
            per_page = 50
        page = Paginator(queryset, max(per_page, 1)).get_page(request.GET.get("page"))
        shown = visible_filters(self.entry)
        template = "core/list_table.html" if request.headers.get("HX-Request") else "core/list.html"
        return render(request, template, self.context(
            filterset=filterset, filter_fields=[filterset.form[n] for n in shown if n in filterset.form.fields],
            columns=columns, all_columns=tables.all_columns(self.entry), sort=sort, page=page,
            page_sizes=PAGE_SIZES, per_page=per_page,
        ))


class DetailView(EntryView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        fields = [f for f in self.entry.value_fields if f.name not in {"id"}]
        # The objects the fields name, in the object's own query rather than one query each.
        joined = [f.name for f in fields if f.many_to_one and f.concrete]
        obj = get_object_or_404(self.queryset().select_related(*joined), pk=pk)
        many = [(f, list(getattr(obj, f.name).all())) for f in self.entry.many_fields]  # a query each
        content_type = ContentType.objects.get_for_model(obj)
        history = AuditEntry.objects.filter(content_type=content_type, object_id=obj.pk).select_related(
            "content_type").order_by("-id")[:50]  # the diff of each entry reads its model
        journal = JournalEntry.objects.filter(content_type=content_type, object_id=obj.pk).select_related("author")
        return render(request, "core/detail.html", self.context(
            object=obj, fields=fields, many=many, related=related_lists(obj, request.user),
            history=history, journal=journal, journal_kinds=JournalEntry.Kind.choices,
            may_comment=self.abilities()["change"] and self.queryset("change").filter(pk=obj.pk).exists(),
        ))


class RelatedView(EntryView):
    """One page of the objects of one reverse relation, for the detail page's panel (htmx)."""

    PER_PAGE = 10

    def get(self, request: HttpRequest, pk: int, relation: str) -> HttpResponse:
        obj = self.get_object(pk)
        found = next((r for r in reverse_relations(self.entry.model, request.user) if r.name == relation), None)
        if found is None:
            raise Http404
        columns = [c for c in tables.all_columns(found.entry)
                   if c.name in found.entry.columns and c.name != found.field.name][:3]
        queryset = found.objects(obj, request.user)
        queryset = tables.table_queryset(queryset.order_by(*tables.ordering(request, found.entry)[1]), columns)
        page = Paginator(queryset, self.PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "core/related_panel.html", self.context(
            object=obj, relation=found, columns=columns, page=page))


@dataclass(frozen=True)
class Reverse:
    """A registered model's foreign key or many-to-many field pointing at another model."""

    entry: ModelEntry
    field: models.Field

    @property
    def name(self) -> str:
        return f"{self.entry.label}.{self.field.name}"

    def objects(self, obj: models.Model, user: object) -> models.QuerySet:
        visible = permissions.restrict(self.entry.model._default_manager.all(), user, "view")
        if self.field.many_to_many:
            return related_to(visible, self.field.name, [obj.pk])
        return visible.filter(**{self.field.name: obj.pk})


def reverse_relations(model: type[models.Model], user: object) -> list[Reverse]:
    """The registered models the user may see that point at `model` (foreign keys, one-to-one
    and many-to-many fields; not those declared hidden with related_name "+", like tags)."""
    relations = []
    for rel in model._meta.related_objects:
        entry = entry_for(cast(type[models.Model], rel.related_model))  # resolved once the apps are loaded
        if entry is None or rel.hidden or not permissions.allowed(user, entry, "view"):
            continue
        relations.append(Reverse(entry, rel.field))
    return relations


def related_lists(obj: models.Model, user: object) -> list[tuple[Reverse, int]]:
    """Each reverse relation of `obj` with the number of objects the user may see in it, all
    counted in one query (a subquery per relation)."""
    relations = reverse_relations(type(obj), user)
    if not relations:
        return []
    counts = {}
    for index, relation in enumerate(relations):
        visible = permissions.restrict(relation.entry.model._default_manager.all(), user, "view")
        name = relation.field.name
        per_object = (visible.filter(**{name: models.OuterRef("pk")}).order_by()
                      .values(name).annotate(n=models.Count("pk")).values("n"))
        counts[f"n{index}"] = Coalesce(models.Subquery(per_object), 0)
    row = type(obj)._default_manager.filter(pk=obj.pk).values(**counts).first() or {}
    return [(relation, row.get(f"n{index}", 0)) for index, relation in enumerate(relations)]


class EditView(EntryView):
    """Create (no pk), clone (`?clone=pk`) or edit (pk)."""

    action = "change"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "pk" not in kwargs:
            self.action = "add"
        return super().dispatch(request, *args, **kwargs)

    def instance(self, pk: int | None) -> models.Model:
        return self.get_object(pk) if pk else self.entry.model()

    def initial(self) -> dict[str, Any]:
        source_pk = self.request.GET.get("clone")
        if not source_pk or not source_pk.isdigit():
            return {}
        source = get_object_or_404(self.queryset("view"), pk=source_pk)
        form = form_class(self.entry)(instance=source)
        unique = {f.name for f in self.entry.model._meta.concrete_fields if f.unique}
        return {k: v for k, v in form.initial.items() if k not in unique and k != "version"}

    def form(self, *args: Any, **kwargs: Any) -> Any:
        form = form_class(self.entry)(*args, **kwargs)
        choices.prepare(form, self.entry, self.request.user)
        for name in self.entry.fields_read_only(form.instance, self.request.user):
            if name in form.fields:
                form.fields[name].disabled = True  # a posted value is ignored
        return form

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        return self.show(self.form(instance=self.instance(pk), initial=self.initial()))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        form = self.form(request.POST, instance=self.instance(pk))
        if form.is_valid():
            try:
                with transaction.atomic():
                    obj = form.save()
                    permissions.ensure(request.user, [obj], self.action)
            except StaleObjectError:
                form.add_error(None, STALE_MESSAGE)
                return self.show(form, status=409)
            messages.success(request, _("Saved: %(object)s") % {"object": obj})
            return redirect(obj.get_absolute_url())
        return self.show(form, status=400)

    def show(self, form: Any, status: int = 200) -> HttpResponse:
        return render(self.request, "core/edit.html", self.context(form=form), status=status)


def deletion_preview(objects: list[models.Model]) -> tuple[dict[str, int], list[models.Model]]:
    """What deleting `objects` would also delete (counts by type), and what protects them."""
    collector = Collector(using="default")
    try:
        collector.collect(objects)
    except (ProtectedError, RestrictedError) as error:
        return {}, sorted(error.args[1], key=str)[:50]
    counts: dict[str, int] = {}
    for model, instances in collector.data.items():
        label = str(model._meta.verbose_name_plural)
        counts[label] = counts.get(label, 0) + len(instances)
    for queryset in collector.fast_deletes:
        label = str(queryset.model._meta.verbose_name_plural)
        counts[label] = counts.get(label, 0) + queryset.count()
    return counts, []


class DeleteView(EntryView):
    action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        cascade, protected = deletion_preview([obj])
        return render(request, "core/delete.html", self.context(
            objects=[obj], cascade=cascade, protected=protected,
        ))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        try:
            with transaction.atomic():
                obj.delete()
        except (ProtectedError, RestrictedError):
            return self.get(request, pk)
        messages.success(request, _("Deleted: %(object)s") % {"object": obj})
        return redirect(self.entry.url_name("list"))


class BulkView(EntryView):
    """Acts on the rows ticked in a list (`pk`), or on the whole filtered list (`all`)."""

    def selected(self) -> models.QuerySet:
        if self.request.POST.get("all"):
            _, queryset = self.filtered()
        else:
            ids = [p for p in self.request.POST.getlist("pk") if p.isdigit()]
            queryset = self.entry.model._default_manager.filter(pk__in=ids)
        return queryset.filter(pk__in=self.queryset().values("pk"))

    def back(self) -> HttpResponse:
        """To the list the action came from (`return_url`), if it is a page of this site."""
        url = self.request.POST.get("return_url", "")
        if not url_has_allowed_host_and_scheme(url, {self.request.get_host()}, self.request.is_secure()):
            return redirect(self.entry.url_name("list"))
        return redirect(url)


class BulkEditView(BulkView):
    action = "change"

    def post(self, request: HttpRequest) -> HttpResponse:
        objects = list(self.selected())
        if not objects:
            messages.warning(request, _("No objects were selected."))
            return self.back()
        form = BulkEditForm(self.entry, request.user, request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            errors = bulk_apply(objects, form.changes(), request.user)
            if not errors:
                messages.success(request, _("Changed %(count)d objects.") % {"count": len(objects)})
                return self.back()
            for obj, error in errors:
                form.add_error(None, f"{obj}: {'; '.join(error.messages)}")
        return render(request, "core/bulk_edit.html", self.context(form=form, objects=objects))


def bulk_apply(
    objects: list[BaseModel], values: dict[str, Any], user: object
) -> list[tuple[BaseModel, ValidationError]]:
    """Set `values` on every object and save them all, or none if any is invalid. A
    many-to-many value is a (mode, objects) pair: add them, remove them, or replace the set."""
    errors = []
    many = {name: value for name, value in values.items() if objects[0]._meta.get_field(name).many_to_many}
    for obj in objects:
        for name, value in values.items():
            if name not in many:
                setattr(obj, name, value)
        try:
            obj.full_clean()
        except ValidationError as error:
            errors.append((obj, error))
    if not errors:
        with transaction.atomic():
            for obj in objects:
                obj.save()
            for name, (mode, chosen) in many.items():
                field = cast(models.ManyToManyField, objects[0]._meta.get_field(name))  # one of `many`
                current = relations.related_ids(field, [obj.pk for obj in objects])
                ids = {o.pk for o in chosen}
                wanted = [ids if mode == BulkEditForm.REPLACE else
                          set(current[obj.pk]) | ids if mode == BulkEditForm.ADD else
                          set(current[obj.pk]) - ids for obj in objects]
                relations.assign(objects, field, wanted)
            permissions.ensure(user, objects, "change")
    return errors


class BulkDeleteView(BulkView):
    action = "delete"

    def post(self, request: HttpRequest) -> HttpResponse:
        objects = list(self.selected())
        if not objects:
            messages.warning(request, _("No objects were selected."))
            return self.back()
        cascade, protected = deletion_preview(objects)
        if "confirm" in request.POST and not protected:
            bulk.delete_objects(objects)
            messages.success(request, _("Deleted %(count)d objects.") % {"count": len(objects)})
            return redirect(self.entry.url_name("list"))
        return render(request, "core/delete.html", self.context(
            objects=objects, cascade=cascade, protected=protected, bulk=True,
        ))


class JournalView(EntryView):
    """Adds a comment to an object's journal. Writing in it is changing the object's record, so it
    takes the permission to change that object (within its constraints); viewing only reads it."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        text = request.POST.get("comments", "").strip()
        kind = request.POST.get("kind", JournalEntry.Kind.INFO)
        if not text or kind not in JournalEntry.Kind.values:
            messages.error(request, _("Write a comment before saving it."))
        else:
            JournalEntry.objects.create(target=obj, author_id=request.user.pk, kind=kind, comments=text)
        return redirect(obj.get_absolute_url() + "#journal")



def refused(request: HttpRequest, obj: models.Model, message: str, status: int = 409) -> HttpResponse:
    """The page of an action refused on `obj` (a domain rule, or a change made meanwhile): the
    message, and the way back to the object."""
    messages.error(request, message)
    return render(request, "refused.html", {"object": obj}, status=status)
