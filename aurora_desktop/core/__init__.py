"""Aurora's core: contracts, models, engines and decisions. It never imports Qt."""
