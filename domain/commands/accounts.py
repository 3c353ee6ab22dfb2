"""Commands about accounts and the roles they hold in partnerships."""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.accounts import ROLES, Account
from domain.commands.base import Commands
from domain.errors import Problems
from domain.partnerships import Partnership


class AccountCommands(Commands):
    def open_account(self, actor: UUID | None, name: str, email: str, is_admin: bool = False) -> UUID:
        """A new account; `actor` None for the first admin, whom nobody could have recorded
        (`cotrace create-admin`): the account is then its own recorder. Whether the address is
        free is for the caller to know (`cotrace.accounts`): the log holds addresses encrypted."""
        Account.check_opening(name, email)
        account_id = uuid4()
        account = Account(
            id=account_id,
            name=name.strip(),
            email=email.strip(),
            is_admin=is_admin,
            recorded_by=actor or account_id,
        )
        self.save(account)
        return account.id

    def make_admin(self, actor: UUID, account_id: UUID) -> None:
        account = self._get(Account, account_id)
        if not account.is_admin:
            account.make_admin(recorded_by=actor)
            self.save(account)

    def revoke_admin(self, actor: UUID, account_id: UUID) -> None:
        account = self._get(Account, account_id)
        problems = Problems()
        if account_id == actor:
            problems.add("admin", "You cannot stop being an admin yourself: ask another admin")
        problems.raise_if_any()
        if account.is_admin:
            account.revoke_admin(recorded_by=actor)
            self.save(account)

    def grant_role(self, actor: UUID, partnership_id: UUID, account_id: UUID, role: str) -> None:
        partnership = self._get(Partnership, partnership_id)
        problems = Problems()
        if role not in ROLES:
            problems.add("role", "Choose chair, member or auditor")
        problems.raise_if_any()
        self._get(Account, account_id)
        if not partnership.has_role(account_id, role):
            partnership.grant_role(account_id=account_id, role=role, recorded_by=actor)
            self.save(partnership)

    def revoke_role(self, actor: UUID, partnership_id: UUID, account_id: UUID, role: str) -> None:
        partnership = self._get(Partnership, partnership_id)
        if partnership.has_role(account_id, role):
            partnership.revoke_role(account_id=account_id, role=role, recorded_by=actor)
            self.save(partnership)
