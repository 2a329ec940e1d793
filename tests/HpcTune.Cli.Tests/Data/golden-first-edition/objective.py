# The golden study's objective: fails when k is "c", hangs (so its trial stays open) from trial GOLDEN_HANG_FROM on.
import os, sys, time
x, n, k, started = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
trial = os.environ["HPCTUNE_TRIAL_ID"]
with open(started, "a") as side:
    side.write(f"{trial} {os.getpid()}\n")
hang_from = os.environ.get("GOLDEN_HANG_FROM")
if hang_from and int(trial) >= int(hang_from):
    time.sleep(600)
if k == "c":
    print("k = c is refused", file=sys.stderr)
    sys.exit(1)
print((x - 0.3) ** 2 + 0.1 * n + (0.5 if k == "b" else 0.0))
