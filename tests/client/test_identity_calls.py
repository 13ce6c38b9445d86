"""The SDK links, lists and unlinks single sign-on identities as the API does, sync and
async, with the server's refusals as the SDK's exceptions."""

from __future__ import annotations

import asyncio

import pytest

from accord.client import AsyncClient, Client
from accord.client.errors import Conflict, NotFound

ISSUER = "https://keycloak.example.com/realms/acme"


def test_an_administrator_links_and_unlinks_an_identity_through_the_sdk(live_demo):
    with Client(live_demo.base, live_demo.tokens["admin"]) as client:
        made = client.users.link_identity("ann1", ISSUER, "sub-ann1")
        assert made.linked and made.identity.user == "ann1"
        assert made.identity.last_login_at is None
        assert not client.users.link_identity("ann1", ISSUER, "sub-ann1").linked
        assert [i.subject for i in client.users.identities("ann1")] == ["sub-ann1"]
        with pytest.raises(Conflict, match='already linked to user "ann1"'):
            client.users.link_identity("ann2", ISSUER, "sub-ann1")
        client.users.unlink_identity("ann1", ISSUER, "sub-ann1")
        assert client.users.identities("ann1") == []
        with pytest.raises(NotFound, match="no linked identity"):
            client.users.unlink_identity("ann1", ISSUER, "sub-ann1")


def test_the_async_client_links_identities_too(live_demo):
    async def run():
        async with AsyncClient(live_demo.base, live_demo.tokens["admin"]) as client:
            made = await client.users.link_identity("ann2", ISSUER, "sub-ann2")
            listed = await client.users.identities("ann2")
            await client.users.unlink_identity("ann2", ISSUER, "sub-ann2")
            return made, listed, await client.users.identities("ann2")

    made, listed, after = asyncio.run(run())
    assert made.linked and [i.user for i in listed] == ["ann2"] and after == []
