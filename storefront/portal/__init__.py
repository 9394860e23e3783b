"""The producers' portal (/portal/): one package composing the registry, traceability, the store and the sales.

- ``home``: the dashboard (/portal/), figures from ``integrations.dashboards.producer_figures``;
- ``applications`` (+ ``accounts``): OCOP applications, sign-in, self-registration, and the staff desk that
  handles them (/portal/applications/);
- ``lots``: lots, serials, QR codes and label sheets (/portal/lots/);
- ``listings``: store listings proposed by producers and their review by the office (/portal/listings/);
- ``events``: trade-promotion events a producer applies to and reports sales for (/portal/events/).

Who may open which page is one rule, ``access``; the menu is one template, ``portal/_nav.html``.
"""
