from django.core.management.base import CommandError

from district_site.management.base import DistrictCommand
from district_site.provisioning import ProvisioningError, restore_school


class Command(DistrictCommand):
    help = "Khôi phục một trường đã lưu trữ: trang web phục vụ lại, người dùng có lại quyền."

    def add_arguments(self, parser):
        parser.add_argument("hostname", help="Tên miền của trường.")

    def handle(self, *args, **options):
        try:
            result = restore_school(hostname=options["hostname"])
        except ProvisioningError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.message)
