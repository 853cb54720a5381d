"""How a CLI command fails: one exception carrying the text and the exit code.

    CommandError       exit 2 for the caller's mistakes (usage, 4xx), 1 for the rest
    ├── ApiError        the server answered with an error status; prints its `errors` list
    └── UnreachableError     no answer at all (connection refused, TLS failure, timeout)

`main.py` turns these into output in one place, so commands just raise.
"""

from __future__ import annotations

__all__ = ["USAGE", "ApiError", "CommandError", "UnreachableError"]

USAGE = 2  # exit code for the caller's mistakes, as click uses for usage errors
FAILURE = 1


class CommandError(Exception):
    def __init__(self, message: str, *, exit_code: int = FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def render(self) -> str:
        return f"Error: {self.message}"


class ApiError(CommandError):
    """An error response, rendered the way Vault's CLI renders one (api/response.go)."""

    def __init__(self, method: str, url: str, status: int, errors: list[str], raw: str) -> None:
        super().__init__(f"{method} {url}: {status}", exit_code=USAGE if status < 500 else FAILURE)
        self.method, self.url, self.status, self.errors, self.raw = method, url, status, errors, raw

    def render(self) -> str:
        head = f"Error making API request.\n\nURL: {self.method} {self.url}\nCode: {self.status}."
        if self.errors:
            return head + " Errors:\n\n" + "\n".join(f"* {e}" for e in self.errors)
        return head + " Raw Message:\n\n" + self.raw


class UnreachableError(CommandError):
    pass
