"""Alertmanager's configuration with its secrets filled in from the environment.

Alertmanager 0.25 (Debian's) cannot read a receiver's URL from a file or the environment, so the repository
keeps a template (api/monitoring/alertmanager.yml, `${VARIABLE}` placeholders) and this renders it:
    python -m api.alerting > .occurisk/alertmanager.yml
A missing variable is an error naming it; the rendered file holds secrets and is never committed.
"""

from __future__ import annotations

import os
import string
import sys
from collections.abc import Mapping
from pathlib import Path

TEMPLATE = Path(__file__).parent / "monitoring" / "alertmanager.yml"


class MissingSetting(KeyError):
    """An environment variable the template names is not set."""


def render_alertmanager_config(env: Mapping[str, str] = os.environ) -> str:
    template = string.Template(TEMPLATE.read_text())
    missing = sorted(name for name in template.get_identifiers() if not env.get(name))
    if missing:
        raise MissingSetting(f"set {', '.join(missing)} (the Alertmanager receivers' URLs)")
    return template.substitute(env)


if __name__ == "__main__":
    try:
        sys.stdout.write(render_alertmanager_config())
    except MissingSetting as exc:
        sys.exit(exc.args[0])
