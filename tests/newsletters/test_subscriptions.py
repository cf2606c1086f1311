"""Subscribing, confirming, managing and leaving: the form tells no one who reads
what and cannot flood an inbox; nothing is stored before confirmation; leaving
or deleting one's account deletes the address."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.account.signals import email_changed
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from newsletters.links import (
    TEST_SUBSCRIBER,
    confirm_link_create,
    manage_link_create,
    personal_links,
    unsubscribe_link_create,
)
from newsletters.models import Delivery, Issue, Subscriber
from newsletters.services import issue_send, subscription_confirm
from newsroom.log_privacy import redact
from readers.services import reader_delete
from readers.tasks import deliver_email
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    NewsletterFactory,
    ReaderUserFactory,
    SubscriberFactory,
)
from tests.newsletters.helpers import path_of, subscribe

pytestmark = pytest.mark.django_db

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def queued_emails():
    return DBTaskResult.objects.filter(task_path=deliver_email.module_path)


def queued_addresses():
    return [row.args_kwargs["args"][0]["to"][0] for row in queued_emails()]


@pytest.fixture
def daily():
    return NewsletterFactory(name="Daily")


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(daily):
    SubscriberFactory(email="known@example.org", newsletters=[daily])
    answers = [
        subscribe(Client(), email, daily)
        for email in ["known@example.org", "new@example.org"]
    ]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    pages = [Client().get(a["Location"]).text for a in answers]
    assert pages[0] == pages[1]
    # Both get a confirmation link; confirming again changes nothing.
    assert sorted(queued_addresses()) == ["known@example.org", "new@example.org"]


def test_nothing_is_stored_before_the_link_is_followed(daily):
    subscribe(Client(), "reader@example.org", daily)
    assert not Subscriber.objects.exists()
    issue = IssueFactory(newsletter=daily, articles=[ArticleFactory()])
    issue_send(issue=issue)
    assert issue.deliveries.count() == 0


def test_one_confirmation_email_per_address_every_few_minutes(daily):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(3):
            response = subscribe(Client(), "target@example.org", daily)
            assert response["Location"] == reverse("newsletters:subscribe_sent")
        assert queued_addresses() == ["target@example.org"]
        traveller.shift(timedelta(minutes=3, seconds=1))
        subscribe(Client(), "target@example.org", daily)
        assert queued_addresses() == ["target@example.org"] * 2
        # At most five a day, however patient the sender.
        for _ in range(10):
            traveller.shift(timedelta(minutes=4))
            subscribe(Client(), "TARGET@example.org", daily)
        assert len(queued_addresses()) == 5


def test_too_many_requests_from_one_network_get_a_429(daily):
    client = Client(REMOTE_ADDR="203.0.113.9")
    with time_machine.travel(START, tick=False):
        for number in range(10):
            assert subscribe(client, f"r{number}@example.org", daily).status_code == 302
        response = subscribe(client, "one-more@example.org", daily)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "No email was sent" in response.text
    assert "one-more@example.org" not in queued_addresses()
    # Another network is not held back.
    assert (
        subscribe(
            Client(REMOTE_ADDR="198.51.100.4"), "x@example.org", daily
        ).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"newsletters": []}, "Choose at least one newsletter."),
    ],
)
def test_bad_input_gets_a_form_error_and_sends_nothing(daily, data, error):
    form = {"email": "reader@example.org", "newsletters": [daily.pk]} | data
    response = Client().post(reverse("newsletters:subscribe"), form)
    assert response.status_code == 200
    assert error in response.text
    assert not queued_emails().exists()


def test_a_bot_filling_the_hidden_field_gets_the_usual_answer_and_no_email(daily):
    response = Client().post(
        reverse("newsletters:subscribe"),
        {"email": "bot@example.org", "newsletters": [daily.pk], "website": "spam"},
    )
    assert response["Location"] == reverse("newsletters:subscribe_sent")
    assert not queued_emails().exists()


def test_the_confirmation_link_expires_and_cannot_be_forged(daily):
    with time_machine.travel(START, tick=False) as traveller:
        link = path_of(
            confirm_link_create(email="r@example.org", newsletter_ids=[daily.pk])
        )
        traveller.shift(timedelta(days=4))
        response = Client().post(link)
    assert response.status_code == 404
    assert "expired" in response.text
    assert Client().post(link[:-3] + "xyz/").status_code == 404
    assert not Subscriber.objects.exists()


def test_confirming_twice_subscribes_once_and_retired_newsletters_are_not_joined(daily):
    retired = NewsletterFactory(active=False)
    link = path_of(
        confirm_link_create(
            email="r@example.org", newsletter_ids=[daily.pk, retired.pk]
        )
    )
    assert Client().post(link).status_code == 200
    assert Client().post(link).status_code == 200
    subscriber = Subscriber.objects.get()
    assert [s.newsletter for s in subscriber.subscriptions.all()] == [daily]
    only_retired = path_of(
        confirm_link_create(email="x@example.org", newsletter_ids=[retired.pk])
    )
    assert Client().post(only_retired).status_code == 410


def test_the_manage_page_shows_a_masked_address_and_changes_subscriptions(daily):
    weekly = NewsletterFactory(name="Weekly")
    subscriber = SubscriberFactory(email="reader@example.org", newsletters=[daily])
    page = path_of(manage_link_create(subscriber_id=subscriber.pk))
    response = Client().get(page)
    assert "r•••@example.org" in response.text
    assert "reader@example.org" not in response.text
    assert (
        response["Cache-Control"]
        == "max-age=0, no-cache, no-store, must-revalidate, private"
    )
    Client().post(page, {"newsletters": [weekly.pk]})
    assert [s.newsletter for s in subscriber.subscriptions.all()] == [weekly]
    response = Client().post(page, {"_all": "1"})
    assert "deleted from our list" in response.text
    assert not Subscriber.objects.exists()


def test_unsubscribing_from_the_last_newsletter_deletes_the_address(daily):
    weekly = NewsletterFactory()
    subscriber = SubscriberFactory(
        email="reader@example.org", newsletters=[daily, weekly]
    )
    leave_daily, leave_weekly = (
        path_of(
            unsubscribe_link_create(subscriber_id=subscriber.pk, newsletter_id=n.pk)
        )
        for n in (daily, weekly)
    )
    assert Client().get(leave_daily).status_code == 200  # a scanner's GET: nothing
    assert subscriber.subscriptions.count() == 2
    Client(enforce_csrf_checks=True).post(leave_daily)
    assert [s.newsletter for s in subscriber.subscriptions.all()] == [weekly]
    Client(enforce_csrf_checks=True).post(leave_weekly)
    assert not Subscriber.objects.filter(email="reader@example.org").exists()
    # Following the link again is harmless, and says the same.
    assert Client().post(leave_weekly).status_code == 200


def test_a_reader_leaving_while_an_issue_is_sent_gets_nothing_more(daily):
    staying, leaving = SubscriberFactory.create_batch(2, newsletters=[daily])
    issue = IssueFactory(newsletter=daily, articles=[ArticleFactory()])
    issue_send(issue=issue)
    link = unsubscribe_link_create(
        subscriber_id=leaving.pk, newsletter_id=daily.pk, issue_id=issue.pk
    )
    Client().post(path_of(link))
    # Its last newsletter: the address is gone, its row keeps only a status.
    assert not Subscriber.objects.filter(pk=leaving.pk).exists()
    statuses = dict(issue.deliveries.values_list("subscriber", "status"))
    assert statuses == {staying.pk: Delivery.Status.PENDING, None: "skipped"}
    issue.refresh_from_db()
    report = issue.report()
    assert (report.skipped, report.waiting, report.unsubscribed) == (1, 1, 1)


def test_links_of_a_test_email_change_nothing(daily):
    subscriber = SubscriberFactory(newsletters=[daily])
    links = personal_links(subscriber_id=TEST_SUBSCRIBER, newsletter_id=daily.pk)
    for link in (links.unsubscribe, links.manage):
        response = Client().post(path_of(link))
        assert response.status_code == 200
        assert "changes nothing" in response.text
    assert subscriber.subscriptions.count() == 1


def test_a_reader_subscribes_in_settings_without_a_confirmation_email(daily):
    reader = ReaderUserFactory(email="reader@example.org")
    client = Client()
    client.force_login(reader)
    page = client.get(reverse("newsletters:account"))
    assert "reader@example.org" in page.text
    client.post(reverse("newsletters:account"), {"newsletters": [daily.pk]})
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.user) == ("reader@example.org", reader)
    assert not queued_emails().exists()
    client.post(reverse("newsletters:account"), {})
    assert not Subscriber.objects.exists()


def test_an_unconfirmed_account_address_cannot_subscribe_in_settings(daily):
    user = get_user_model().objects.create_user("u", "u@example.org", "pw")
    client = Client()
    client.force_login(user)
    response = client.post(reverse("newsletters:account"), {"newsletters": [daily.pk]})
    assert "Confirm your account" in response.text
    assert not Subscriber.objects.exists()


def test_deleting_an_account_deletes_its_address_even_one_that_used_the_form(daily):
    reader = ReaderUserFactory(email="reader@example.org")
    subscription_confirm(email="reader@example.org", newsletter_ids=[daily.pk])
    assert Subscriber.objects.get().user == reader  # the address is the account's
    reader_delete(user=reader)
    assert not Subscriber.objects.exists()


def test_subscriptions_follow_a_change_of_account_address(daily):
    reader = ReaderUserFactory(email="old@example.org")
    subscription_confirm(email="old@example.org", newsletter_ids=[daily.pk])
    old = EmailAddress.objects.get(user=reader)
    new = EmailAddress.objects.create(
        user=reader, email="new@example.org", verified=True
    )
    old.delete()
    new.set_as_primary()
    email_changed.send(
        sender=EmailAddress,
        request=None,
        user=reader,
        from_email_address=old,
        to_email_address=new,
    )
    assert list(Subscriber.objects.values_list("email", flat=True)) == [
        "new@example.org"
    ]


def test_link_tokens_stay_out_of_the_logs(daily):
    subscriber = SubscriberFactory(newsletters=[daily])
    for link in (
        confirm_link_create(email="r@example.org", newsletter_ids=[daily.pk]),
        manage_link_create(subscriber_id=subscriber.pk),
        unsubscribe_link_create(subscriber_id=subscriber.pk, newsletter_id=daily.pk),
    ):
        line = f'"POST {path_of(link)} HTTP/1.1" 200'
        assert path_of(link).split("/")[3] not in redact(line)
        assert "[token]" in redact(line)


def test_an_issue_is_not_sent_twice(daily):
    SubscriberFactory(newsletters=[daily])
    issue = IssueFactory(newsletter=daily, articles=[ArticleFactory()])
    assert issue_send(issue=issue) == "started"
    assert issue_send(issue=issue) == "not-editable"
    assert issue.deliveries.count() == 1
    assert Issue.objects.get().number == 1
