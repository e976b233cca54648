"""Demo suppliers, contracts, a technical specification with two versions, a procurement with
offers, and licences on the demo estate (Oracle Database on the RAC hosts, Windows Server).

Every look-up of the estate must find something: a missing product, system or server raises."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from irtis.core.demo import ensure
from irtis.inventory.models import Device, Manufacturer, SoftwareProduct
from irtis.systems.models import InformationSystem

from .models import (
    Contract,
    ContractAmendment,
    Criterion,
    Offer,
    OfferAnswer,
    Procurement,
    Requirement,
    RequirementTemplate,
    Specification,
    Supplier,
    SupplierContact,
)

SUPPLIERS = [  # name, company code, e-mail, phone, manufacturer, contacts
    ("UAB „Duomenų centrų paslaugos“", "302000001", "info@dcp.lt", "+370 5 210 0001", "",
     [("Rasa Petrauskienė", "Klientų vadybininkė", "rasa@dcp.lt"), ("Pagalbos tarnyba", "24×7", "help@dcp.lt")]),
    ("UAB „Baltic Oracle Partner“", "302000002", "sales@bop.lt", "+370 5 210 0002", "Oracle",
     [("Tomas Kazlauskas", "Licencijų konsultantas", "tomas@bop.lt")]),
    ("AB „Telekomas“", "121215434", "verslas@telekomas.lt", "+370 5 210 0003", "",
     [("Saugos centras", "Kibernetinio saugumo kontaktas", "soc@telekomas.lt")]),
    ("UAB „Serverių sprendimai“", "302000004", "info@serveriai.lt", "+370 5 210 0004", "",
     [("Aistė Jonaitienė", "Projektų vadovė", "aiste@serveriai.lt")]),
]
TEMPLATES = [  # name, category, kind, text, proof
    ("Pagalba lietuvių kalba", "Palaikymas", "mandatory", "Pagalbos tarnyba konsultuoja lietuvių kalba darbo dienomis "
     "8–17 val.", "Tiekėjo deklaracija"),
    ("Reagavimas per 4 val.", "Palaikymas", "mandatory", "Į kritinį sutrikimą reaguojama per 4 val. visą parą.",
     "Paslaugų lygio susitarimo projektas"),
    ("Duomenys ES", "Kibernetinis saugumas", "mandatory", "Duomenys saugomi ir tvarkomi tik Europos Sąjungoje.",
     "Tiekėjo deklaracija, duomenų centrų sąrašas"),
    ("ISO/IEC 27001", "Kibernetinis saugumas", "evaluated", "Tiekėjas turi galiojantį ISO/IEC 27001 sertifikatą.",
     "Sertifikato kopija"),
    ("Garantija 5 metai", "Įranga", "mandatory", "Įrangos garantija ne trumpesnė kaip 5 metai, keitimas kitą darbo "
     "dieną.", "Gamintojo garantijos sąlygos"),
]


def _suppliers() -> dict[str, Supplier]:
    found = {}
    for name, code, email, phone, maker, contacts in SUPPLIERS:
        manufacturer = Manufacturer.objects.get(name=maker) if maker else None
        supplier = ensure(Supplier, "name", {"name": name, "company_code": code, "email": email, "phone": phone,
                                             "manufacturer": manufacturer})
        for person, position, mail in contacts:
            ensure(SupplierContact, {"supplier": supplier, "name": person}, {"position": position, "email": mail})
        found[name] = supplier
    return found


def _contracts(suppliers: dict[str, Supplier], today: date) -> None:
    names = list(suppliers)
    rac = list(Device.objects.filter(dbms_instances__name__icontains="rac").distinct()[:4]) or \
        list(Device.objects.filter(dbms_instances__engine="oracle").distinct()[:4])
    if not rac:
        raise Device.DoesNotExist("demo: no server runs an Oracle instance")
    oracle = SoftwareProduct.objects.get(name="Oracle Database")
    mdas = InformationSystem.objects.get(code="MDAS")
    dc = ensure(Contract, "number", {
        "number": "2024/DC-17", "supplier": suppliers[names[0]], "subject": "Duomenų centro vietos nuoma (DC2)",
        "value": Decimal("86400.00"), "start": date(2024, 3, 1), "end": today + timedelta(days=55),
        "notice_days": 30, "renewal_options": "Gali būti pratęsta du kartus po 12 mėnesių",
        "availability_percent": Decimal("99.982"), "response_hours": Decimal("1"), "resolution_hours": Decimal("8"),
        "security_clauses": "Fizinės prieigos žurnalai pateikiami per 2 d. d.; incidentai pranešami per 4 val.",
        "penalty_terms": "0,5 % mėnesio mokesčio už kiekvieną 0,01 % prieinamumo trūkumą"})
    dc.systems.set([mdas])
    support = ensure(Contract, "number", {
        "number": "2025/ORA-03", "supplier": suppliers[names[1]],
        "subject": "Oracle Database licencijų palaikymas", "value": Decimal("142000.00"), "start": date(2025, 1, 1),
        "end": today + timedelta(days=240), "notice_days": 90, "response_hours": Decimal("2"),
        "deliverables": "Atnaujinimai, pataisos, 24×7 pagalba per My Oracle Support"})
    support.devices.set(rac)
    support.software_products.set([oracle])
    wan = Contract.objects.filter(number="2023/WAN-01").first() or ensure(Contract, "number", {  # amended below
        "number": "2023/WAN-01", "supplier": suppliers[names[2]], "subject": "WAN ryšio kanalai pasienio postams",
        "value": Decimal("310000.00"), "start": date(2023, 7, 1), "end": today + timedelta(days=400),
        "notice_days": 120, "availability_percent": Decimal("99.9"), "response_hours": Decimal("0.5"),
        "resolution_hours": Decimal("4")})
    if not wan.amendments.exists():
        amendment = ContractAmendment(contract=wan, number=1, signed_on=date(2025, 6, 1),
                                      new_value=Decimal("345000.00"), description="Pridėti du pasienio postai")
        amendment.full_clean()
        amendment.save()


def _specification(today: date) -> Specification:
    templates = {}
    for name, category, kind, text, proof in TEMPLATES:
        templates[name] = ensure(RequirementTemplate, "name", {"name": name, "category": category, "kind": kind,
                                                               "text": text, "proof": proof})
    first = Specification.objects.filter(code="TS-2026-07", revision=1).first()
    if first is None:
        first = Specification.objects.create(
            code="TS-2026-07", revision=1, title="Tarnybinių stočių ir jų priežiūros pirkimas",
            purpose="Pakeisti nebepalaikomas MDAS taikomųjų serverių stotis.")
        rows = [("Techniniai reikalavimai", "mandatory", "Ne mažiau kaip 2 procesoriai po 32 branduolius.",
                 "Gamintojo specifikacija", None),
                ("Techniniai reikalavimai", "mandatory", "Ne mažiau kaip 1 TB operatyviosios atminties.",
                 "Gamintojo specifikacija", None),
                ("Techniniai reikalavimai", "evaluated", "Energijos sąnaudos ne didesnės kaip 800 W.",
                 "Gamintojo specifikacija", None),
                ("Palaikymas", "", "", "", templates["Garantija 5 metai"]),
                ("Palaikymas", "", "", "", templates["Pagalba lietuvių kalba"]),
                ("Kibernetinis saugumas", "", "", "", templates["ISO/IEC 27001"])]
        for number, (section, kind, text, proof, template) in enumerate(rows, 1):
            requirement = Requirement(specification=first, number=number, section=section,
                                      kind=kind or (template.kind if template else "mandatory"), text=text,
                                      proof=proof, template=template)
            requirement.full_clean()
            requirement.save()
        Specification.objects.filter(pk=first.pk).update(status=Specification.Status.SUPERSEDED,
                                                         approved_on=today - timedelta(days=40))
        second = Specification.objects.create(code="TS-2026-07", revision=2, title=first.title,
                                              purpose=first.purpose, previous=first)
        for requirement in first.requirements.all():
            text = requirement.text.replace("1 TB", "1,5 TB")
            Requirement.objects.create(specification=second, number=requirement.number, section=requirement.section,
                                       kind=requirement.kind, text=text, proof=requirement.proof,
                                       template=requirement.template)
        Requirement.objects.create(specification=second, number=7, section="Kibernetinis saugumas",
                                   kind="mandatory", text=templates["Duomenys ES"].text,
                                   proof=templates["Duomenys ES"].proof, template=templates["Duomenys ES"])
        Specification.objects.filter(pk=second.pk).update(status=Specification.Status.APPROVED,
                                                          approved_on=today - timedelta(days=20))
    return Specification.objects.get(code="TS-2026-07", revision=2)


def _procurement(spec: Specification, suppliers: dict[str, Supplier]) -> None:
    procurement = Procurement.objects.filter(name="Tarnybinių stočių pirkimas 2026").first() or ensure(
        Procurement, "name", {
            "name": "Tarnybinių stočių pirkimas 2026", "specification": spec,
            "deadline": timezone.now().replace(microsecond=0) + timedelta(days=14),
            "description": "Atviras konkursas, ekonomiškai naudingiausias pasiūlymas (kainos ir kokybės santykis)"})
    for name, kind, weight in (("Kaina", "price", 60), ("Techninis pajėgumas", "quality", 25),
                               ("Palaikymo kokybė", "quality", 15)):
        ensure(Criterion, {"procurement": procurement, "name": name}, {"kind": kind, "weight": Decimal(weight)})
    names = list(suppliers)
    for supplier_name, price, failing in ((names[3], "184000", None), (names[1], "171500", 7),
                                          (names[0], "119000", None)):
        offer = ensure(Offer, {"procurement": procurement, "supplier": suppliers[supplier_name]},
                       {"price": Decimal(price)})
        if offer.answers.exists():
            continue
        OfferAnswer.objects.bulk_create([
            OfferAnswer(offer=offer, requirement=r, answer="does_not" if r.number == failing else "meets",
                        page=str(10 + r.number * 2)) for r in spec.requirements.all()])


def _drafts(spec: Specification, suppliers: dict[str, Supplier]) -> None:
    """A draft specification still being written, and a procurement still being set up (no
    criteria yet, one offer received without its compliance matrix)."""
    draft = Specification.objects.filter(code="TS-2026-11").first()
    if draft is None:
        draft = Specification.objects.create(code="TS-2026-11", title="WAN ryšio kanalų pirkimas",
                                             purpose="Sujungti naujus pasienio postus su DC1 ir DC2.")
        for number, text in enumerate(("Kanalo pralaidumas ne mažesnis kaip 1 Gb/s.",
                                       "Prieinamumas ne mažesnis kaip 99,9 % per mėnesį."), 1):
            Requirement.objects.create(specification=draft, number=number, kind="mandatory", text=text,
                                       proof="Paslaugų lygio susitarimo projektas")
    upkeep = Procurement.objects.filter(name="Serverių priežiūra 2026").first() or ensure(Procurement, "name", {
        "name": "Serverių priežiūra 2026", "specification": spec,
        "deadline": timezone.now().replace(microsecond=0) + timedelta(days=30)})
    ensure(Offer, {"procurement": upkeep, "supplier": suppliers[next(iter(suppliers))]}, {"price": Decimal("64000")})


def _services(suppliers: dict[str, Supplier]) -> None:
    from .models import ExternalService

    names = list(suppliers)
    ensure(ExternalService, "name", {
        "name": "Duomenų centro DC2 vieta", "kind": ExternalService.Kind.DATA_CENTRE, "supplier": suppliers[names[0]],
        "contract": Contract.objects.get(number="2024/DC-17"), "system": InformationSystem.objects.get(code="MDAS"),
        "monthly_fee": Decimal("3600.00"), "penalty_step": Decimal("0.01"), "penalty_rate": Decimal("0.50"),
        "penalty_cap": Decimal("20"), "incident_penalty_rate": Decimal("1")})
    ensure(ExternalService, "name", {
        "name": "Pasienio postų WAN kanalai", "kind": ExternalService.Kind.WAN, "supplier": suppliers[names[2]],
        "contract": Contract.objects.get(number="2023/WAN-01"),
        "system": InformationSystem.objects.get(code="ANPR"), "monthly_fee": Decimal("9583.33"),
        "penalty_step": Decimal("0.1"), "penalty_rate": Decimal("5"), "penalty_cap": Decimal("30"),
        "incident_penalty_rate": Decimal("2")})


def _licences() -> None:
    from .models import Licence

    oracle = SoftwareProduct.objects.get(name="Oracle Database")
    windows = SoftwareProduct.objects.get(name="Windows Server")
    support = Contract.objects.get(number="2025/ORA-03")
    ensure(Licence, "name", {"name": "Oracle Database EE procesorinės", "product": oracle, "metric": "core",
                             "quantity": 48, "core_factor": Decimal("0.5"), "contract": support})
    ensure(Licence, "name", {"name": "Windows Server Datacenter", "product": windows, "metric": "device",
                             "quantity": 40, "kind": "subscription",
                             "expiry": timezone.localdate() + timedelta(days=300)})


def load() -> None:
    today = timezone.localdate()
    suppliers = _suppliers()
    _contracts(suppliers, today)
    spec = _specification(today)
    _procurement(spec, suppliers)
    _drafts(spec, suppliers)
    _services(suppliers)
    _licences()
