from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class ServiceDeskConfig(AppConfig):
    name = "irtis.servicedesk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        from irtis.core.bulk import saved_many
        from irtis.notifications import kinds

        from . import access, jobs  # noqa: F401  (the escalation job for workers and schedules)
        from .models import Article

        kinds.register("servicedesk.request_new", _("New service desk request"),
                       subject=_("New request %(object)s (%(priority)s)"),
                       template="servicedesk/notifications/request_new.txt", digest=5)
        kinds.register("servicedesk.target_near", _("Service desk target near"),
                       subject=_("Request %(object)s: a target is near or past"),
                       template="servicedesk/notifications/target_near.txt", digest=0)
        kinds.register("servicedesk.reply", _("Reply to your request"),
                       subject=_("%(object)s"), template="servicedesk/notifications/reply.txt",
                       channel="email", digest=0)
        post_save.connect(_index_one, sender=Article, dispatch_uid="servicedesk_article_terms")
        saved_many.connect(_index_many, sender=Article, dispatch_uid="servicedesk_article_terms_bulk")
        post_migrate.connect(_sync_access, sender=self, dispatch_uid="servicedesk_requester_role")


def _index_one(sender: type, instance: Any, **kwargs: Any) -> None:
    from . import search

    search.index([instance])


def _index_many(sender: type, objects: Any, **kwargs: Any) -> None:
    from . import search

    search.index(list(objects))


def _sync_access(**kwargs: Any) -> None:
    from . import access

    access.sync()
