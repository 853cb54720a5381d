"""The engine SDK: everything an engine or auth method imports from below it.

    Request, Response, Operation, NO_CONTENT, LeaseRequest   the logical request and answer
    Login                                                    what a log-in handler returns
    View, MountContext, retrying                             the mount's storage and context
    DELETE, UNCHANGED, Verdict, Write, Mutation              what a `View.update` mutation answers
    EventSink, PasswordSource, AttemptTable                  what a mount context hands on
    Updated, purge                                           an update's outcome; emptying a view
    MountEntry, MountConfig, new_entry                       a builtin mount's table entry
    Path, PathTable, OperationSpec                           the declarative route table
    UNSET, UnsetType, Duration, NoFields, StringSlice        declaring an operation's fields
    duration_text, parse_duration                            durations as Vault writes them

Engines depend on this package (and on their own modules), never on `strongroom.core`
directly, so the core can change shape behind it.
"""

from strongroom.config.durations import parse_duration
from strongroom.core.attempts import AttemptTable
from strongroom.core.login import Login
from strongroom.core.mounts import (
    EventSink,
    MountConfig,
    MountContext,
    MountEntry,
    PasswordSource,
    new_entry,
)
from strongroom.core.request import NO_CONTENT, LeaseRequest, Operation, Request, Response
from strongroom.core.routes import GENERIC_NAME, named
from strongroom.core.view import (
    DELETE,
    UNCHANGED,
    Mutation,
    Updated,
    Verdict,
    View,
    Write,
    purge,
    retrying,
)
from strongroom.logical.fields import (
    UNSET,
    Duration,
    NoFields,
    StringSlice,
    UnsetType,
    duration_text,
)
from strongroom.logical.paths import OperationSpec, Path, PathTable

__all__ = [
    "DELETE",
    "GENERIC_NAME",
    "NO_CONTENT",
    "UNCHANGED",
    "UNSET",
    "AttemptTable",
    "Duration",
    "EventSink",
    "LeaseRequest",
    "Login",
    "MountConfig",
    "MountContext",
    "MountEntry",
    "Mutation",
    "NoFields",
    "Operation",
    "OperationSpec",
    "PasswordSource",
    "Path",
    "PathTable",
    "Request",
    "Response",
    "StringSlice",
    "UnsetType",
    "Updated",
    "Verdict",
    "View",
    "Write",
    "duration_text",
    "named",
    "new_entry",
    "parse_duration",
    "purge",
    "retrying",
]
