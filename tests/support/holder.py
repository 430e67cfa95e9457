# A stand-in for an app using the camera: opens (and optionally maps) a test device file,
# says "ready" on stdout, then waits. Used by the integration tests and the bench.
#   holder.py PATH [open|map] [--ignore-term] [--exec-on-term PROGRAM] [--extra N]
# --exec-on-term: on SIGTERM, become PROGRAM (same pid, another executable), as a recycled pid would.
# --exit-after-term S: on SIGTERM, end S seconds later (an app that takes its time to close).
import mmap
import os
import signal
import sys
import time

path = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else "open"
if "--ignore-term" in sys.argv:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if "--exec-on-term" in sys.argv:
    program = sys.argv[sys.argv.index("--exec-on-term") + 1]

    def become(_signum, _frame):
        os.execv(program, [program, "3600"])

    signal.signal(signal.SIGTERM, become)
if "--exit-after-term" in sys.argv:
    delay = float(sys.argv[sys.argv.index("--exit-after-term") + 1])

    def close_later(_signum, _frame):
        time.sleep(delay)
        os._exit(0)

    signal.signal(signal.SIGTERM, close_later)
extra = []
if "--extra" in sys.argv:
    # Other open files, so a process looks like a real app with many descriptors.
    n = int(sys.argv[sys.argv.index("--extra") + 1])
    extra = [open(os.devnull, "rb") for _ in range(n)]
f = open(path, "r+b")
m = mmap.mmap(f.fileno(), 0) if mode == "map" else None
sys.stdout.write("ready\n")
sys.stdout.flush()
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    pass
