"""Management command base that reports errors as one plain Vietnamese line."""

import sys

from django.core.management.base import BaseCommand, CommandError


class DistrictCommand(BaseCommand):
    """Django prints "CommandError: ..." and argparse prints English usage errors; the people
    running these commands read Vietnamese, so both become a single Vietnamese line.

    Only public hooks are used: `create_parser()` for argparse's errors, and `execute()` for a
    CommandError, reported here (once, without the class name) when run from a shell; from
    `call_command()` it is raised as usual.
    """

    # Set by run_from_argv(), which Django calls only for a command run from a shell.
    from_command_line = False

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
        self.from_command_line = True
        super().run_from_argv(argv)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not self.from_command_line:
                raise
            self.stderr.write(str(exc))
            # SystemExit passes through Django's run_from_argv, which still closes the
            # database connections in its `finally`.
            sys.exit(exc.returncode)


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
