"""An hvac client for a freshly started server: initialised with one share, unsealed, root."""

from __future__ import annotations

import hvac

from support.procs import RunningServer


def unsealed_client(server: RunningServer) -> hvac.Client:
    client = hvac.Client(url=server.address)
    result = client.sys.initialize(1, 1)
    client.sys.submit_unseal_key(result["keys"][0])
    client.token = result["root_token"]
    return client
