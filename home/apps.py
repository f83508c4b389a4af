from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Dùng chung"

    def ready(self):
        from home.exports import neutralise_wagtail_csv_exports

        neutralise_wagtail_csv_exports()
