"""gunicorn settings for the portal: `gunicorn --config deploy/gunicorn.conf.py remigration.wsgi`
(what `make serve` and deploy/remigration-web.service run).

Environment: WEB_CONCURRENCY (worker processes, default 2), BIND (default 127.0.0.1:8000,
behind the reverse proxy), LOG_FORMAT (json or text, as in the portal's settings).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # common.logs below, when started from elsewhere

wsgi_app = "remigration.wsgi"
chdir = str(ROOT)
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers, one request each at a time: the portal's requests are short database work
# and page rendering. About two per CPU core.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A request still running after 30 s is taken as stuck: the worker is killed and replaced
# rather than kept busy, and the person gets an error instead of waiting without end.
timeout = 30
graceful_timeout = 30
# Workers are replaced now and then, so memory that WeasyPrint or a big export leaves
# behind is given back; the jitter keeps them from restarting all at once.
max_requests = 1000
max_requests_jitter = 100
# X-Forwarded-Proto is believed only from the proxy on this machine.
forwarded_allow_ips = "127.0.0.1,::1"
# gunicorn 27's control socket would be made in the user's home, which the systemd unit
# keeps read-only; `systemctl reload` (SIGHUP) does what the portal needs of it.
control_socket_disable = True

# Access log to stdout: method, path WITHOUT the query string (%(U)s, not %(r)s, which
# holds it), status, bytes, milliseconds and the request id the portal answered with. No
# client address (%(h)s), no referrer, no user agent.
accesslog = "-"
errorlog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s"

_debug = os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}
if os.environ.get("LOG_FORMAT", "text" if _debug else "json") == "json":
    # gunicorn's own lines (boot, worker restarts, the access log) as JSON objects, like the
    # portal's, so one collector reads the whole stream.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "common.logs.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        # Before the portal's settings configure logging in a worker, only warnings.
        "root": {"handlers": ["stdout"], "level": "WARNING"},
        "loggers": {
            "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }
