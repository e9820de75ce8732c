"""One JSON object per log line (``LOG_FORMAT=json``), for log collectors.

Standard library only: the fields a collector needs (time, level, logger, message,
process) plus the exception and any ``extra={...}`` values a caller passed.
"""

import json
import logging
import re
from datetime import UTC, datetime

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else repr(value)
        return json.dumps(entry, ensure_ascii=False)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class PlainFormatter(logging.Formatter):
    """The readable format (``LOG_FORMAT=plain``), with control characters written as
    escapes: text from users (a title with ESC) cannot move a terminal's cursor or forge
    a log line."""

    def format(self, record: logging.LogRecord) -> str:
        return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", super().format(record))
