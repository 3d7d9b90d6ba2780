"""Who a reader is, as far as khabar needs to know, and how often they may knock.

Shared by every part that takes a reader's input (comments, newsletter) so that
they agree on one spelling of an e-mail address, one way to find the client's
address behind a proxy, one keyed hash and one set of rate limits:

* ``email``: ``normalise_email`` and ``EmailAddressField`` (one set of Arabic messages);
* ``address``: ``client_ip(request)`` and ``keyed_hash(value, purpose)``;
* ``limits``: ``one_per`` (a gate), ``at_most`` (a counter) and ``Refusal``, kept in
  Django's default cache under keys that hold keyed hashes only.

A support module like ``khabar.env``: it imports nothing from khabar's apps.
"""
