"""The organisation pages, one module per sub-domain: thin views that check permission, call a
service or a selector, and render.

- `mine`: a person's own organisations, asking to join one and accepting an invitation;
- `members`: the administrator's page of representatives, roles and membership requests;
- `apply`: the application wizard;
- `review`: staff's review queue and decision, and the applicant's reply;
- `documents`: the documents in the application.
"""
