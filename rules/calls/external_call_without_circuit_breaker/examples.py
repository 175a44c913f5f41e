# case: request-outside-the-breaker (invalid)
# note: pybreaker is locked; a tenacity retry is not a breaker.
import pybreaker
import requests
from celery import shared_task
from tenacity import retry, stop_after_attempt

payments = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60)


@shared_task
@retry(stop=stop_after_attempt(3))
def capture(payment_id):
    requests.post("https://pay.example.com/capture", json={"id": payment_id}, timeout=5)
    #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `requests.post` runs outside a circuit breaker, although the project uses pybreaker (poetry.lock): while its service is down, every task still calls it, waits for its timeout and fails
# file: poetry.lock
# [[package]]
# name = "pybreaker"
# version = "1.2.0"

# case: covered-by-the-breaker (valid)
# note: @breaker, with breaker.calling(), breaker.call(f), @circuit, and an SMTP send (not covered by WL202).
import smtplib

import httpx
import pybreaker
import requests
from celery import shared_task
from circuitbreaker import circuit

payments = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60)


@payments
def refund(payment_id):
    return requests.post("https://pay.example.com/refund", json={"id": payment_id}, timeout=5)


def void(payment_id):
    return httpx.post("https://pay.example.com/void", json={"id": payment_id})


@circuit(failure_threshold=3, recovery_timeout=30)
def status(payment_id):
    return httpx.get(f"https://pay.example.com/{payment_id}")


@shared_task
def settle(payment_id):
    refund(payment_id)
    payments.call(void, payment_id)
    status(payment_id)
    with payments.calling():
        requests.get("https://pay.example.com/ping", timeout=5)
    smtp = smtplib.SMTP("mail.example.com", timeout=10)
    smtp.sendmail("a@example.com", ["b@example.com"], "settled")
# file: poetry.lock
# [[package]]
# name = "pybreaker"
# version = "1.2.0"
#
# [[package]]
# name = "circuitbreaker"
# version = "2.0.0"

# case: no-breaker-library (valid)
# note: Without a breaker library locked, the rule is silent unless selected by name.
import requests
from celery import shared_task


@shared_task
def capture(payment_id):
    requests.post("https://pay.example.com/capture", json={"id": payment_id}, timeout=5)
