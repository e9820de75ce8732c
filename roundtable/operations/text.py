"""Plain text as the portal accepts it: no control characters but tab and newline.

Input from forms keeps its line breaks (CR LF and CR become LF) and loses every other
control character (C0 and C1, ESC among them): stored text can then be written into a
CSV, a log line, a PDF or an e-mail as it is. A single-line field loses its line breaks
too. E-mail subjects are one clean line (``one_line``): a CR in an idea's title once
made the status e-mail fail (``BadHeaderError``).
"""

import re

from django import forms

# every Cc character except tab (\x09) and newline (\x0a); CR is turned into newline first
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?")
_BREAKS_AND_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """``value`` without control characters; with its line breaks as LF when
    ``multiline``, else on one line."""
    value = _LINE_BREAKS.sub("\n", value)
    if not multiline:
        return re.sub(r"[\n\t\u2028\u2029]+", " ", _CONTROL.sub("", value))
    return _CONTROL.sub("", value)


def one_line(value: str) -> str:
    """One line for a header (an e-mail subject): CR, LF, tab and every other control
    character become a space, and runs of spaces one."""
    return " ".join(_BREAKS_AND_CONTROL.sub(" ", value).split())


class PlainTextFormMixin:
    """For every form the portal's users type into: the submitted text is cleaned before
    any field sees it. Fields with a textarea keep their line breaks; others become one
    line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return
        data = self.data.copy()
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField):
                continue
            key = self.add_prefix(name)
            if key not in data:
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
            cleaned = [
                clean_text(v, multiline=multiline) if isinstance(v, str) else v for v in values
            ]
            if hasattr(data, "setlist"):
                data.setlist(key, cleaned)
            else:
                data[key] = cleaned[0]
        self.data = data
