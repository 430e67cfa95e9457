# Processes coming and going for the memory bench: forks a short-lived child every 50 ms, and opens
# and closes the test device every 400 ms, until stdin closes.
import os, sys, threading, time

dev = sys.argv[1]
stop = False


def watch_stdin():
    global stop
    sys.stdin.read()
    stop = True


threading.Thread(target=watch_stdin, daemon=True).start()
last = 0.0
f = None
while not stop:
    if os.fork() == 0:
        time.sleep(0.2)
        os._exit(0)
    now = time.time()
    if now - last > 0.4:
        last = now
        if f:
            f.close()
            f = None
        else:
            f = open(dev, "rb")
    time.sleep(0.05)
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass
