"""Partner contact: the partner-support workers' records of the men's partners.

Segregated from the men's files: only partner-support workers of the man's site (and admins)
reach these pages; coordinators get only `selectors.partner_contact_summary`."""
