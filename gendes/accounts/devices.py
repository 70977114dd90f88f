"""Second-factor devices the demo and the tests give their users."""

from django_otp.plugins.otp_totp.models import TOTPDevice

# RFC 6238's test secret (ASCII "12345678901234567890"): base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ.
# Only for the demo users and the tests; the README says so.
DEMO_TOTP_HEX = "3132333435363738393031323334353637383930"
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def give_demo_device(user):
    """A confirmed TOTP device with the demo secret (one per user, made once). "default" is
    the name django-two-factor-auth asks the login code of."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="default", defaults={"key": DEMO_TOTP_HEX, "confirmed": True}
    )
    return device
