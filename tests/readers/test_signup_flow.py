"""Sign-up, confirmation by email over real SMTP, commenting and moderation."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from readers.models import Reader
from tests.factories import ArticleFactory, CommentFactory, ReaderUserFactory
from tests.mail import SMTPServer, run_worker

# The worker closes its database connection after a task, as in production;
# that needs committed data, so these tests run outside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

SIGNUP = reverse("account_signup")
PASSWORD = "a-long-reader-passphrase"


def sign_up(client, email="reader@example.org", name="Reader Ahmed"):
    return client.post(
        SIGNUP,
        {
            "email": email,
            "display_name": name,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "website": "",
        },
    )


def confirm(client, link):
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    return client.post(f"/{path}"), page


def test_full_reader_flow_over_real_smtp(client, smtp, editor):
    article = ArticleFactory()
    response = sign_up(client)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Please check your e-mail for a link to activate your account." in page.text
    assert smtp.messages == []  # nothing is sent inside the request

    run_worker()
    [message] = smtp.messages
    assert message["To"] == "reader@example.org"
    assert "Newsroom" in message["Subject"]
    assert smtp.link(message) in smtp.html(message)

    confirmed, page = confirm(client, smtp.link(message))
    assert page.status_code == 200
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="reader@example.org").verified

    # Logged in on confirmation: the comment form is there.
    html = client.get(article.get_absolute_url()).text
    assert "Be the first to comment" in html
    assert "Add a comment" in html
    comment_page = client.get(article.get_absolute_url())
    response = client.post(
        reverse("comments:post", args=[article.slug]),
        {
            "body": "Thank you for this report.",
            "submission_id": "7f1d7c5e-3d0e-4c2b-9b1e-0d6f3c1a2b3c",
        },
    )
    assert response.status_code == 302
    assert comment_page.status_code == 200
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert (
        "Thank you for this report." not in client.get(article.get_absolute_url()).text
    )

    client.force_login(editor)
    changelist = reverse("admin:comments_comment_changelist")
    response = client.post(
        changelist, {"action": "approve", "_selected_action": [comment.pk]}
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(article.get_absolute_url()).text
    assert "Thank you for this report." in html
    assert "Reader Ahmed" in html
    assert "reader@example.org" not in html
    assert "Comments (1)" in html


def test_sign_up_succeeds_while_smtp_is_down_and_the_email_arrives_later(
    client, settings
):
    from tests.mail import free_port

    port = free_port()  # nothing listens here yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        port,
        2,
    )

    response = sign_up(client)
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="reader@example.org").exists()

    run_worker()  # the send fails and a retry is queued for later
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["args"][1] == 2
    assert retry.run_after > timezone.now()

    server = SMTPServer(port)
    server.start()
    try:
        DBTaskResult.objects.filter(pk=retry.pk).update(
            run_after=timezone.now() - timedelta(seconds=1)
        )  # the back-off has passed
        run_worker()
        [message] = server.inbox.messages
        assert "/accounts/confirm-email/" in server.inbox.text(message)
    finally:
        server.stop()


def test_confirmation_link_tampered_reused_or_expired(client, smtp, settings):
    sign_up(client)
    run_worker()
    link = smtp.link(smtp.messages[0])

    tampered = link[:-3] + "xx/"
    response, page = confirm(client, tampered)
    assert page.status_code == 404 or "expired or is invalid" in page.text
    assert not EmailAddress.objects.get().verified

    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0
    response, page = confirm(client, link)
    assert not EmailAddress.objects.get().verified
    assert page.status_code == 404 or "expired or is invalid" in page.text
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3

    response, page = confirm(client, link)
    assert EmailAddress.objects.get().verified
    response, page = confirm(client, link)  # reused: said plainly, changes nothing
    assert page.status_code == 200 and "expired or is invalid" in page.text
    assert response.status_code == 404
    assert EmailAddress.objects.get().verified


def test_sign_up_does_not_reveal_an_existing_account(client, smtp):
    sign_up(client)
    run_worker()
    cache.clear()  # one email per address every few minutes: let time pass
    response = sign_up(Client(), name="Someone else")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert get_user_model().objects.count() == 1
    run_worker()
    assert "already has an account" in smtp.text(smtp.messages[-1])


def test_password_reset_does_not_reveal_whether_an_account_exists(client, smtp):
    sign_up(client)
    client.logout()
    known = client.post(
        reverse("account_reset_password"), {"email": "reader@example.org"}
    )
    unknown = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}
    )
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_honeypot_stops_bots_at_sign_up(client):
    response = client.post(
        SIGNUP,
        {
            "email": "bot@example.org",
            "display_name": "Bot",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "website": "https://spam.example",
        },
    )
    assert response.status_code == 302  # told "check your e-mail", like anyone
    assert not get_user_model().objects.exists()
    assert not DBTaskResult.objects.exists()  # and no email goes out


def test_display_name_is_kept_and_editable(client, smtp):
    sign_up(client, name="Layla")
    run_worker()
    confirm(client, smtp.link(smtp.messages[0]))
    assert Reader.objects.get().display_name == "Layla"
    response = client.post(
        reverse("readers:settings"), {"display_name": "L.", "notify_replies": "on"}
    )
    assert response.status_code == 302
    reader = Reader.objects.get()
    assert (reader.display_name, reader.notify_replies) == ("L.", True)


def test_signup_is_rate_limited_with_a_clear_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"signup": "2/m/ip"}
    codes = [sign_up(client, email=f"r{n}@example.org").status_code for n in range(3)]
    assert codes[:2] == [302, 302]
    assert codes[2] == 429


def test_reply_email_has_a_one_click_unsubscribe(smtp):
    article = ArticleFactory()
    asker = ReaderUserFactory(email="asker@example.org")
    Reader.objects.filter(user=asker).update(notify_replies=True)
    question = CommentFactory(article=article, author=asker, body="Where is this?")
    replier = ReaderUserFactory()
    CommentFactory(article=article, author=replier)  # approved before: trusted now

    client = Client(enforce_csrf_checks=True)
    client.force_login(replier)
    page = client.get(article.get_absolute_url())
    response = client.post(
        reverse("comments:post", args=[article.slug]),
        {
            "body": "In the old city.",
            "parent": question.pk,
            "submission_id": "0b7e6f1e-55b5-4b8e-9a38-3d0f0a1f2c11",
            "csrfmiddlewaretoken": page.context["csrf_token"],
        },
    )
    assert response.status_code == 302
    run_worker()
    [message] = smtp.messages
    assert message["To"] == "asker@example.org"
    assert "In the old city." in smtp.text(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe in smtp.text(message) and unsubscribe in smtp.html(message)

    path = "/" + unsubscribe.split("://", 1)[1].split("/", 1)[1]
    mail_client = Client(enforce_csrf_checks=True)
    assert mail_client.get(path).status_code == 200  # a link scanner changes nothing
    assert Reader.objects.get(user=asker).notify_replies
    assert mail_client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Reader.objects.get(user=asker).notify_replies
    assert Client().post(path[:-3] + "xx/").status_code == 404


def test_changing_email_is_confirmed_before_it_replaces_the_old_one(client, smtp):
    sign_up(client)
    run_worker()
    confirm(client, smtp.link(smtp.messages[0]))
    page = client.get(reverse("account_email"))
    assert page.status_code == 200
    assert "reader@example.org" in page.text
    cache.clear()
    response = client.post(
        reverse("account_email"), {"email": "new@example.org", "action_add": ""}
    )
    assert response.status_code == 302
    assert (
        "waiting for you to open the confirmation link"
        in client.get(reverse("account_email")).text
    )
    assert EmailAddress.objects.get(email="reader@example.org").primary
    run_worker()
    confirm(client, smtp.link(smtp.messages[-1]))
    assert EmailAddress.objects.get(email="new@example.org").primary
    assert not EmailAddress.objects.filter(email="reader@example.org").exists()
