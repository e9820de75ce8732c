"""``{% idempotency_field %}`` in a <form method="post">: a fresh UUID per form shown,
so the same submission sent twice is stored once (see middleware.py)."""

import uuid

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def idempotency_field():
    return format_html('<input type="hidden" name="idempotency_key" value="{}">', uuid.uuid4())
