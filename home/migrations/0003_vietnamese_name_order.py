"""Store every user's name one way: given name in `first_name`, family and middle names in
`last_name` (home/text.py), so it shows "Nguyễn Thị Mai" and sorts by given name.

The demo seeder used to store the reverse (family and middle names in `first_name`), while the
people import used this order, so names showed reversed for one group or the other. A stored
name cannot say which order it was written in; this migration swaps the two parts only when
they clearly are the old order:

- `first_name` has several words and `last_name` one ("Nguyễn Văn" / "Hiếu"): a given name is
  one word in this convention, a family name with a middle name is several; or
- `first_name` starts with a common Vietnamese family name and `last_name` does not
  ("Lê" / "Hoa").

Anything else (one part empty, Western names, ambiguous pairs) is left as it is. The rules are
copied here, not imported, so the migration keeps doing what it did when it was written.
"""

import unicodedata

from django.db import migrations

# The family names of most Vietnamese people (well over 90 %), lower-cased, NFC.
FAMILY_NAMES = frozenset(
    unicodedata.normalize("NFC", n)
    for n in (
        "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đoàn "
        "lâm mai trương tô tạ cao châu chu hà quách thái lưu trịnh vương kiều la lương "
        "lục mạc phùng tăng văn triệu khổng từ nông hứa thân kim doãn giang đàm"
    ).split()
)


def _first_word(text: str) -> str:
    words = unicodedata.normalize("NFC", text or "").split()
    return words[0].casefold() if words else ""


def is_old_order(first_name: str, last_name: str) -> bool:
    first_words, last_words = (first_name or "").split(), (last_name or "").split()
    if not first_words or not last_words:
        return False
    if len(first_words) > 1 and len(last_words) == 1:
        return True
    return _first_word(first_name) in FAMILY_NAMES and _first_word(last_name) not in FAMILY_NAMES


def forwards(apps, schema_editor):
    User = apps.get_model("auth", "User")
    swapped = []
    for user in User.objects.exclude(first_name="").exclude(last_name="").only(
        "pk", "first_name", "last_name"
    ):
        if is_old_order(user.first_name, user.last_name):
            user.first_name, user.last_name = user.last_name, user.first_name
            swapped.append(user)
    User.objects.bulk_update(swapped, ["first_name", "last_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_search_title_statistics"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Not reversible in meaning (which users were swapped is not recorded); going back leaves
    # the names as they are, which every screen still shows correctly.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
