"""Daily: remind whoever a post has waited for too long, at either step of the review.

The board of the posts waiting at its step, and the group leader of the posts waiting at the
optional first step (school_site/reminders.py). Run once a day (cron or the background worker's
schedule): `manage.py remind_reviews`.
"""

from django.core.management.base import BaseCommand

from school_site.reminders import reminder_days, send_leader_reminders, send_review_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc Ban quản trị và trưởng nhóm các trường về bài chờ duyệt quá hạn."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Số ngày chờ trước khi nhắc (mặc định: REVIEW_REMINDER_DAYS, hoặc 3).",
        )

    def handle(self, *args, days=None, **options):
        days = reminder_days() if days is None else days
        to_boards = send_review_reminders(days=days)
        to_leaders = send_leader_reminders(days=days)
        for school in sorted(to_boards.keys() | to_leaders.keys(), key=lambda s: s.name):
            self.stdout.write(
                f"{school.name}: {to_boards.get(school, 0)} thư nhắc Ban quản trị, "
                f"{to_leaders.get(school, 0)} thư nhắc trưởng nhóm"
            )
        self.stdout.write(
            f"Đã nhắc Ban quản trị ở {len(to_boards)} trường và gửi "
            f"{sum(to_leaders.values())} thư nhắc trưởng nhóm ở {len(to_leaders)} trường "
            f"(bài chờ quá {days} ngày)."
        )
