"""Daily: remind each school's board of the posts waiting for its review too long.

Run once a day (cron or the background worker's schedule): `manage.py remind_reviews`.
"""

from django.core.management.base import BaseCommand

from school_site.reminders import reminder_days, send_review_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc Ban quản trị các trường về bài chờ duyệt quá hạn."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Số ngày chờ trước khi nhắc (mặc định: REVIEW_REMINDER_DAYS, hoặc 3).",
        )

    def handle(self, *args, days=None, **options):
        days = reminder_days() if days is None else days
        sent = send_review_reminders(days=days)
        for school, count in sorted(sent.items(), key=lambda item: item[0].name):
            self.stdout.write(f"{school.name}: {count} thư nhắc")
        self.stdout.write(f"Đã nhắc {len(sent)} trường (bài chờ quá {days} ngày).")
