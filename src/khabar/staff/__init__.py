"""Staff sign-in: lockout after failed attempts, optional TOTP two-factor, session lifetime, sign-in log.

django-axes counts failures and writes the sign-in log, django-otp checks the
codes; this app sets their policy for khabar and shows it in the Wagtail admin.
The README's "Admin accounts and sign-in" section describes it for operators.
"""
