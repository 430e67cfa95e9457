# A stand-in for an app using the camera: opens (and optionally maps) a test device file,
# says "ready" on stdout, then waits. Used by the integration tests and the bench.
#   holder.py PATH [open|map] [--ignore-term] [--extra N]
import mmap
import os
import signal
import sys
import time

path = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else "open"
if "--ignore-term" in sys.argv:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
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
