"""sys/policies/password end to end: write (HCL, JSON or base64), read, list, generate, delete;
bad documents are 400s, missing policies 404s, as in Vault."""

from __future__ import annotations

import base64

from strongroom.passwords import parse_policy
from support.inproc import Server

POLICY = """length = 24
rule "charset" {
  charset = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 2
}
rule "charset" {
  charset = "0123456789"
  min-chars = 3
}
"""


async def test_crud_list_and_generate(server: Server) -> None:
    resp = await server.call("PUT", "sys/policies/password/alnum", {"policy": POLICY})
    assert resp.status_code == 204, resp.text
    read = await server.call("GET", "sys/policies/password/alnum")
    assert read.status_code == 200
    assert read.json()["data"] == {"policy": POLICY}
    listed = await server.call("LIST", "sys/policies/password")
    assert listed.json()["data"]["keys"] == ["alnum"]
    also = await server.call("GET", "sys/policies/password", params={"list": "true"})
    assert also.json()["data"]["keys"] == ["alnum"]
    policy = parse_policy(POLICY)
    for _ in range(20):
        generated = await server.call("GET", "sys/policies/password/alnum/generate")
        assert generated.status_code == 200
        assert policy.accepts(generated.json()["data"]["password"])
    assert (await server.call("DELETE", "sys/policies/password/alnum")).status_code == 204
    assert (await server.call("GET", "sys/policies/password/alnum")).status_code == 404
    assert (await server.call("LIST", "sys/policies/password")).status_code == 404


async def test_base64_documents_are_decoded_as_vault_does(server: Server) -> None:
    encoded = base64.b64encode(POLICY.encode()).decode()
    resp = await server.call("POST", "sys/policies/password/b64", {"policy": encoded})
    assert resp.status_code == 204, resp.text
    read = await server.call("GET", "sys/policies/password/b64")
    assert read.json()["data"]["policy"] == POLICY


async def test_bad_input_is_a_400_and_missing_is_a_404(server: Server) -> None:
    missing = await server.call("PUT", "sys/policies/password/x", {})
    assert missing.status_code == 400
    assert missing.json()["errors"] == ["missing policy"]
    short = 'length = 3\nrule "charset" { charset = "ab" }'
    bad = await server.call("PUT", "sys/policies/password/x", {"policy": short})
    assert bad.status_code == 400
    assert bad.json()["errors"] == [
        "invalid password policy: passwords must be between 4 and 100 characters"
    ]
    syntax = await server.call("PUT", "sys/policies/password/x", {"policy": "length = {"})
    assert syntax.status_code == 400
    assert syntax.json()["errors"][0].startswith("invalid password policy: invalid")
    gone = await server.call("GET", "sys/policies/password/nope/generate")
    assert gone.status_code == 404
    assert gone.json()["errors"] == ["policy does not exist"]


async def test_policies_need_the_capability_but_not_sudo(server: Server) -> None:
    acl = 'path "sys/policies/password/*" { capabilities = ["create", "read", "update"] }'
    assert (await server.call("PUT", "sys/policy/pw", {"policy": acl})).status_code == 204
    made = await server.call("POST", "auth/token/create", {"policies": ["pw"]})
    token = made.json()["auth"]["client_token"]
    resp = await server.call("PUT", "sys/policies/password/p", {"policy": POLICY}, token=token)
    assert resp.status_code == 204, resp.text
    generated = await server.call("GET", "sys/policies/password/p/generate", token=token)
    assert generated.status_code == 200
    denied = await server.call("DELETE", "sys/policies/password/p", token=token)
    assert denied.status_code == 403
