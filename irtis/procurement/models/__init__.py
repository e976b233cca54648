from .alerts import ContractAlert
from .contracts import Contract, ContractAmendment, Currency
from .suppliers import Supplier, SupplierContact

__all__ = ["Contract", "ContractAlert", "ContractAmendment", "Currency", "Supplier", "SupplierContact"]
from .specs import Requirement, RequirementKind, RequirementTemplate, Specification

__all__ += ["Requirement", "RequirementKind", "RequirementTemplate", "Specification"]
from .offers import Criterion, Declaration, Offer, OfferAnswer, Procurement, Score  # noqa: E402

__all__ += ["Criterion", "Declaration", "Offer", "OfferAnswer", "Procurement", "Score"]
from .licences import Licence  # noqa: E402

__all__ += ["Licence"]
from .services import ExternalService  # noqa: E402

__all__ += ["ExternalService"]
