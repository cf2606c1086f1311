from django.core import signing
from django.db import transaction

from readers.models import Reader

UNSUBSCRIBE_SALT = "readers.unsubscribe"


def unsubscribe_token_create(*, reader: Reader) -> str:
    return signing.dumps(reader.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_resolve(*, token: str) -> Reader:
    # No expiry: an unsubscribe link must keep working in an old email.
    return Reader.objects.get(pk=signing.loads(token, salt=UNSUBSCRIBE_SALT))


@transaction.atomic
def reader_delete(*, user) -> None:
    """Delete a reader's account. Their comments stay, anonymised: the thread keeps
    its sense and replies keep their parent, but nothing points to the person."""
    user.delete()  # comments.author is SET_NULL; the Reader row goes with the user
