"""Editors correct where an old WordPress address leads, in the admin."""

import pytest

from articles.models import Section
from tests.factories import ArticleFactory
from wordpress.models import OldAddress

pytestmark = pytest.mark.django_db

ADD = "/admin/wordpress/oldaddress/add/"


def test_editors_see_old_addresses_and_where_they_lead(client, editor):
    report = ArticleFactory(headline="Checkpoint reopens")
    OldAddress.objects.create(path="/2019/05/12/checkpoint", article=report)
    client.force_login(editor)
    page = client.get("/admin/wordpress/oldaddress/?q=checkpoint")
    assert page.status_code == 200
    assert "/2019/05/12/checkpoint" in page.text
    assert "Checkpoint reopens" in page.text


def test_an_address_added_as_pasted_is_stored_as_links_are_looked_up(client, editor):
    report = ArticleFactory()
    client.force_login(editor)
    response = client.post(
        ADD,
        {
            "path": "https://old.example.org/2019/05/%D9%85%D9%8A%D8%A7%D9%87/",
            "article": report.pk,
        },
    )
    assert response.status_code == 302
    assert OldAddress.objects.get().path == "/2019/05/مياه"
    client.logout()
    response = client.get("/2019/05/%D9%85%D9%8A%D8%A7%D9%87/")
    assert (response.status_code, response["Location"]) == (
        301,
        report.get_absolute_url(),
    )


def test_an_address_leads_to_one_place_only(client, editor):
    report = ArticleFactory()
    iraq = Section.objects.create(name="Iraq", slug="iraq")
    client.force_login(editor)
    both = {"path": "/a", "article": report.pk, "section": iraq.pk}
    response = client.post(ADD, both)
    assert response.status_code == 200
    assert "An old address leads to one article, section or tag." in response.text
    response = client.post(ADD, {"path": "/a"})
    assert "An old address leads to one article, section or tag." in response.text
    assert not OldAddress.objects.exists()
