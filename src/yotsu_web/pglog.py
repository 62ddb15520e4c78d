"""No health data in the PostgreSQL server's log: every connection of the app asks the server to log
errors without the statement, its parameters or the row values in the error's detail.

By default PostgreSQL logs the statement that failed (``log_min_error_statement = error``) with its
values, and a unique-key error's DETAIL names the key's values: a patient's diary date, an inquiry's text.
On each new connection Yotsu sets, for that connection, every setting of :data:`QUIET_LOG` the role may
set. A superuser (or, from PostgreSQL 15, a role granted ``SET`` on the parameter) may set them all; any
other role may set only ``log_parameter_max_length_on_error``: the operator then sets the rest on the
server (README, "No health data in the database server's log"), and a warning names them.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)
_warned: set[str] = set()

#: (setting, value): errors still logged, without the statement, its values, or the error's DETAIL.
QUIET_LOG: tuple[tuple[str, str], ...] = (
    ("log_min_error_statement", "panic"),
    ("log_error_verbosity", "terse"),
    ("log_statement", "none"),
    ("log_min_duration_statement", "-1"),
    ("log_parameter_max_length", "0"),
    ("log_parameter_max_length_on_error", "0"),
)

# One round trip: sets each setting the role may set (set_config runs only for the rows kept) and returns
# the names it set. has_parameter_privilege exists from PostgreSQL 15 on.
_SQL = """
SELECT v.name, set_config(v.name, v.value, false)
FROM (VALUES {values}) AS v(name, value) JOIN pg_settings s ON s.name = v.name
WHERE s.context = 'user'
   OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
   OR ({granted})
"""


def quiet_server_log(cursor: Any, server_version: int) -> list[str]:
    """Set :data:`QUIET_LOG` for the connection of ``cursor``; the names of the settings not set."""
    values = ", ".join(f"('{name}', '{value}')" for name, value in QUIET_LOG)  # constants, no input
    granted = "has_parameter_privilege(v.name, 'SET')" if server_version >= 150000 else "false"
    cursor.execute(_SQL.format(values=values, granted=granted))
    done = {row[0] for row in cursor.fetchall()}
    return [name for name, _value in QUIET_LOG if name not in done]


def on_connection_created(sender: object, connection: Any, **kwargs: object) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        missing = quiet_server_log(cursor, connection.pg_version)
    if missing and not _warned:
        _warned.update(missing)
        logger.warning(
            "PostgreSQL: this role may not set %s for its connections; set them on the server so that no "
            "health data reaches its log (see the README).",
            ", ".join(missing),
        )
