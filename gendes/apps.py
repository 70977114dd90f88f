from django.apps import AppConfig


class GendesConfig(AppConfig):
    name = "gendes"
    verbose_name = "GENDES"

    def ready(self):
        from .accounts import signals  # noqa: F401  (connects the login audit receivers)
