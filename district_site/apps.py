from django.apps import AppConfig


class DistrictSiteConfig(AppConfig):
    name = "district_site"
    verbose_name = "Phòng GD&ĐT"
