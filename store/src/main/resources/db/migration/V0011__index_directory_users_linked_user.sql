-- Directory sync into environment users (docs/DECISIONS.md D-L4): deprovisioning asks which directory users are
-- linked to an environment user (another directory of the same organization keeps the membership).
create index directory_users_linked_user on directory_users (environment_id, linked_user_id);
