"""Management command base that reports errors as one plain Vietnamese line."""

import sys

from django.core.management.base import (
    BaseCommand,
    CommandError,
    handle_default_options,
)
from django.db import connections


class DistrictCommand(BaseCommand):
    """Django prints "CommandError: ..." and argparse prints English usage errors; the people
    running these commands read Vietnamese, so both become a single Vietnamese line."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            message = _translate_argparse(message)
            if parser.called_from_command_line:
                sys.stderr.write(f"Lỗi tham số: {message}. Xem --help để biết cách dùng.\n")
                sys.exit(2)
            raise CommandError(f"Lỗi tham số: {message}")

        parser.error = error
        return parser

    def run_from_argv(self, argv):
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)
        finally:
            connections.close_all()


_ARGPARSE_MESSAGES = [
    ("the following arguments are required: ", "thiếu tham số bắt buộc: "),
    ("unrecognized arguments: ", "tham số không hợp lệ: "),
    ("expected one argument", "cần một giá trị"),
    ("invalid choice: ", "giá trị không hợp lệ: "),
]


def _translate_argparse(message: str) -> str:
    for english, vietnamese in _ARGPARSE_MESSAGES:
        message = message.replace(english, vietnamese)
    return message
