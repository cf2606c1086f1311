"""Seeded factory_boy factories; pictures come from the demo content's generator."""

import io
from datetime import timedelta

import factory
import factory.random
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone

from articles.models import (
    Article,
    ArticleContributor,
    CallToAction,
    Correction,
    Page,
    PartnerOutlet,
    Section,
)
from articles.services import article_save
from comments.models import comment_html
from contributors.models import Contributor
from demo.content import make_picture
from images.models import Image
from images.services import image_refresh_renditions

factory.random.reseed_random("newsroom")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class ImageFactory(factory.django.DjangoModelFactory):
    file = factory.LazyAttribute(
        lambda o: ImageFile(
            io.BytesIO(make_picture(o.seed, size=(320, 200))), name="t.jpg"
        )
    )
    alt_text = factory.Faker("sentence", nb_words=6)
    caption = factory.Faker("sentence", nb_words=10)
    credit = factory.Faker("name")

    class Params:
        seed = factory.Sequence(lambda n: n)

    class Meta:
        model = Image
        skip_postgeneration_save = True

    @factory.post_generation
    def renditions(self, create, extracted, **kwargs):
        if create:
            image_refresh_renditions(image=self)


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"contributor-{n}")
    role = "Reporter"
    bio = factory.Faker("paragraph")


class PartnerOutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOutlet

    name = factory.Sequence(lambda n: f"Partner Outlet {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    site_url = "https://partner.example.org/"
    licence = "CC BY-ND 4.0"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    position = factory.Sequence(lambda n: n)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    kind = Page.Kind.ABOUT
    title = factory.LazyAttribute(lambda page: str(Page.Kind(page.kind).label))
    summary = "What readers should know."
    body = "<p>How we work.</p>"


class ArticleFactory(factory.django.DjangoModelFactory):
    """Articles saved as every write path saves them: through the service, so
    their search vector, picture index and first version exist (no desk email:
    a factory is nobody on the desk)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Faker("sentence", nb_words=8)
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = factory.Faker("paragraph")
    body = factory.LazyFunction(
        lambda: "<p>First paragraph.</p><p>Second paragraph.</p>"
    )
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - timedelta(hours=n + 1))
    dateline_city = "Mosul"
    dateline_region = "Nineveh"
    dateline_country = "Iraq"
    tags = None

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("tags")
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        tags = kwargs.pop("tags")
        user = kwargs.get("created_by")
        article = model_class(*args, **kwargs)
        article_save(article=article, user=user, tags=tags, notify=False)
        return article


def body_with_picture(image, caption="", before="<p>One.</p>", after=""):
    """A body with a library picture where an editor would insert it."""
    figure = f'<figure data-image="{image.pk}">'
    if caption:
        figure += f"<figcaption>{caption}</figcaption>"
    return f"{before}{figure}</figure>{after}"


class ArticleContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleContributor

    article = factory.SubFactory(ArticleFactory)
    contributor = factory.SubFactory(ContributorFactory)
    role = "Reporting"


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    kind = Correction.Kind.CORRECTION
    text = factory.Faker("sentence")


class CallToActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallToAction

    heading = "Support our reporting"
    text = "Readers keep our reporters in the field."
    link_label = "Support us"
    link_url = "https://newsroom.example.org/support/"


class ReaderUserFactory(UserFactory):
    """A reader with a confirmed email address and a display name."""

    @factory.post_generation
    def reader(self, create, extracted, **kwargs):
        if not create:
            return
        from allauth.account.models import EmailAddress

        from readers.models import Reader

        EmailAddress.objects.create(
            user=self, email=self.email, verified=True, primary=True
        )
        Reader.objects.create(
            user=self, display_name=kwargs.get("display_name", f"Reader {self.pk}")
        )


class CommentFactory(factory.django.DjangoModelFactory):
    """A stored comment; its article's counts are taken again afterwards, as
    comment_counts_rebuild does for imports (posting goes through services)."""

    class Meta:
        model = "comments.Comment"

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(ReaderUserFactory)
    body = factory.Faker("paragraph")
    body_html = factory.LazyAttribute(lambda comment: comment_html(comment.body))
    status = "approved"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from comments.services import comment_counts_rebuild

        comment = super()._create(model_class, *args, **kwargs)
        comment_counts_rebuild(articles=[comment.article_id])
        return comment


class NewsletterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "newsletters.Newsletter"

    name = factory.Sequence(lambda n: f"Newsletter {n}")
    slug = factory.Sequence(lambda n: f"newsletter-{n}")
    description = "The day's reports, every morning."


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed address subscribed to `newsletters` (a list)."""

    class Meta:
        model = "newsletters.Subscriber"
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")

    @factory.post_generation
    def newsletters(self, create, extracted, **kwargs):
        if create:
            for newsletter in extracted or []:
                self.subscriptions.create(newsletter=newsletter)


class IssueFactory(factory.django.DjangoModelFactory):
    """A draft issue with `articles` (a list) in that order."""

    class Meta:
        model = "newsletters.Issue"
        skip_postgeneration_save = True

    newsletter = factory.SubFactory(NewsletterFactory)
    subject = factory.Faker("sentence", nb_words=6)
    introduction = "Good morning.\n\nHere is what we reported."

    @factory.post_generation
    def articles(self, create, extracted, **kwargs):
        if create:
            for position, article in enumerate(extracted or []):
                self.items.create(article=article, position=position)
