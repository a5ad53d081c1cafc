"""Pages of the cooperation group, one module per sub-domain: thin views that check
permission, call a service or a selector, and render."""
