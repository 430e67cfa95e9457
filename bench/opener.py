# One camera activation for the latency bench: opens the device, prints the time it did (ms since
# the epoch), waits for a line on stdin, prints the time again and exits at once.
import os, sys, time

f = open(sys.argv[1], "rb")
print("open %.3f" % (time.time() * 1000), flush=True)
sys.stdin.readline()
print("exit %.3f" % (time.time() * 1000), flush=True)
os._exit(0)
