"""What several newsletter tests do: post the subscribe form, follow a link from
an email, compose an issue in the admin."""

from urllib.parse import urlsplit

from django.urls import reverse

PASSWORD = "correct-horse-battery"


def path_of(url: str) -> str:
    return urlsplit(url).path


def subscribe(client, email, *newsletters, **extra):
    return client.post(
        reverse("newsletters:subscribe"),
        {"email": email, "newsletters": [n.pk for n in newsletters], "website": ""},
        **extra,
    )


def links_in(text: str) -> list[str]:
    return [word for word in text.split() if word.startswith("http")]


def link_to(text: str, view: str) -> str:
    """The first link in `text` to a newsletters view (confirm, manage, ...)."""
    return next(link for link in links_in(text) if f"/newsletters/{view}/" in link)


def issue_form(newsletter, articles=(), button=None, **fields):
    """The admin's issue form as a browser posts it (with its articles inline)."""
    data = {
        "newsletter": newsletter.pk,
        "subject": "The week in Mosul",
        "introduction": "Good morning.\n\nThree reports this week.",
        "pictures": "none",
        "scheduled_for_0": "",
        "scheduled_for_1": "",
        "items-TOTAL_FORMS": str(len(articles)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for number, article in enumerate(articles):
        data[f"items-{number}-article"] = article.pk
        data[f"items-{number}-position"] = number
    if button:
        data[button] = "1"
    return data | fields


def add_issue(client, newsletter, articles=(), button=None, **fields):
    return client.post(
        reverse("admin:newsletters_issue_add"),
        issue_form(newsletter, articles, button, **fields),
    )
