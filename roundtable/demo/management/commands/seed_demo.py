from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roundtable.demo.seed import PHASES, USERS, seed_demo


class Command(BaseCommand):
    help = (
        "Creates the seed's world (Rhein-Sieg-Kreis, departments, municipalities, phases, "
        "committee, demo users). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--open",
            dest="open_phase",
            choices=[p[0] for p in PHASES],
            help="Shift the whole timeline so that this phase is open today "
            "(e.g. --open ideenwerkstatt for a working idea workshop).",
        )

    def handle(self, *args, open_phase=None, **options):
        try:
            result = seed_demo(password=settings.DEMO_PASSWORD, open_phase=open_phase)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        if result.shift_days:
            self.stdout.write(f"Timeline shifted by {result.shift_days} days.")
        if result.password and result.password_generated:
            self.stdout.write(
                f"Demo logins ({', '.join(USERS)}) with the generated password: {result.password}"
            )
        elif result.password:
            self.stdout.write(f"Demo logins: {', '.join(USERS)} (password from DEMO_PASSWORD)")
        else:
            self.stdout.write(f"Demo logins unchanged: {', '.join(USERS)}")
