"""The AppRole lockout holds across the worker processes of a real server: in bursts of
concurrent log-ins from one address, the one right secret ID among wrong guesses gets through
only when it is among the first `lockout_threshold` attempts counted."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from hvac.api.auth_methods import AppRole

from support.hvac_client import unsealed_client
from support.procs import SQLITE_CONFIG, start_server, stop

THRESHOLD = 5
BURST = 40
TRIALS = 20


def _burst(client: httpx.Client, role_id: str, guesses: list[str]) -> list[int]:
    """Every guess at once, over the client's pool of connections (both workers take some)."""
    start = threading.Barrier(len(guesses))

    def attempt(secret_id: str) -> int:
        start.wait()
        body = {"role_id": role_id, "secret_id": secret_id}
        return client.post("/v1/auth/approle/login", json=body).status_code

    with ThreadPoolExecutor(len(guesses)) as pool:
        return list(pool.map(attempt, guesses))


def _admitted(address: str, approle: AppRole, good: str) -> int:
    """In how many trials the right secret ID, at a position moving through the burst, got in."""
    admitted = 0
    limits = httpx.Limits(max_connections=BURST)
    with httpx.Client(base_url=address, timeout=30, limits=limits) as client:
        for trial in range(TRIALS):
            role_id = f"web-{trial}"  # a new role ID: a fresh lockout counter
            approle.update_role_id("web", role_id)
            position = trial * BURST // TRIALS
            guesses = [good if n == position else f"wrong-{n}" for n in range(BURST)]
            statuses = _burst(client, role_id, guesses)
            assert sorted(set(statuses)) in ([400], [200, 400])
            admitted += statuses[position] == 200
    return admitted


@pytest.mark.slow
def test_bursts_across_two_workers_check_no_more_guesses_than_the_threshold(
    tmp_path: Path,
) -> None:
    config = SQLITE_CONFIG.replace("DBPATH", str(tmp_path / "sr.db"))
    server = start_server(tmp_path, config, workers=2)
    try:
        root = unsealed_client(server)
        root.sys.enable_auth_method("approle")
        root.auth.approle.create_or_update_approle("web", token_policies=["default"])
        good = root.auth.approle.generate_secret_id("web")["data"]["secret_id"]
        admitted = _admitted(server.address, root.auth.approle, good)
    finally:
        stop(server)
    # Only a guess among the first THRESHOLD attempts counted is checked, so about THRESHOLD /
    # BURST of the trials (2.5 of 20) succeed; more than half has odds under 1e-6 even if the
    # workers took the requests in a random order. Checking every guess that read the count
    # before a failure was written admitted 17 and 19 of 20 trials; with the reservation, 0 to 6.
    assert admitted <= TRIALS // 2, admitted
