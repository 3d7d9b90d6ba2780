"""Security headers and uploads: the Content-Security-Policy of the site and of the admin, how
uploaded media is served, and the check every uploaded image passes.

A support module: it imports none of khabar's apps (news, comments, newsletter, search).
The README's "Security headers and uploads" explains the policies.
"""
