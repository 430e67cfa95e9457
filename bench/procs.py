# A synthetic process table for the bench: N processes (this one and N-1 forked children), each
# holding PER open files (a mix of /dev/null, regular files, pipes and sockets, as apps do).
# Prints "ready" once all are up; ends them all when stdin closes or on SIGTERM.
#   procs.py N PER TMPDIR
import ctypes, os, signal, socket, sys

n, per, tmp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
keep = []
for i in range(per):
    k = i % 5
    if k in (0, 1):
        keep.append(open(os.devnull, "rb"))
    elif k == 2:
        keep.append(open(os.path.join(tmp, "file%d" % i), "wb"))
    elif k == 3:
        r, w = os.pipe()
        keep.append(r)
        os.close(w)
    else:
        a, b = socket.socketpair()
        keep.append(a)
        b.close()
kids = []
for _ in range(n - 1):
    pid = os.fork()
    if pid == 0:
        # Die with the parent, however it ends (PR_SET_PDEATHSIG = 1, SIGKILL = 9).
        ctypes.CDLL(None).prctl(1, 9)
        if os.getppid() == 1:
            os._exit(0)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        while True:
            signal.pause()
    kids.append(pid)


def bye(*_):
    for k in kids:
        try:
            os.kill(k, signal.SIGKILL)
        except OSError:
            pass
    for k in kids:
        try:
            os.waitpid(k, 0)
        except OSError:
            pass
    os._exit(0)


signal.signal(signal.SIGTERM, bye)
print("ready", flush=True)
sys.stdin.read()
bye()
