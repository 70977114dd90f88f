from .accounts import admin  # noqa: F401  (the login admin: device reset, unlock)
