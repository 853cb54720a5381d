"""The Kubernetes storage layout (below the mount's view; the barrier seals every value):

config          Config
role/<name>     Role
"""

from __future__ import annotations

from strongroom.auth.kubernetes.models import CONFIG, ROLE, Config, Role
from strongroom.logical import View
from strongroom.logical.records import Records


class Store(Records[Config, Role]):
    def __init__(self, view: View) -> None:
        super().__init__(view, CONFIG, ROLE)
