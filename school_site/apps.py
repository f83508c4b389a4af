from django.apps import AppConfig


class SchoolSiteConfig(AppConfig):
    name = "school_site"
    verbose_name = "Trang web trường"
