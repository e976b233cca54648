"""Setting and reading a repository's password (kept encrypted: irtis.core.secrets).

Setting it is audited as a change of the repository that names no value: `{"password": "set"}`.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from irtis.core import secrets as keys

from . import tools
from .models import BackupRepository, RepositorySecret, Tool

NEEDS_PASSWORD = (Tool.RESTIC, Tool.BORG)


class NoPassword(tools.ToolError):
    pass


def set_password(repository: BackupRepository, password: str) -> None:
    """Store the password encrypted and audit that it changed (never the value)."""
    if not password:
        raise ValueError("empty password")
    with transaction.atomic():
        existed = RepositorySecret.objects.filter(repository=repository).exists()
        RepositorySecret.objects.update_or_create(
            repository=repository,
            defaults={"ciphertext": keys.encrypt(password, repository.pk), "key_id": keys.key_id()},
        )
        keys.audit_change(repository, "password", existed, True)


def has_password(repository: BackupRepository) -> bool:
    return RepositorySecret.objects.filter(repository=repository).exists()


def repo(repository: BackupRepository) -> tools.Repo:
    """What the tools need to open the repository, its password decrypted."""
    secret = RepositorySecret.objects.filter(repository=repository).first()
    if secret is None:
        if repository.tool in NEEDS_PASSWORD:
            raise NoPassword(_("No password is set for repository %(name)s.") % {"name": repository.name})
        return tools.Repo(repository.tool, repository.location, "")
    try:
        password = keys.decrypt(secret.ciphertext, repository.pk)
    except keys.SecretUnreadable:
        raise NoPassword(_("The stored password of repository %(name)s cannot be decrypted with this "
                           "server's backup key; set it again.") % {"name": repository.name}) from None
    return tools.Repo(repository.tool, repository.location, password)
