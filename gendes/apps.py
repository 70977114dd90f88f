from django.apps import AppConfig


class GendesConfig(AppConfig):
    name = "gendes"
    verbose_name = "GENDES"
