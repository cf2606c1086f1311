import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_adding_a_reader_in_the_admin_is_no_server_error(client, editor):
    client.force_login(editor)
    add = reverse("admin:readers_reader_add")
    response = client.post(add, {"display_name": "Someone", "joined_at": ""})
    assert response.status_code in {200, 403}
