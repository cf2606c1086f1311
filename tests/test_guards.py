"""Headers every response carries, whoever answers it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ReaderUserFactory


@pytest.mark.django_db
def test_pages_carry_cross_origin_resource_policy(client):
    for path in ["/", "/feeds/latest/", "/robots.txt", "/nowhere/"]:
        response = client.get(path)
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", path


def test_static_files_are_not_open_to_every_origin(settings):
    # WhiteNoise reads its settings when the middleware is made: a fresh client
    # makes a fresh one, serving the project's static folder.
    settings.WHITENOISE_USE_FINDERS = True
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.django_db
def test_allauths_rate_limit_answers_429_with_retry_after(client):
    reader = ReaderUserFactory()
    statuses = []
    for _ in range(7):  # five reset emails an hour per address
        response = client.post(
            reverse("account_reset_password"), {"email": reader.email}
        )
        statuses.append(response.status_code)
    assert 429 in statuses
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.text
