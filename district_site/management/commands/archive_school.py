from django.core.management.base import CommandError

from district_site.management.base import DistrictCommand
from district_site.provisioning import ProvisioningError, archive_school, restore_school


class Command(DistrictCommand):
    help = (
        "Lưu trữ một trường: trang web ngừng phục vụ, nội dung và lịch sử được giữ, "
        "người dùng của trường mất quyền sửa. Dùng --restore để khôi phục."
    )

    def add_arguments(self, parser):
        parser.add_argument("hostname", help="Tên miền của trường.")
        parser.add_argument("--restore", action="store_true", help="Khôi phục trường đã lưu trữ.")

    def handle(self, *args, **options):
        action = restore_school if options["restore"] else archive_school
        try:
            result = action(hostname=options["hostname"])
        except ProvisioningError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.message)
