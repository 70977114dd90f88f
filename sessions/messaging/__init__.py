"""Messages that must not be lost: each is a Delivery row, queued in the transaction of the
change that needs it and sent by the task engine (django-q2), retried with backoff until it
goes, and never sent twice. Safety alerts, and their escalation, go this way."""
