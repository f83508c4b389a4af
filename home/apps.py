from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Dùng chung"

    def ready(self):
        from home.admin_i18n import label_unlabelled_wagtail_fields

        label_unlabelled_wagtail_fields()
