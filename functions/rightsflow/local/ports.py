"""The ports `rightsflow local` serves on: a taken one is refused at once, naming its option.

Light on purpose (no moto, no werkzeug): the command checks its ports before it imports the
local stack, so a port in use is one line within a second, not after seconds of imports."""

from __future__ import annotations

import socket


class PortInUse(Exception):
    """A port the local stack was asked to serve on is taken; `flag` is the option that sets it."""

    def __init__(self, flag: str, port: int) -> None:
        super().__init__(
            f"Port {port} is in use (another rightsflow local?): choose another with {flag} PORT"
        )
        self.flag = flag
        self.port = port


def check_ports_free(ports: dict[str, int | None]) -> None:
    """Fail at once, naming the option, if a port is taken (before minutes of deploying)."""
    for flag, port in ports.items():
        if not port:
            continue
        with socket.socket() as probe:
            # As the servers do: a port only in TIME_WAIT is free to them.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as error:
                raise PortInUse(flag, port) from error
