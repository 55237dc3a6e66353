"""Every write of the quotes app, one module per part (catalogue, pricing; quote documents later)."""
