"""Projects as their managers use them: dates that hold together, progress, the Gantt, the
portfolio in a fixed number of queries and within the reader's permissions, reminders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from irtis.identity import roles
from irtis.identity.models import ObjectPermission, User
from irtis.notifications.models import Notification
from irtis.projects import gantt, jobs, portfolio
from irtis.projects.models import Project, ProjectRisk, ProjectTask, StatusReport, TaskReminder
from irtis.tasks.runs import execute

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)


def test_a_task_cannot_end_before_it_starts() -> None:
    p = f.project()
    with pytest.raises(ValidationError) as refused:
        f.task(p, "Atgal", start=TODAY, days=-1)
    assert "end" in refused.value.message_dict
    assert not ProjectTask.objects.exists()
    with pytest.raises(ValidationError):
        f.project("P-2", start=TODAY, days=-5)


def test_a_task_names_a_milestone_of_its_own_project() -> None:
    mine, other = f.project("P-A"), f.project("P-B")
    stone = f.milestone(other, "Svetimas etapas", TODAY)
    with pytest.raises(ValidationError) as refused:
        f.task(mine, "Užduotis", milestone=stone)
    assert "milestone" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        f.task(None, "Be projekto", milestone=stone)  # a task outside projects has no milestone
    assert "milestone" in refused.value.message_dict


def test_a_task_outside_projects_is_assigned_to_someone() -> None:
    with pytest.raises(ValidationError) as refused:
        f.task(None, "Niekieno")
    assert "responsible" in refused.value.message_dict
    person = User.objects.create_user("vykdytojas")
    assert str(f.task(None, "Parengti ataskaitą ministerijai", responsible=person)) == "Parengti ataskaitą ministerijai"


def test_progress_is_weighted_by_length_and_leaves_cancelled_work_out() -> None:
    p = f.project()
    f.task(p, "Ilga", days=29, progress=50)  # 30 days
    f.task(p, "Trumpa", days=9, status="done")  # 10 days, done: 100
    f.task(p, "Atšaukta", days=99, status="cancelled")
    assert portfolio.progress(p.tasks.all()) == round((30 * 50 + 10 * 100) / 40)
    assert portfolio.progress([]) == 0


def test_the_gantt_draws_every_task_and_milestone_and_escapes_names() -> None:
    p = f.project()
    f.task(p, "<script>alert(1)</script>", days=5)
    f.task(p, "Antra", start=f.START + dt.timedelta(days=10), days=5, progress=40)
    f.milestone(p, "Priėmimas", f.START + dt.timedelta(days=20))
    svg = portfolio.project_chart(User.objects.create_superuser("root"), p, p.tasks.all(), TODAY)
    assert svg.count("<rect") == 4 and svg.count("<path") == 1
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Priėmimas" in svg
    assert "Nothing planned" in gantt.draw([])


def test_late_work_is_red_on_the_chart() -> None:
    p = f.project()
    f.task(p, "Vėluoja", start=TODAY - dt.timedelta(days=20), days=5, progress=30)
    svg = portfolio.project_chart(User.objects.create_superuser("root"), p, p.tasks.all(), TODAY)
    assert gantt.COLOURS["red"] in svg


def test_the_portfolio_shows_health_late_tasks_risks_and_money(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    root = User.objects.create_superuser("root")
    for n in range(3):
        p = f.project(f"P-{n}", budget=Decimal("100"), spent=Decimal("150") if n == 0 else None)
        f.task(p, "Vėluoja", start=TODAY - dt.timedelta(days=20), days=5)
        f.task(p, "Baigta", start=TODAY - dt.timedelta(days=20), days=5, status="done")
        StatusReport.objects.create(project=p, reported_on=TODAY - dt.timedelta(days=9), health="green",
                                    progress=10, summary="senas")
        StatusReport.objects.create(project=p, reported_on=TODAY - dt.timedelta(days=2), health="red",
                                    progress=20, summary="naujas")
        ProjectRisk.objects.create(project=p, title="Didelė", likelihood=5, impact=3)
        ProjectRisk.objects.create(project=p, title="Maža", likelihood=1, impact=2)
        ProjectRisk.objects.create(project=p, title="Uždaryta", likelihood=5, impact=5, status="closed")
        f.milestone(p, "Pasiektas", TODAY - dt.timedelta(days=5), done_on=TODAY)
        f.milestone(p, "Kitas", TODAY + dt.timedelta(days=7))
    with django_assert_max_num_queries(2):
        lines = portfolio.lines(root, Project.objects.all(), TODAY)
    assert len(lines) == 3
    first = lines[0]
    assert first.health == "red" and first.reported_on == TODAY - dt.timedelta(days=2)
    assert first.high_risks == 1 and first.next_milestone == TODAY + dt.timedelta(days=7)
    assert [t.name for t in first.late_tasks] == ["Vėluoja"] and first.progress == 50
    assert first.overrun and not lines[1].overrun


def test_the_portfolio_page_shows_only_what_the_reader_may_see(client) -> None:  # type: ignore[no-untyped-def]
    seen, hidden = f.project("P-MATO", status="in_progress"), f.project("P-NEMATO", status="in_progress")
    f.task(seen, "Matoma užduotis", start=TODAY, days=3)
    reader = User.objects.create_user("skaitytojas", password="x")
    grant = ObjectPermission.objects.create(name="mato", actions=["view"], constraints={"code": "P-MATO"})
    grant.users.add(reader)
    grant.object_types.add(*[_type(m) for m in (Project,)])
    client.force_login(reader)
    response = client.get(reverse("projects_pages:portfolio"))
    assert response.status_code == 200
    text = response.content.decode()
    assert str(seen) in text and str(hidden) not in text
    nobody = User.objects.create_user("niekas", password="x")
    client.force_login(nobody)
    assert client.get(reverse("projects_pages:portfolio")).status_code == 403


def test_completed_projects_are_shown_on_asking(admin_client) -> None:  # type: ignore[no-untyped-def]
    f.project("P-BAIGTAS", status="completed")
    assert "P-BAIGTAS" not in admin_client.get(reverse("projects_pages:portfolio")).content.decode()
    assert "P-BAIGTAS" in admin_client.get(reverse("projects_pages:portfolio") + "?all=1").content.decode()


def test_the_project_page_shows_its_plan(admin_client) -> None:  # type: ignore[no-untyped-def]
    p = f.project()
    f.task(p, "Montavimas", days=3)
    StatusReport.objects.create(project=p, health="amber", progress=10, summary="Vėluoja tiekimas")
    text = admin_client.get(p.get_absolute_url()).content.decode()
    assert 'id="project-overview"' in text and "Montavimas" in text and "Vėluoja tiekimas" in text


def _remind() -> dict:
    run = jobs.remind_due_tasks.start()
    execute(str(run.pk))
    run.refresh_from_db()
    return run.result


def test_a_task_due_soon_is_reminded_once_and_again_when_moved() -> None:
    roles.sync()
    person = User.objects.create_user("atsakingas", email="atsakingas@muitine.lt")
    manager = User.objects.create_user("vadovas", email="vadovas@muitine.lt")
    outsider = User.objects.create_user("pasalinis", email="pasalinis@muitine.lt")  # may not see projects
    for user in (person, manager):
        user.groups.add(Group.objects.get(name="infra_admin"))  # reads every project
    p = f.project(manager=manager)
    today = timezone.localdate()
    soon = f.task(p, "Greitai", start=today - dt.timedelta(days=5), days=7, responsible=person)
    f.task(p, "Be atsakingo", start=today - dt.timedelta(days=5), days=6)
    f.task(p, "Toli", start=today, days=30, responsible=person)
    f.task(p, "Baigta", start=today - dt.timedelta(days=5), days=6, responsible=person, status="done")
    f.task(p, "Nemato", start=today - dt.timedelta(days=5), days=6, responsible=outsider)
    f.task(None, "Pavesta be projekto", start=today - dt.timedelta(days=5), days=6, responsible=person)
    assert _remind() == {"reminded": 3}
    told = Notification.objects.filter(kind="projects.task_due")
    assert set(told.values_list("recipient__username", flat=True)) == {"atsakingas", "vadovas"}
    assert _remind() == {"reminded": 0}
    soon.end += dt.timedelta(days=1)
    soon.full_clean()
    soon.save()
    assert _remind() == {"reminded": 1}
    assert TaskReminder.objects.filter(task=soon).count() == 2
    assert not TaskReminder.objects.filter(task__responsible=outsider).exists()  # tried again tomorrow


def _type(model: type) -> object:
    from django.contrib.contenttypes.models import ContentType
    return ContentType.objects.get_for_model(model)
