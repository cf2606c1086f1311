"""Editors compose an issue in the admin, preview it as an email and as a web
page, send themselves a test, schedule it or send it now, and read its report.
Subscribers' addresses are for staff given the permission, and exported only
with another."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletters.models import Issue, Newsletter
from newsletters.tasks import issue_send_due
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    NewsletterFactory,
    SubscriberFactory,
    UserFactory,
)
from tests.mail import run_worker
from tests.newsletters.helpers import add_issue, issue_form, link_to, path_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def daily():
    newsletter = NewsletterFactory(name="The Tigris Brief")
    SubscriberFactory.create_batch(3, newsletters=[newsletter])
    return newsletter


def csp(response) -> dict:
    return {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


def test_an_editor_composes_an_issue_and_previews_it_as_an_email(desk, daily):
    reports = [ArticleFactory(), ArticleFactory()]
    response = add_issue(desk, daily, reports, button="_preview")
    issue = Issue.objects.get()
    assert response["Location"] == reverse(
        "admin:newsletters_issue_preview", args=[issue.pk]
    )
    assert [i.article for i in issue.items.all()] == reports
    assert issue.created_by.username == "editor-user"

    page = desk.get(response["Location"])
    assert page.status_code == 200
    for report in reports:
        assert report.headline in page.text  # in the plain-text part
    assert "List-Unsubscribe-Post" in page.text
    assert "kB" in page.text
    assert "'self'" in csp(page)["frame-src"]
    assert "script-src" in csp(page)  # the admin's own policy, frames added

    email = desk.get(reverse("admin:newsletters_issue_email_html", args=[issue.pk]))
    assert reports[0].headline in email.text
    assert '<html lang="en" dir="ltr">' in email.text
    policy = csp(email)
    assert policy["style-src"] == ["'unsafe-inline'"]  # an email's styles
    assert "script-src" not in policy and policy["default-src"] == ["'none'"]
    assert email["X-Frame-Options"] == "SAMEORIGIN"


def test_the_web_version_can_be_previewed_before_it_is_sent(desk, daily):
    report = ArticleFactory()
    issue = IssueFactory(newsletter=daily, articles=[report])
    page = desk.get(reverse("admin:newsletters_issue_web_preview", args=[issue.pk]))
    assert page.status_code == 200
    assert report.headline in page.text
    assert "It is not public until the issue is sent" in page.text
    assert 'name="robots" content="noindex"' in page.text
    # The public has no way to it yet.
    assert Client().get(daily.get_absolute_url()).text.count(issue.subject) == 0


@pytest.mark.django_db(transaction=True)
def test_an_editor_sends_a_test_to_themselves(desk, daily, smtp):
    add_issue(desk, daily, [ArticleFactory()], button="_test", subject="Monday")
    run_worker()
    [test] = smtp.messages
    assert test["To"] == "editor@example.org"
    assert test["Subject"] == "[Test] Monday"
    assert "A test of this issue" in smtp.text(test)
    # Its links are the real ones' shape, and change nothing.
    unsubscribe = test["List-Unsubscribe"].strip().strip("<>")
    assert "changes nothing" in Client().post(path_of(unsubscribe)).text
    manage = link_to(smtp.text(test), "manage")
    assert "changes nothing" in Client().get(path_of(manage)).text
    assert Issue.objects.get().status == Issue.Status.DRAFT


def schedule_fields(when):
    return {
        "scheduled_for_0": when.strftime("%Y-%m-%d"),
        "scheduled_for_1": when.strftime("%H:%M:%S"),
    }


def test_an_editor_schedules_an_issue_and_takes_it_back(desk, daily):
    past = timezone.now() - timedelta(hours=1)
    response = add_issue(
        desk, daily, [ArticleFactory()], button="_schedule", **schedule_fields(past)
    )
    assert response.status_code == 200  # the form again, nothing saved
    assert "Choose a time in the future" in response.text
    assert not Issue.objects.exists()

    when = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    add_issue(
        desk, daily, [ArticleFactory()], button="_schedule", **schedule_fields(when)
    )
    issue = Issue.objects.get()
    assert (issue.status, issue.scheduled_for) == (Issue.Status.SCHEDULED, when)
    task = DBTaskResult.objects.get(task_path=issue_send_due.module_path)
    assert task.run_after == when and task.args_kwargs["args"] == [issue.pk]

    change = reverse("admin:newsletters_issue_change", args=[issue.pk])
    page = desk.get(change)
    assert "to be sent at" in page.text and "_unschedule" in page.text
    form = issue_form(daily, [], "_unschedule", **schedule_fields(when))
    desk.post(change, form | {"items-INITIAL_FORMS": "0"})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_send_now_asks_once_more_then_starts_and_the_issue_becomes_its_report(
    desk, daily
):
    add_issue(desk, daily, [ArticleFactory()], button="_send")
    issue = Issue.objects.get()
    confirm = reverse("admin:newsletters_issue_send", args=[issue.pk])
    page = desk.get(confirm)
    assert "has 3 subscribers now" in page.text
    assert Issue.objects.get().status == Issue.Status.DRAFT

    response = desk.post(confirm)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    assert issue.deliveries.count() == 3
    page = desk.get(response["Location"])
    assert "Sending has started" in page.text
    assert "Recipients" in page.text and "Unsubscribed since" in page.text
    assert 'name="_save"' not in page.text and 'name="_send"' not in page.text

    again = desk.get(desk.post(confirm)["Location"])
    assert "has been sent already" in again.text
    assert issue.deliveries.count() == 3


def test_an_issue_with_nothing_to_send_is_not_sent(desk, daily):
    add_issue(desk, daily, [], introduction="")
    issue = Issue.objects.get()
    response = desk.post(reverse("admin:newsletters_issue_send", args=[issue.pk]))
    assert "nothing to send" in desk.get(response["Location"]).text
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_writers_have_no_newsletters_and_editors_no_addresses(writer, editor, daily):
    client = Client()
    client.force_login(writer)
    assert client.get(reverse("admin:newsletters_issue_add")).status_code == 403
    client.force_login(editor)
    subscribers = reverse("admin:newsletters_subscriber_changelist")
    assert client.get(subscribers).status_code == 403
    newsletters = client.get(reverse("admin:newsletters_newsletter_changelist"))
    assert "subscriber0@example.org" not in newsletters.text
    assert ">3<" in newsletters.text  # the count, not the addresses


def test_addresses_are_exported_only_with_the_export_permission(daily):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_subscriber"))
    client = Client()
    client.force_login(staff)
    changelist = reverse("admin:newsletters_subscriber_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and "export_csv" not in page.text
    chosen = list(daily.subscriptions.values_list("subscriber_id", flat=True))
    refused = client.post(
        changelist, {"action": "export_csv", "_selected_action": chosen}
    )
    assert refused["Content-Type"].startswith("text/html")

    staff.user_permissions.add(Permission.objects.get(codename="export_subscriber"))
    client.force_login(staff)  # fresh permission cache
    export = client.post(
        changelist, {"action": "export_csv", "_selected_action": chosen}
    )
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in export["Cache-Control"]
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0] == ["email", "newsletters", "confirmed"]
    assert {row[0] for row in rows[1:]} == set(
        daily.subscriptions.values_list("subscriber__email", flat=True)
    )


def test_todays_digest_can_be_assembled_from_the_newsletter(desk, daily):
    report = ArticleFactory(published_at=timezone.now() - timedelta(hours=2))
    ArticleFactory(published_at=timezone.now() - timedelta(days=2))  # too old
    response = desk.post(
        reverse("admin:newsletters_newsletter_digest", args=[daily.pk])
    )
    issue = Issue.objects.get()
    assert response["Location"] == reverse(
        "admin:newsletters_issue_change", args=[issue.pk]
    )
    assert [i.article for i in issue.items.all()] == [report]
    assert issue.status == Issue.Status.DRAFT
    again = desk.post(reverse("admin:newsletters_newsletter_digest", args=[daily.pk]))
    assert "No digest" in desk.get(again["Location"]).text
    assert Newsletter.objects.get().issues.count() == 1
