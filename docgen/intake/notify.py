"""Tell systemd how the daemon is doing (sd_notify), with the standard library only.

Under `Type=notify` systemd sets `NOTIFY_SOCKET`; the daemon sends `READY=1` once it is watching the
inbox, `STOPPING=1` when asked to stop, and `WATCHDOG=1` on every loop pass when the unit sets
`WatchdogSec=`. Outside systemd every call is a no-op that returns False.
"""

from __future__ import annotations

import os
import socket

__all__ = ["notify", "watchdog_enabled"]


def _address() -> str | None:
    """The notification socket's address (a leading '@' is an abstract socket), or None."""
    value = os.environ.get("NOTIFY_SOCKET")
    if not value or value[0] not in "/@":
        return None
    return "\0" + value[1:] if value[0] == "@" else value


def notify(*states: str) -> bool:
    """Send `states` (e.g. "READY=1", "STATUS=watching the inbox") to systemd; False when not under it."""
    address = _address()
    if address is None or not states:
        return False
    message = "\n".join(states).encode("utf-8")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message)
    except OSError:
        return False  # systemd went away or the socket is not ours: never stop the daemon for it
    return True


def watchdog_enabled() -> bool:
    """True when the unit asked for keep-alive pings (WatchdogSec=) and they are meant for this process."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or not usec.isdigit() or int(usec) == 0:
        return False
    return pid is None or pid == str(os.getpid())
