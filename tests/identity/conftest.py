"""Fixtures of the identity tests: the real Samba AD domain controller."""

from tests.support.samba import samba_dc  # noqa: F401  (session fixture, started on first use)
