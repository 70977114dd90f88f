"""Logging in: who must use a second factor, the lockout's view of an attempt, and the audit
events of logins. django-two-factor-auth, django-otp and django-axes do the work."""
