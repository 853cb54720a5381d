"""Leases: what the core remembers about every credential an engine handed out, so it can take
it back when the lease ends, when its token is revoked, or when an operator says so.

Layout below `sys/expire/` (behind the barrier, so `internal` — a database username, say — is
encrypted at rest like everything else):

    id/<lease_id>                 LeaseEntry; lease_id = <mount path><request path>/<random>
    due/<%012d time>-<lease key>  the next time the expiry job must act on the lease (its
                                  expiry, or its next revocation retry): a paged, ordered index,
                                  so nothing is loaded at start and nothing grows with the count
    token/<token key>/<lease key> the leases a token created, for revoking them with the token

`lease key` is a hash of the lease id (fixed length, no slashes). Every change to an entry and
its indexes is one storage transaction, guarded by a Check of the entry's version, so of several
workers racing on the same lease exactly one acts on it.
"""
