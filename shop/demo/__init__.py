"""Demo data: a believable OCOP shop that `manage.py load_demo` (and `manage.py demo`) loads.

The catalogue is plain Python data: specs.py gives the shapes; cooperatives, food, beverages,
herbs, crafts and gift_sets fill them in; data.py gathers them. stock.py plans each variant's
batches relative to today, pictures.py draws an SVG label for every product and cooperative,
accounts.py keeps the two logins, and loader.py writes it all, idempotently.
"""
