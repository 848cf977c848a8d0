"""Factories for ideas and what hangs off them. Workflow states are set directly here; tests of the
workflow itself go through the services."""

from __future__ import annotations

import factory

from innovation.models import Comment, Idea, IdeaStatus, Visibility
from tests.factories import MemberFactory


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Idea number {n}")
    problem = "Customers ring us three times to find out where their application is."
    proposed_change = "Send a text message at each stage of the application."
    author = factory.SubFactory(MemberFactory)
    organisation = factory.LazyAttribute(lambda o: o.author.organisation)
    origin_organisation = factory.LazyAttribute(lambda o: o.author.organisation)
    visibility = Visibility.CIVIL_SERVICE
    status = IdeaStatus.SUBMITTED
    reference = factory.LazyAttributeSequence(
        lambda o, n: None if o.status == IdeaStatus.DRAFT else f"IDEA-2026-{n + 1:06d}"
    )


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(MemberFactory)
    body = "We tried something like this in Durham and it halved the calls."
