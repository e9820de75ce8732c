"""The directory login (LDAP / Active Directory) through django-auth-ldap.

Off unless ``LDAP_SERVER_URI`` is set. ``config`` turns the environment into
django-auth-ldap's settings (imported by the settings module: no models here),
``backend`` is the authentication backend, ``services`` keeps the accounts in step
with the directory, ``health`` is the check ``/healthz`` reports.
"""
