"""The migration that makes e-mail addresses unique per account: it names the accounts that share an address
instead of failing on a bare database error, and builds the index once they are told apart. Run with Django's
migration executor on the real database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0003_consent")]
AFTER = [("accounts", "0004_email_confirmation")]


def migrate(targets: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_shared_addresses_are_named_and_the_index_follows_once_they_differ() -> None:
    old = migrate(BEFORE)
    try:
        User = old.get_model("accounts", "User")
        User.objects.create(username="hanako", email="hanako@example.com")
        twin = User.objects.create(username="hanako2", email="Hanako@Example.com")
        User.objects.create(username="staff-a", email="")
        User.objects.create(username="staff-b", email="")
        with pytest.raises(RuntimeError, match=r"hanako@example\.com: hanako, hanako2"):
            migrate(AFTER)
        User.objects.filter(pk=twin.pk).update(email="hanako.second@example.com")
        new = migrate(AFTER)
        with pytest.raises(IntegrityError), transaction.atomic():
            new.get_model("accounts", "User").objects.create(username="copy", email="HANAKO@example.com")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_accounts_from_before_confirmation_are_not_asked_to_confirm_and_new_ones_are() -> None:
    old = migrate(AFTER)
    try:
        old.get_model("accounts", "User").objects.create(username="hanako", email="hanako@example.com")
        new = migrate([("accounts", "0005_email_confirmation_required")])
        User = new.get_model("accounts", "User")
        assert User.objects.get(username="hanako").email_confirmation_required is False
        assert User.objects.create(username="taro", email="taro@example.com").email_confirmation_required is True
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
