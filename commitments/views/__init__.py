"""The commitments app's views, one module per sub-domain (issue 17):

- `public`: the public follow-up (`/ataganden/`, a commitment's page, attachments);
- `updates`: what owners and staff report ("Mina åtaganden", posting a status update);
- `dashboard`: the staff follow-up page (`/uppfoljning/`);
- `manage`: staff pages that add, edit, reorder and retire commitments, actions and areas;
- `csv`: the CSV export (language-neutral, `commitments/urls_machine.py`) and import.

Views are thin: they check the permission, read through `commitments.selectors`, write
through `commitments.services`, and render. No ORM query and no audit record here.
"""
