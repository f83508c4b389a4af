"""Create the district admins' group, and drop Wagtail's default welcome page, site and groups.

Wagtail's own first migration creates a "Welcome to your new Wagtail site!" page with a Site
marked as the default one. A default site answers for every unknown hostname, which in a
multi-school install would show some page to a visitor of a mistyped school address. Sites
are created only by provisioning and by `setup_district_portal`, never as default.
"""

from django.db import migrations

DISTRICT_ADMINS_GROUP = "Phòng GD&ĐT – Quản trị"
DISTRICT_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("district_site", "add_school"),
    ("district_site", "change_school"),
    ("district_site", "view_school"),
]


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Model permissions are normally created after all migrations ran; create ours now.
    for label in ("district_site", "home", "school_site"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=DISTRICT_ADMINS_GROUP)
    for app_label, codename in DISTRICT_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )

    # Wagtail's default "Editors" and "Moderators" groups hold rights on the tree root, i.e.
    # on every school. Nobody here should ever be put in them.
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()

    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    welcome = Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    )
    Site.objects.filter(root_page__in=welcome).delete()
    if welcome.exists():
        welcome.delete()
        # treebeard's numchild on the root is not updated by a queryset delete.
        Page.objects.filter(depth=1).update(
            numchild=Page.objects.filter(depth=2).count()
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=DISTRICT_ADMINS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("district_site", "0001_initial"),
        ("home", "0001_initial"),
        ("school_site", "0001_initial"),
        # After Wagtail's own data migrations, which create and fill the default groups.
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
