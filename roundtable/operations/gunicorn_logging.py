"""gunicorn's own log lines in the portal's format (``--logger-class`` in ``make run`` and
``deploy/Dockerfile``). With ``LOG_FORMAT=json`` its error log and its access log are one
JSON object per line, like the application's (``roundtable.operations.jsonlog``): an
access line carries method, path, query, status, bytes, duration and client as fields.
Otherwise gunicorn logs as it always does.
"""

import os

from gunicorn.glogging import Logger

from .jsonlog import JsonFormatter


class PortalLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        self.json = os.environ.get("LOG_FORMAT", "plain") == "json"
        if self.json:
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.json:
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = str(atoms["s"])
        self.access_log.info(
            "%s %s %s",
            atoms["m"],
            atoms["U"],
            status,
            extra={
                "method": atoms["m"],
                "path": atoms["U"],
                "query": atoms["q"],
                "status": int(status) if status.isdigit() else status,
                "bytes": atoms["B"] if isinstance(atoms["B"], int) else 0,
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "client": atoms["h"],
                "user_agent": atoms["a"],
            },
        )
