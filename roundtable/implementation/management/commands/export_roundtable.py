import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from roundtable.implementation.export import roundtable_export


class Command(BaseCommand):
    help = "Writes the whole round table (participants, phases, ideas, concepts, decisions, measures) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, output=None, **options):
        text = json.dumps(roundtable_export(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"written to {output}")
        else:
            self.stdout.write(text)
