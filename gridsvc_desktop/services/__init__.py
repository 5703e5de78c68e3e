"""Services own every write: each takes `*, session, actor, …`, checks the
actor's permission and appends to the audit trail in the same transaction."""
