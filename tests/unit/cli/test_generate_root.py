"""`strongroom operator generate-root`: the attempt/update exchanges and OTP decoding."""

import base64
import json
from typing import Any

import pytest

from strongroom.cli.generate_root import decode_token

ATTEMPT = "/v1/sys/generate-root/attempt"
UPDATE = "/v1/sys/generate-root/update"
TOKEN = "hvs.NewRootTokenValue123456"
OTP = "3a9YhBc0LmQ2xW7zK1pR8sT4vN6u"[: len(TOKEN)]
STATUS = {"started": True, "nonce": "n-1", "required": 3, "complete": False}


def encode(token: str, otp: str) -> str:
    """What the server sends: base64 without padding of token XOR otp (roottoken/encode.go)."""
    xored = bytes(a ^ b for a, b in zip(token.encode(), otp.encode(), strict=True))
    return base64.b64encode(xored).decode().rstrip("=")


def test_decode_token_reverses_the_servers_encoding() -> None:
    encoded = encode(TOKEN, OTP)
    assert decode_token(encoded, OTP) == TOKEN
    assert decode_token(encoded + "=" * (-len(encoded) % 4), OTP) == TOKEN  # padding tolerated
    with pytest.raises(ValueError, match="length"):
        decode_token(encoded, OTP + "x")
    with pytest.raises(ValueError, match="base64"):
        decode_token("not*base64", OTP)


def test_decode_command(run: Any) -> None:
    result = run("operator", "generate-root", f"-decode={encode(TOKEN, OTP)}", f"-otp={OTP}")
    assert (result.exit_code, result.stdout) == (0, TOKEN + "\n")
    args = (f"-decode={encode(TOKEN, OTP)}", f"-otp={OTP}", "-format=json")
    result = run("operator", "generate-root", *args)
    assert json.loads(result.stdout) == {"token": TOKEN}


def test_decode_errors_are_usage_errors(run: Any) -> None:
    result = run("operator", "generate-root", "-decode=abcd")
    assert (result.exit_code, result.stderr) == (2, "Error: Missing otp: use -otp to supply it\n")
    result = run("operator", "generate-root", "-decode=abcd", "-otp=toolongforit")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot decode the token:")


def test_init_lets_the_server_make_the_otp(vault: Any, run: Any) -> None:
    started = STATUS | {"progress": 0, "otp": OTP, "otp_length": len(OTP)}
    vault.route("PUT", ATTEMPT, body=started)
    result = run("operator", "generate-root", "-init", f"-address={vault.url}")
    assert result.exit_code == 0
    assert vault.calls() == [("PUT", ATTEMPT, {})]
    assert "A One-Time-Password has been generated for you" in result.stdout
    assert f"OTP         {OTP}" in result.stdout
    assert "Progress    0/3" in result.stdout


def test_init_with_an_otp(vault: Any, run: Any) -> None:
    vault.route("PUT", ATTEMPT, body={"started": True, "nonce": "n-1"})
    run("operator", "generate-root", "-init", f"-otp={OTP}", f"-address={vault.url}")
    assert vault.calls() == [("PUT", ATTEMPT, {"otp": OTP})]


def test_status_and_cancel(vault: Any, run: Any) -> None:
    vault.route("GET", ATTEMPT, body={"started": False, "otp_length": 28, "complete": False})
    vault.route("DELETE", ATTEMPT, 204)
    result = run("operator", "generate-root", "-status", f"-address={vault.url}", "-format=json")
    assert json.loads(result.stdout)["otp_length"] == 28
    result = run("operator", "generate-root", "-cancel", f"-address={vault.url}")
    assert result.stdout == "Success! Root token generation canceled (if it was started)\n"
    assert vault.calls() == [("GET", ATTEMPT, None), ("DELETE", ATTEMPT, None)]


def test_provide_the_last_key(vault: Any, run: Any) -> None:
    vault.route("GET", ATTEMPT, body=STATUS | {"progress": 2})
    done = STATUS | {"progress": 3, "complete": True, "encoded_token": encode(TOKEN, OTP)}
    vault.route("PUT", UPDATE, body=done)
    result = run("operator", "generate-root", "-nonce=n-1", f"-address={vault.url}", "qgE=")
    assert result.exit_code == 0
    assert vault.calls()[1] == ("PUT", UPDATE, {"key": "qgE=", "nonce": "n-1"})
    assert f"Encoded Token  {encode(TOKEN, OTP)}" in result.stdout
    assert "Complete       true" in result.stdout


def test_prompted_key_and_nothing_in_progress(vault: Any, run: Any) -> None:
    vault.route("GET", ATTEMPT, body={"started": True, "nonce": "n-2"})
    vault.route("PUT", UPDATE, body={"started": True, "nonce": "n-2", "progress": 1})
    result = run("operator", "generate-root", f"-address={vault.url}", stdin="qgE=\n")
    assert result.stdout.startswith("Operation nonce: n-2\n")
    assert vault.requests[1].body == {"key": "qgE=", "nonce": "n-2"}
    vault.route("GET", ATTEMPT, body={"started": False})
    result = run("operator", "generate-root", "-nonce=n-2", f"-address={vault.url}", "qgE=")
    assert result.exit_code == 2
    assert "No root generation is in progress" in result.stderr
