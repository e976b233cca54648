"""The backup section of the infrastructure description (irtis.architecture stands below
backups, so backups adds it: `infrastructure.add_section`)."""

from collections import defaultdict
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from irtis.architecture.common import field_text, label, link, text, visible
from irtis.architecture.document import Cell, Document, Table

from .models import BackupPolicy, BackupRepository


def section(doc: Document, user: object) -> None:
    part = doc.section("backup", _("Backup"), empty=_("No backup repositories or policies are recorded."))
    repositories = list(visible(BackupRepository.objects.all(), user).select_related("site")
                        .annotate(n_policies=models.Count("policies")).order_by("name"))
    if repositories:
        table = Table([label(BackupRepository, "name"), label(BackupRepository, "tool"),
                       label(BackupRepository, "site"), label(BackupRepository, "immutable"),
                       label(BackupRepository, "offline"), _("Policies")], caption=_("Backup repositories"))
        for repository in repositories:
            table.rows.append([link(repository), Cell(field_text(repository, "tool")),
                               Cell(repository.site.code if repository.site_id else "—"),
                               Cell(text(repository.immutable)), Cell(text(repository.offline)),
                               Cell(str(repository.n_policies))])
        part.tables.append(table)
    by_system: dict[Any, list[BackupPolicy]] = defaultdict(list)
    for policy in visible(BackupPolicy.objects.all(), user).select_related("system"):
        by_system[policy.system].append(policy)
    if by_system:
        table = Table([label(BackupPolicy, "system"), _("Policies"), _("Shortest RPO (min)"),
                       _("Longest RTO (h)"), _("With an offline or immutable copy")],
                      caption=_("Backup policies per information system"))
        for system, policies in sorted(by_system.items(), key=lambda kv: (kv[0] is None, str(kv[0] or ""))):
            rpos = [p.rpo_minutes for p in policies if p.rpo_minutes is not None]
            rtos = [p.rto_hours for p in policies if p.rto_hours is not None]
            isolated = sum(p.offline or p.immutable or p.tape for p in policies)
            table.rows.append([link(system, system.code) if system else Cell(_("no system")),
                               Cell(str(len(policies))), Cell(text(min(rpos)) if rpos else "—"),
                               Cell(text(max(rtos)) if rtos else "—"),
                               Cell(f"{isolated} / {len(policies)}", warn=isolated < len(policies))])
        part.tables.append(table)
