"""Suppliers (tiekėjai) and their contact people."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from irtis.core import collation
from irtis.core.models import TaggedModel
from irtis.core.names import NameField
from irtis.core.registry import register


@register(
    group="procurement",
    columns=("name", "company_code", "email", "phone", "manufacturer"),
    filters=("manufacturer",),
    search=("company_code", "vat_code", "email", "description"),
    panels=("procurement/supplier_panel.html",),
)
class Supplier(TaggedModel):
    """A company the centre buys goods or services from."""

    name = NameField(_("name"), max_length=200, unique=True)
    company_code = models.CharField(_("company code"), max_length=20, blank=True,
                                    help_text=_("The legal entity code."))
    vat_code = models.CharField(_("VAT code"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    manufacturer = models.ForeignKey(
        "inventory.Manufacturer", models.SET_NULL, null=True, blank=True, related_name="suppliers",
        verbose_name=_("manufacturer"), help_text=_("When the supplier is also the maker of what it sells."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]
        indexes = [collation.index("name", "procurement_supplier_lt")]

    def __str__(self) -> str:
        return self.name


@register(
    group="procurement",
    columns=("supplier", "name", "position", "email", "phone"),
    filters=("supplier",),
    search=("email", "phone", "position"),
    key="id",
)
class SupplierContact(TaggedModel):
    """A person at a supplier: account manager, service desk, security contact."""

    supplier = models.ForeignKey(Supplier, models.CASCADE, related_name="contacts", verbose_name=_("supplier"))
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True,
                                help_text=_("e.g. account manager, service desk, security contact"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("supplier contact")
        verbose_name_plural = _("supplier contacts")
        ordering = ["supplier__name", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.supplier})"
