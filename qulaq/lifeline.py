"""A helper process's tie to the process that started it.

A runtime killed with SIGKILL cannot stop its helpers. Each helper therefore asks the
kernel for SIGTERM when its parent dies (Linux), and checks its parent against the pid
it was handed at launch. Comparing with the parent seen at some later point is not
enough: a runtime killed while a helper is still loading its models leaves the helper
adopted by init before it looks, and it would then watch init for ever.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


class Lifeline:
    """Created first thing in a helper process with the launcher's pid (``os.getpid()``
    in the launcher, passed as an argument)."""

    def __init__(self, parent: int, *, signum: int = signal.SIGTERM) -> None:
        self.parent = parent
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                if libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) != 0:
                    log.info("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
            except (OSError, AttributeError) as exc:  # no libc to ask: polling alone
                log.info("no parent-death signal: %s", exc)

    def orphaned(self) -> bool:
        """True once the launcher is gone (also when it died before this process looked)."""
        return os.getppid() != self.parent
