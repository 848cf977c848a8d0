"""The audit trail records every change of a domain record, with who made it, and is never edited."""

from __future__ import annotations

import pytest

from odp import audit
from odp.models import AuditEvent, Grade
from tests.factories import MemberFactory


def test_create_update_and_delete_are_recorded_with_the_actor(odp_admin, dwp):
    with audit.acting_as(odp_admin.user):
        member = MemberFactory(organisation=dwp, grade=Grade.AO)
        member.grade = Grade.EO
        member.save()
        member_pk = member.pk
        member.delete()

    events = list(AuditEvent.objects.filter(object_type="odp.member", object_id=str(member_pk)).order_by("pk"))
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert all(e.actor == odp_admin.user for e in events)
    assert events[1].changes == {"grade": ["AO", "EO"]}


def test_a_save_with_no_change_records_nothing(staff_member):
    before = AuditEvent.objects.count()
    staff_member.save()
    assert AuditEvent.objects.count() == before


def test_audit_events_are_never_edited_or_deleted(staff_member):
    event = AuditEvent.objects.filter(object_type="odp.member").first()
    event.note = "tampered"
    with pytest.raises(ValueError, match="never edited"):
        event.save()
    with pytest.raises(ValueError, match="never deleted"):
        event.delete()


def test_sign_in_is_recorded(client, staff_member):
    client.force_login(staff_member.user)
    assert AuditEvent.objects.filter(action="sign_in", actor=staff_member.user).exists()


def test_passwords_never_reach_the_trail(db):
    from tests.factories import UserFactory

    user = UserFactory()
    with audit.acting_as(None):
        audit.audited(type(user))
        try:
            user.set_password("a-new-long-password")
            user.save()
        finally:
            audit._audited_models.discard(type(user))
    assert not any("password" in e.changes for e in AuditEvent.objects.all())


def test_a_json_value_changed_in_place_before_saving_is_recorded(db):
    from odp.models import OutboxMessage

    audit.audited(OutboxMessage)
    try:
        OutboxMessage.objects.create(task_name="example", kwargs={"ids": [1]})
        message = OutboxMessage.objects.get()  # loaded, so its initial values are remembered
        message.kwargs["ids"].append(2)
        message.save()
    finally:
        audit._audited_models.discard(OutboxMessage)
    update = AuditEvent.objects.get(object_type="odp.outboxmessage", action="update")
    assert update.changes == {"kwargs": [{"ids": [1]}, {"ids": [1, 2]}]}


def test_only_audited_models_keep_their_initial_values(staff_member):
    from odp.models import Member, OutboxMessage

    OutboxMessage.objects.create(task_name="example", kwargs={})
    assert not hasattr(OutboxMessage.objects.get(), "_audit_initial")
    assert Member.objects.get(pk=staff_member.pk)._audit_initial["grade"] == staff_member.grade
