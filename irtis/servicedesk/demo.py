"""Demo service desk: two queues, categories of the demo systems, a few dozen requests of customs'
officers in Lithuanian with replies and notes, and knowledge base articles in Lithuanian and
English. Every look-up of the estate must find something: a missing system or person raises."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from irtis.core.demo import ensure
from irtis.systems.models import InformationSystem

from .models import Article, Category, Effect, Message, Queue, Request, Status

QUEUES = [
    ("PAGALBA", "Naudotojų pagalba (1 lygis)", "pagalba@muitine.lt", "Konsultacijos, slaptažodžiai, darbo vietos"),
    ("SISTEMOS", "Informacinių sistemų priežiūra (2 lygis)", "", "MDAS, NTKS ir kitų sistemų sutrikimai"),
]
CATEGORIES = [  # code, name, system code or "", queue
    ("SLAPTAZODIS", "Slaptažodžiai ir paskyros", "", "PAGALBA"),
    ("DARBO-VIETA", "Darbo vieta, spausdintuvai", "", "PAGALBA"),
    ("MDAS", "Deklaracijų apdorojimas (MDAS)", "MDAS", "SISTEMOS"),
    ("NTKS", "Tranzitas (NTKS)", "NTKS", "SISTEMOS"),
    ("MLS", "Muitinės leidimai (MLS)", "MLS", "SISTEMOS"),
]
SUBJECTS = [  # subject, category, effect, status
    ("Pamiršau slaptažodį, negaliu prisijungti", "SLAPTAZODIS", Effect.ONE_BLOCKED, Status.RESOLVED),
    ("Užblokuota paskyra po kelių bandymų", "SLAPTAZODIS", Effect.ONE_BLOCKED, Status.CLOSED),
    ("Kaip pakeisti slaptažodį nuotoliniu būdu?", "SLAPTAZODIS", Effect.QUESTION, Status.RESOLVED),
    ("Nespausdina spausdintuvas 2 aukšte", "DARBO-VIETA", Effect.DEGRADED, Status.IN_PROGRESS),
    ("Reikia antro monitoriaus", "DARBO-VIETA", Effect.QUESTION, Status.NEW),
    ("Neveikia VPN iš namų", "DARBO-VIETA", Effect.ONE_BLOCKED, Status.WAITING),
    ("MDAS nepriima eksporto deklaracijų", "MDAS", Effect.MANY_BLOCKED, Status.IN_PROGRESS),
    ("MDAS lėtai atsidaro deklaracijų sąrašas", "MDAS", Effect.DEGRADED, Status.NEW),
    ("Klaida spausdinant MDAS eksporto lydraštį", "MDAS", Effect.DEGRADED, Status.RESOLVED),
    ("Kaip MDAS rasti pataisytą deklaraciją?", "MDAS", Effect.QUESTION, Status.CLOSED),
    ("NTKS neatsiunčia tranzito pranešimų", "NTKS", Effect.MANY_BLOCKED, Status.RESOLVED),
    ("Medininkų poste neveikia NTKS", "NTKS", Effect.MANY_BLOCKED, Status.NEW),
    ("NTKS garantijos likutis rodomas neteisingai", "NTKS", Effect.DEGRADED, Status.IN_PROGRESS),
    ("MLS neatsidaro leidimo paraiška", "MLS", Effect.ONE_BLOCKED, Status.NEW),
    ("MLS: kaip pratęsti leidimo galiojimą?", "MLS", Effect.QUESTION, Status.RESOLVED),
    ("Nauja darbuotoja: reikia prieigų", "SLAPTAZODIS", Effect.QUESTION, Status.IN_PROGRESS),
    ("Neveikia el. paštas telefone", "DARBO-VIETA", Effect.DEGRADED, Status.RESOLVED),
    ("Kompiuteris labai lėtas po atnaujinimo", "DARBO-VIETA", Effect.DEGRADED, Status.NEW),
    ("Negaunu MDAS pranešimų el. paštu", "MDAS", Effect.DEGRADED, Status.WAITING),
    ("Sertifikato klaida jungiantis prie MLS", "MLS", Effect.ONE_BLOCKED, Status.IN_PROGRESS),
    ("Reikia įdiegti skaitytuvo tvarkyklę", "DARBO-VIETA", Effect.QUESTION, Status.CLOSED),
    ("NTKS ataskaita eksportuojama be lietuviškų raidžių", "NTKS", Effect.DEGRADED, Status.NEW),
    ("Slaptažodžio keitimo nuoroda nebegalioja", "SLAPTAZODIS", Effect.ONE_BLOCKED, Status.NEW),
    ("Kasos aparatas nesujungtas su MDAS", "MDAS", Effect.ONE_BLOCKED, Status.IN_PROGRESS),
    ("Kaip gauti prieigą prie NTKS mokymų aplinkos?", "NTKS", Effect.QUESTION, Status.RESOLVED),
]
ARTICLES = [  # title, language, audience, category, body
    ("Kaip pakeisti slaptažodį", "lt", "all", "SLAPTAZODIS",
     "Slaptažodį keiskite kas 90 dienų.\n\n1. Paspauskite **Ctrl+Alt+Del**.\n2. Pasirinkite „Keisti "
     "slaptažodį“.\n\nSlaptažodis turi būti bent 12 ženklų ilgio."),
    ("Pamiršus slaptažodį", "lt", "all", "SLAPTAZODIS",
     "Pamiršę slaptažodžio, skambinkite pagalbos linijai arba parašykite kreipinį. Tapatybę patikrins "
     "pagalbos specialistas, laikinasis slaptažodis galioja 24 valandas."),
    ("Užblokuota paskyra", "lt", "all", "SLAPTAZODIS",
     "Po penkių nesėkmingų bandymų paskyra užblokuojama 30 minučių. Palaukite arba kreipkitės į pagalbą."),
    ("How to change your password", "en", "all", "SLAPTAZODIS",
     "Press **Ctrl+Alt+Del** and choose *Change a password*. Passwords need at least 12 characters."),
    ("VPN ryšio nustatymas namuose", "lt", "all", "DARBO-VIETA",
     "Įdiekite VPN klientą iš programų katalogo, prisijunkite su sertifikatu ir slaptažodžiu."),
    ("Connecting to the VPN from home", "en", "all", "DARBO-VIETA",
     "Install the VPN client from the software catalogue and sign in with your certificate."),
    ("Spausdintuvo pridėjimas", "lt", "all", "DARBO-VIETA",
     "Atidarykite „Spausdintuvai ir skaitytuvai“, pasirinkite aukšto spausdintuvą iš sąrašo."),
    ("Skaitytuvo tvarkyklės diegimas", "lt", "all", "DARBO-VIETA",
     "Tvarkykles diegia tik pagalbos specialistai: parašykite kreipinį, nurodykite skaitytuvo modelį."),
    ("El. paštas mobiliajame telefone", "lt", "all", "DARBO-VIETA",
     "Tarnybiniame telefone naudokite Outlook programėlę; asmeniniuose telefonuose paštas nediegiamas."),
    ("MDAS eksporto deklaracijų paieška", "lt", "all", "MDAS",
     "Deklaracijų sąraše filtruokite pagal MRN. Pataisytos deklaracijos rodomos su versijos numeriu."),
    ("MDAS eksporto lydraščio spausdinimas", "lt", "all", "MDAS",
     "Lydraštis spausdinamas PDF formatu; jei matote klaidą, išvalykite naršyklės podėlį."),
    ("MDAS pranešimų prenumerata", "lt", "all", "MDAS",
     "Pranešimus el. paštu įjunkite MDAS nustatymuose, skiltyje „Pranešimai“."),
    ("MDAS taikomųjų serverių perkrovimas", "lt", "internal", "MDAS",
     "Tik 2 lygio komandai. Perkraukite po vieną mazgą, patikrinkite balansavimo būseną."),
    ("MDAS duomenų bazės sesijų tikrinimas", "lt", "internal", "MDAS",
     "Patikrinkite ilgai trunkančias sesijas ir blokavimus; apie rastus praneškite DBA."),
    ("NTKS tranzito pranešimų eilės tikrinimas", "lt", "internal", "NTKS",
     "Jei NTKS neatsiunčia pranešimų, patikrinkite CCN/CSI eilių būseną ir sąsajos žurnalą."),
    ("NTKS garantijų likučio atnaujinimas", "lt", "all", "NTKS",
     "Garantijos likutis atnaujinamas kas 15 minučių. Jei skiriasi ilgiau, parašykite kreipinį."),
    ("NTKS mokymų aplinka", "lt", "all", "NTKS",
     "Prieigą prie mokymų aplinkos suteikia mokymų koordinatorius; prašymą pateikite per prieigų modulį."),
    ("NTKS reports without Lithuanian letters", "en", "all", "NTKS",
     "Open the CSV export in a spreadsheet as UTF-8: the letters ą, č, ę appear correctly."),
    ("MLS leidimo pratęsimas", "lt", "all", "MLS",
     "Leidimą pratęskite MLS skiltyje „Mano leidimai“ likus ne mažiau kaip 30 dienų iki galiojimo pabaigos."),
    ("MLS sertifikato klaidos", "lt", "all", "MLS",
     "Sertifikato klaida reiškia pasenusį kliento sertifikatą: atnaujinkite jį per savitarnos portalą."),
    ("Naujo darbuotojo prieigos", "lt", "all", "SLAPTAZODIS",
     "Naujam darbuotojui prieigas užsako padalinio vadovas per prieigų prašymus."),
    ("Lėtas kompiuteris po atnaujinimų", "lt", "all", "DARBO-VIETA",
     "Perkraukite kompiuterį; atnaujinimai baigiami diegti paleidžiant iš naujo."),
    ("Second monitor request", "en", "all", "DARBO-VIETA",
     "Second monitors are issued on the head of unit's approval: write a request naming the workstation."),
    ("Kasos aparato susiejimas su MDAS", "lt", "internal", "MDAS",
     "Kasos aparatą susieja 2 lygio komanda MDAS administravimo modulyje pagal aparato numerį."),
]
ACCOUNTS = ("j.prasytojas", "r.savickas")


def load() -> None:
    people = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
    if len(people) != len(ACCOUNTS):
        raise LookupError(f"The demo people {ACCOUNTS} are missing: load the access demo first")
    requester, agent = people["j.prasytojas"], people["r.savickas"]
    requester.groups.add(Group.objects.get(name="requester"))
    queues = {code: ensure(Queue, "code", {"code": code, "name": name, "email": email, "description": text})
              for code, name, email, text in QUEUES}
    queues["PAGALBA"].members.add(agent)
    categories = {code: ensure(Category, "code", {
        "code": code, "name": name, "queue": queues[queue],
        "system": InformationSystem.objects.get(code=system) if system else None,
    }) for code, name, system, queue in CATEGORIES}
    # From a fixed hour, so that a rerun on the same day writes nothing.
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=20), dt.time(8)))
    for n, (subject, category, effect, status) in enumerate(SUBJECTS):
        request = ensure(Request, "subject", {
            "subject": subject, "description": f"{subject}. Prašau padėti.", "requester": requester,
            "category": categories[category], "effect": effect, "status": status,
            "received_at": start + dt.timedelta(hours=17 * n),
            "assignee": agent if status != Status.NEW else None,
            "rating": 5 - n % 3 if status in (Status.RESOLVED, Status.CLOSED) else None,
        })
        if status != Status.NEW:
            ensure(Message, {"request": request, "kind": Message.Kind.REPLY}, {
                "author": agent, "body": "Laba diena, kreipinį gavome ir sprendžiame."})
        if n % 4 == 0:
            ensure(Message, {"request": request, "kind": Message.Kind.NOTE}, {
                "author": agent, "body": "Vidinė pastaba: patikrinti žurnalus."})
    for title, language, audience, category, body in ARTICLES:
        ensure(Article, "title", {"title": title, "language": language, "audience": audience,
                                  "category": categories[category], "body": body})
