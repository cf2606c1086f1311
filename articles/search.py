"""Full-text search in every language the newsroom publishes in.

PostgreSQL ships no Arabic or Kurdish stemmer, so text is normalised before it
is indexed, by the SQL function newsroom_search_text() (created by migration
0007) under the text-search configuration "newsroom" (the simple dictionary:
words as they are, lower case, no stop words), beside English stemming:

- accents and Arabic diacritics (harakat, tatweel) go, and Arabic presentation
  forms become letters (Unicode compatibility decomposition): "Kurmancî" reads
  as "kurmanci", "أحمد" and "إبراهيم" as "احمد" and "ابراهيم" (alef forms);
- teh marbuta reads as heh ("مدرسة", "مدرسه"), alef maksura and the Persian
  and Kurdish yeh as yeh, the Kurdish kaf as kaf, and Sorani's own letters
  (ae, e, o, rr and ll) as the Arabic letters people type for them without a Kurdish
  keyboard; Arabic-Indic digits as digits;
- the article "ال" goes from the front of a word, with the particles that join
  it ("وال", "بال", "كال", "فال", "لل"): "بيوت" finds "البيوت" and "والبيوت".

The configuration passes words through the unaccent dictionary, then the
simple one, where the server has the unaccent extension (migration 0007 adds it
when available; the embedded development server has none, and the function's
decomposition already removes the accents that matter there).

A search is normalised by the same function, so both sides always agree.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Func, TextField, Value

CONFIG = "newsroom"


class SearchText(Func):
    """Text as the index reads it (see the module's docstring)."""

    function = "newsroom_search_text"
    output_field = TextField()


def field_vector(expression, weight):
    """English stems and normalised words of one field (or expression)."""
    return SearchVector(expression, weight=weight, config="english") + SearchVector(
        SearchText(expression), weight=weight, config=CONFIG
    )


def search_query(text: str) -> SearchQuery:
    """`text` as a web search (quotes, "or", "-word"), matched both against
    English stems and against the normalised words of every language."""
    return SearchQuery(text, search_type="websearch", config="english") | (
        SearchQuery(SearchText(Value(text)), search_type="websearch", config=CONFIG)
    )
