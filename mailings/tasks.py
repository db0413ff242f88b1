"""Celery entry points of mailings; each is a thin call into a plain function."""

from __future__ import annotations

from celery import shared_task


# acks_late: preparing resumes from its last chunk and idempotency keys add no one twice. Time
# limits of its own: a large segment takes longer than the default minute to write out.
@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=1800, time_limit=1860)
def prepare_mailing(mailing_id: int) -> None:
    from mailings import sending

    sending.prepare(mailing_id)


@shared_task
def start_due_mailings() -> int:
    from mailings import sending

    return sending.start_due()
