"""The `strongroom` command line: the server launcher and a Vault-style API client.

main.py            the Typer app, single-dash flag rewriting, error -> exit code
serve.py           `server`: settings from -config or -dev, then strongroom.server.serve
status.py          `status`, `version`
operator.py        `operator init/unseal/seal/rotate/key-status`
rekey.py           `operator rekey`
generate_root.py   `operator generate-root`
mounts.py          `secrets ...`, `auth ...`
client.py          the one httpx client (address, token, errors)
output.py          table (rich) and JSON output
"""
