"""Citizens' rights over their personal data (Law 91/2025/QH15, Decree 356/2025/NĐ-CP):
withdrawing consent and erasing contact details on request, with a one-time code or at the
counter, every request recorded with its dates; and the retention settings."""
