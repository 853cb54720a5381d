"""Namespaces (tenants): each one has its own mount tables, policies, tokens and leases.

The root namespace is the node itself; every other namespace lives under a path such as
`team-a/` or `team-a/prod/`, and its storage under `namespaces/<id>/`. See `registry.py` for
the table of namespaces and `resolve.py` for how a request finds its namespace.
"""
