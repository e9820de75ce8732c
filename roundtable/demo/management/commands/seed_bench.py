import time

from django.core.management.base import BaseCommand, CommandError

from roundtable.demo.bench import seed_bench


class Command(BaseCommand):
    help = (
        "Creates N realistic German ideas (varied topics, departments, organisations, "
        "municipalities, supports and comments) for benchmarks. Needs seed_demo first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ideas", type=int, default=1000, help="how many ideas (default 1000)")
        parser.add_argument("--seed", type=int, default=2004, help="random seed")

    def handle(self, *args, ideas: int, seed: int, **options):
        if ideas < 0:
            raise CommandError("--ideas must not be negative")
        started = time.monotonic()
        try:
            result = seed_bench(count=ideas, seed=seed)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.ideas} ideas, {result.supports} supports, {result.comments} comments "
                f"in {time.monotonic() - started:.1f} s"
            )
        )
