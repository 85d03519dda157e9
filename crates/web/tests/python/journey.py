"""An integrator's journey through the client openapi-python-client generated from the served
document (package tuanwu_client on PYTHONPATH). Every answer is parsed by the generated models,
so a field the document promises but the server does not send fails here.

Environment: TUANWU_BASE_URL, TUANWU_LOGIN, TUANWU_PASSWORD, TUANWU_BRANCH (a branch in the
login's scope), TUANWU_MEMBER (a member of it, ready to transfer), TUANWU_TARGET (the org to
transfer to), TUANWU_OUT_OF_SCOPE_MEMBER.
"""
import os
import sys
from http import HTTPStatus

from tuanwu_client import AuthenticatedClient, Client
from tuanwu_client.api.auth import auth_login, auth_me
from tuanwu_client.api.members import members_get, members_list_in_org
from tuanwu_client.api.transfers import transfers_get, transfers_start
from tuanwu_client.models import (
    ErrorBody,
    ListViewMemberSummary,
    LoginInput,
    LoginView,
    MemberView,
    StartTransferInput,
    TransferView,
)


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is not set")
    return value


def expect(cond: bool, what: str) -> None:
    if not cond:
        sys.exit(f"journey failed: {what}")


base = env("TUANWU_BASE_URL")
branch = int(env("TUANWU_BRANCH"))
member = int(env("TUANWU_MEMBER"))
target = int(env("TUANWU_TARGET"))
outsider = int(env("TUANWU_OUT_OF_SCOPE_MEMBER"))

# Log in without credentials, then use the token.
login = auth_login.sync_detailed(
    client=Client(base_url=base),
    body=LoginInput(login=env("TUANWU_LOGIN"), password=env("TUANWU_PASSWORD")),
)
expect(login.status_code == HTTPStatus.OK, f"login answered {login.status_code}: {login.content!r}")
expect(isinstance(login.parsed, LoginView), f"login body: {login.content!r}")
client = AuthenticatedClient(base_url=base, token=login.parsed.token)
me = auth_me.sync_detailed(client=client)
expect(me.status_code == HTTPStatus.OK, f"me answered {me.status_code}")

# The branch's members, masked.
listed = members_list_in_org.sync_detailed(id=branch, client=client, per_page=50)
expect(listed.status_code == HTTPStatus.OK, f"members answered {listed.status_code}: {listed.content!r}")
roster = listed.parsed
expect(isinstance(roster, ListViewMemberSummary), f"members body: {listed.content!r}")
expect(member in [m.id for m in roster.items], f"member {member} not listed in branch {branch}")
expect(roster.total == len(roster.items), "total counts the listed members")
expect(all("*" in m.resident_id for m in roster.items), "resident IDs are masked in lists")

# Start a transfer and read it back.
started = transfers_start.sync_detailed(
    client=client,
    body=StartTransferInput(member_id=member, target_org_id=target, reason="job_change"),
)
expect(started.status_code == HTTPStatus.CREATED, f"start answered {started.status_code}: {started.content!r}")
transfer = started.parsed
expect(isinstance(transfer, TransferView), f"start body: {started.content!r}")
read = transfers_get.sync_detailed(id=transfer.id, client=client)
expect(read.status_code == HTTPStatus.OK, f"transfer answered {read.status_code}")
expect(isinstance(read.parsed, TransferView), f"transfer body: {read.content!r}")
expect(read.parsed.member_id == member, "the transfer is the member's")
expect(read.parsed.status == transfer.status, "read back in the state it was started in")
expect(len(read.parsed.history) >= 1, "the start is in the history")

# A member outside the scope is not found, in the documented error body.
hidden = members_get.sync_detailed(id=outsider, client=client)
expect(hidden.status_code == HTTPStatus.NOT_FOUND, f"out-of-scope member answered {hidden.status_code}")
expect(isinstance(hidden.parsed, ErrorBody), f"404 body: {hidden.content!r}")
expect(hidden.parsed.error.code == "not_found", f"404 code: {hidden.parsed.error.code}")
expect(any("\u4e00" <= c <= "\u9fff" for c in hidden.parsed.error.message), "the message is Chinese")

# The caller's own member record reads as a MemberView.
own = members_get.sync_detailed(id=member, client=client)
expect(isinstance(own.parsed, MemberView), f"member body: {own.content!r}")

print("journey ok")
