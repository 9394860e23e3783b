"""The public side of traceability: the GS1-Conformant resolver and the scan page.

- ``uris``: incoming GS1 Digital Link URIs (parsed by biip), their canonical form and level;
- ``links``: the links of a code, its linkset (RFC 9264) and the headers of every answer (CORS, ``Link``);
- ``page``: the scan page a visitor sees;
- ``views``: ``/01/…``, ``/q/…`` and ``/.well-known/gs1resolver``.
"""
