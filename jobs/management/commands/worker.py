"""The background worker: the schedule and the task queue in one process.

    python manage.py worker               # production: one or more of these
    python manage.py worker --once        # one round (cron-style, and tests)

Every round it claims the scheduled jobs that are due (`jobs/schedule.py`), then runs every
ready task (django-tasks-db's worker, which claims each task with a row lock so several
workers share the queue), then sleeps `--interval` seconds. SIGTERM or Ctrl-C lets the task
in hand finish, then stops.
"""

import time

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from jobs.services import schedule_run_due


class Command(BaseCommand):
    help = "Run scheduled jobs and background tasks (mail, documents, reports)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between rounds")
        parser.add_argument("--once", action="store_true", help="one round, then stop")

    def handle(self, *args, interval, once, verbosity=1, **options):
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,  # run what is ready, then come back here for the schedule
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        if verbosity:
            self.stdout.write(f"Worker {worker.worker_id[:8]} started (Ctrl-C stops it).")
        while worker.running:
            queued = schedule_run_due()
            if queued and verbosity > 1:
                self.stdout.write("Scheduled: " + ", ".join(queued))
            worker.run()
            if once:
                return
            time.sleep(interval)
