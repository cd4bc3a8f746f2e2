"""The cooperative workspace at /coop/: a small, phone-first place where a cooperative's staff
receive batches, move stock, add trace events, print labels, recall, pack orders and read
their sales and scans. Every read goes through shop.workspace.selectors, scoped to the
signed-in staff member's own cooperative; every write goes through a domain service
(shop.inventory, shop.orders, traceability.events / labels / recalls) or
shop.workspace.imports / digest."""
