"""A reader subscribes on the site, confirms by email, receives an issue an editor
composed and sent, and leaves with one click of their mail program: everything
over a real SMTP server and the background worker."""

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from newsletters.models import Delivery, Issue, Subscriber
from tests.factories import ArticleFactory, NewsletterFactory
from tests.mail import run_worker
from tests.newsletters.helpers import add_issue, link_to, path_of, subscribe

# The worker closes its database connection after a task, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def test_subscribe_confirm_receive_and_unsubscribe_in_one_click(
    client, smtp, editor, settings
):
    settings.NEWSLETTER_BATCH_SIZE = 2
    daily = NewsletterFactory(name="The Tigris Brief", slug="tigris-brief")
    reports = [ArticleFactory(), ArticleFactory()]

    # The reader asks; nothing is stored about the address until they confirm.
    response = subscribe(client, "Reader@Example.org", daily)
    assert response.status_code == 302
    assert "Check your inbox" in client.get(response["Location"]).text
    assert not Subscriber.objects.exists()
    run_worker()
    [confirmation] = smtp.messages
    assert confirmation["To"] == "reader@example.org"
    confirm = path_of(link_to(smtp.text(confirmation), "confirm"))
    assert confirm in smtp.html(confirmation)

    # An issue sent before the reader confirms does not reach them.
    client.force_login(editor)
    add_issue(client, daily, reports[:1], subject="Before you confirmed")
    first = Issue.objects.get()
    client.post(reverse("admin:newsletters_issue_send", args=[first.pk]))
    run_worker()
    assert len(smtp.messages) == 1
    first.refresh_from_db()
    assert (first.status, first.recipient_count) == (Issue.Status.SENT, 0)
    client.logout()

    page = client.get(confirm)  # a link scanner's GET confirms nothing
    assert page.status_code == 200 and not Subscriber.objects.exists()
    assert client.post(confirm).status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert [s.newsletter for s in subscriber.subscriptions.all()] == [daily]

    # The editor composes and sends; the worker delivers.
    client.force_login(editor)
    response = add_issue(client, daily, reports, subject="The week in Mosul")
    assert response.status_code == 302
    issue = Issue.objects.get(subject="The week in Mosul")
    response = client.post(reverse("admin:newsletters_issue_send", args=[issue.pk]))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING and issue.number == 2
    assert len(smtp.messages) == 1  # nothing leaves inside the request
    run_worker()

    [_, email] = smtp.messages
    assert email["To"] == "reader@example.org"
    assert email["Subject"] == "The week in Mosul"
    text, html = smtp.text(email), smtp.html(email)
    for report in reports:
        assert report.headline in text and report.headline in html
        assert f"{settings.SITE_URL}{report.get_absolute_url()}" in text
    assert '<html lang="en" dir="ltr">' in html
    unsubscribe = email["List-Unsubscribe"].strip().strip("<>")
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in html and unsubscribe in text
    manage = link_to(text, "manage")
    assert manage in html
    assert f"{settings.SITE_URL}{issue.get_absolute_url()}" in text

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    report = issue.report()
    assert (report.recipients, report.sent, report.failed) == (1, 1, 0)
    assert not Delivery.objects.exists()  # who got what is not kept
    for row in DBTaskResult.objects.all():
        assert "reader@example.org" not in str(row.args_kwargs)
        assert "reader@example.org" not in str(row.return_value)

    # One click in the mail program: a POST, with no cookie and no CSRF token.
    client.logout()
    response = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="reader@example.org").exists()
    issue.refresh_from_db()
    assert issue.report().unsubscribed == 1
    # The manage link of an address that is gone says so, and stores nothing.
    assert Client().get(path_of(manage)).status_code == 410
