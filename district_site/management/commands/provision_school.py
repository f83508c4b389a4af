from django.core.management.base import CommandError

from district_site.management.base import DistrictCommand
from district_site.models import School
from district_site.provisioning import ProvisioningError, provision_school


class Command(DistrictCommand):
    help = "Tạo trang web cho một trường (trang chủ, chuyên mục, nhóm, quyền) trong một bước."

    def add_arguments(self, parser):
        parser.add_argument(
            "--name", required=True, help="Tên trường, ví dụ “Trường Mầm non Hoa Sen”."
        )
        parser.add_argument(
            "--kind", required=True, help=f"Cấp học: {', '.join(School.Kind.values)}."
        )
        parser.add_argument(
            "--hostname",
            required=True,
            help="Tên miền, ví dụ mn-hoasen.tamnong.edu.vn.",
        )
        parser.add_argument("--address", default="", help="Địa chỉ trường (tuỳ chọn).")
        parser.add_argument("--short-code", default="", help="Mã trường (tuỳ chọn).")
        parser.add_argument(
            "--principal-name", default="", help="Họ tên hiệu trưởng, ví dụ “Nguyễn Thị Mai”."
        )
        parser.add_argument(
            "--principal-email",
            default="",
            help="Email hiệu trưởng; hiệu trưởng nhận thư mời để tự đặt mật khẩu.",
        )

    def handle(self, *args, **options):
        try:
            result = provision_school(
                name=options["name"],
                kind=options["kind"],
                hostname=options["hostname"],
                address=options["address"],
                short_code=options["short_code"],
                principal_name=options["principal_name"],
                principal_email=options["principal_email"],
            )
        except ProvisioningError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.message)
