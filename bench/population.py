"""Starts the benchmark population: COUNT python3 processes shaped like real programs.

A few parent interpreters each `import json, ssl` (so each maps libssl, libcrypto,
the _ssl/_json extension modules and their data: about 100 mappings), then fork
children to reach COUNT processes in all; forking is what keeps start-up at about
a second instead of 20-40 s for COUNT separate interpreters on two cores. Every
process, parent or child, writes 2 MiB into a bytearray of its own (a child
rewrites every page of the inherited one, so those pages are its private dirty
memory), reports its PID on a shared pipe, then blocks reading a shared stdin
pipe that is never written. When the launcher dies for any reason that pipe
reaches EOF and every process exits on its own; bench/run.mjs still ends each
one by PID first.

Protocol on stdout, one line: `READY <json list of PIDs>` or `FAILED <reason>`.
The launcher then waits for EOF on its own stdin.

Usage: python3 bench/population.py [COUNT=300] [PARENTS=6]
"""

import json
import os
import signal
import subprocess
import sys

HELD_BYTES = 2 << 20
PAGE = 4096


def touch(buffer: bytearray, value: int) -> None:
    for offset in range(0, len(buffer), PAGE):
        buffer[offset] = value


def run_parent(children: int) -> None:
    """One parent: import, hold 2 MiB, fork `children`, report, wait for EOF."""
    import json as _json  # noqa: F401 - the point is the mappings and heap it brings
    import ssl as _ssl  # noqa: F401

    held = bytearray(HELD_BYTES)
    touch(held, 1)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped as they end: no zombies
    is_child = False
    for _ in range(children):
        if os.fork() == 0:
            is_child = True
            touch(held, 2)  # copy-on-write: now this child's own 2 MiB
            break
    os.write(1, b"%d\n" % os.getpid())
    try:
        sys.stdin.buffer.read()
    finally:
        if is_child:
            os._exit(0)


def launch(count: int, parents: int) -> int:
    parents = max(1, min(parents, count))
    hold_r, hold_w = os.pipe()  # everyone's stdin: never written; EOF when we die
    ready_r, ready_w = os.pipe()  # everyone's stdout: one PID line each when ready
    started = []
    try:
        share, extra = divmod(count, parents)
        for index in range(parents):
            size = share + (1 if index < extra else 0)
            started.append(
                subprocess.Popen(
                    [sys.executable, __file__, "--parent", str(size - 1)],
                    stdin=hold_r,
                    stdout=ready_w,
                    stderr=subprocess.DEVNULL,
                    close_fds=True,
                )
            )
        os.close(hold_r)
        os.close(ready_w)
        pids = []
        with os.fdopen(ready_r, "rb") as lines:
            while len(pids) < count:
                line = lines.readline()
                if not line:
                    break
                pids.append(int(line))
        if len(pids) < count:
            raise RuntimeError(f"only {len(pids)} of {count} processes became ready")
        sys.stdout.write("READY " + json.dumps(sorted(pids)) + "\n")
        sys.stdout.flush()
        sys.stdin.buffer.read()  # until bench/run.mjs closes our stdin or ends us
        return 0
    except BaseException as error:  # noqa: BLE001 - report, then end what we started
        for parent in started:
            try:
                parent.kill()
            except OSError:
                pass
        sys.stdout.write(f"FAILED {error!r}\n")
        sys.stdout.flush()
        return 1
    finally:
        os.close(hold_w)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--parent":
        run_parent(int(sys.argv[2]))
    else:
        sys.exit(launch(int(sys.argv[1]) if len(sys.argv) > 1 else 300,
                        int(sys.argv[2]) if len(sys.argv) > 2 else 6))
