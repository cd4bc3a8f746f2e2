"""Fulfilment: what happens to a paid order's goods. Shipments (one per cooperative),
gift-box assembly runs and the transfers between cooperatives, withdrawals of recalled
lots, and the one table of order and shipment moves (shop.fulfilment.transitions).

Sits above shop.orders and below shop.payments: it may call inventory, orders and
notifications, never payments or traceability.recalls.
"""
