"""Pages of the quotes app, one module per part (catalogue, pricing settings; quote documents later)."""
