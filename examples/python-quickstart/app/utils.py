"""Stand-ins for the quickstart's notification and reminder calls.

For the name "Alice" each fails now and then with a retryable exception, so that the quickstart's
second request shows Restate retrying a step (steps that already succeeded are not run again).
The failure rate comes from QUICKSTART_FAILURE_RATE (default 0.7, as the quickstart describes).
"""

import os
import random

FAILURE_RATE = float(os.environ.get("QUICKSTART_FAILURE_RATE", "0.7"))


def _flaky(name: str, what: str) -> None:
    if name == "Alice" and random.random() < FAILURE_RATE:
        print(f"[simulated] failed to send {what} to {name}", flush=True)
        raise RuntimeError(f"[simulated] failed to send {what} to {name}")


def send_notification(greeting_id: str, name: str) -> None:
    _flaky(name, "notification")
    print(f"Notification sent: {greeting_id} - {name}", flush=True)


def send_reminder(greeting_id: str, name: str) -> None:
    _flaky(name, "reminder")
    print(f"Reminder sent: {greeting_id}", flush=True)
